namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// Precomputed multiples of the ristretto255 generator: 32 constant-time tables of [1..8] 256^i B for
/// fixed-base multiplication, and the odd multiples B, 3B, ..., 127B for width-8 NAF verification.
/// Built once on first use (a few milliseconds) rather than pasted as thousands of limbs.
/// </summary>
internal static class BasepointTable
{
    public static readonly AffineLookupTable8[] Tables = Build();
    public static readonly ProjectiveNielsPoint[] OddMultiples = BuildOdd();

    private static AffineLookupTable8[] Build()
    {
        var tables = new AffineLookupTable8[32];
        EdwardsPoint bi = RistrettoPoint.Basepoint.Inner;
        for (int i = 0; i < 32; i++)
        {
            tables[i] = AffineLookupTable8.Create(bi);
            bi = bi.MulByPow2(8);
        }
        return tables;
    }

    private static ProjectiveNielsPoint[] BuildOdd()
    {
        var odd = new ProjectiveNielsPoint[64];
        ScalarMul.OddMultiples(RistrettoPoint.Basepoint.Inner, odd);
        return odd;
    }
}
