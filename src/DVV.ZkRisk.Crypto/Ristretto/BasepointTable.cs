namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// Precomputed multiples of the ristretto255 generator: the constant-time fixed-base table, and the odd
/// multiples B, 3B, ..., 127B for width-8 NAF verification. Built once on first use (a few milliseconds)
/// rather than pasted as thousands of limbs.
/// </summary>
internal static class BasepointTable
{
    public static readonly FixedBaseTable Table = new(RistrettoPoint.Basepoint.Inner);
    public static readonly ProjectiveNielsPoint[] OddMultiples = BuildOdd();

    private static ProjectiveNielsPoint[] BuildOdd()
    {
        var odd = new ProjectiveNielsPoint[64];
        ScalarMul.OddMultiples(RistrettoPoint.Basepoint.Inner, odd);
        return odd;
    }
}
