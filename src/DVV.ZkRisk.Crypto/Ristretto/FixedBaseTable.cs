namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// Constant-time fixed-base multiplication for any point Q: 32 tables of [1..8] 256^i Q (affine Niels),
/// so [s]Q = 16 * Sum_i a_{2i+1} Q_i + Sum_i a_{2i} Q_i with signed radix-16 digits a_j: 64 mixed
/// additions and 4 doublings. Built once per base (about 256 inversions).
/// </summary>
internal sealed class FixedBaseTable
{
    private readonly AffineLookupTable8[] _tables = new AffineLookupTable8[32];

    public FixedBaseTable(in EdwardsPoint q)
    {
        EdwardsPoint qi = q;
        for (int i = 0; i < 32; i++)
        {
            _tables[i] = AffineLookupTable8.Create(qi);
            qi = qi.MulByPow2(8);
        }
    }

    public EdwardsPoint Mul(in Scalar s)
    {
        Span<sbyte> a = stackalloc sbyte[64];
        s.ToRadix16(a);
        EdwardsPoint p = EdwardsPoint.Identity;
        for (int i = 1; i < 64; i += 2)
            p = CompletedPoint.Add(p, _tables[i / 2].Select(a[i])).ToExtended();
        p = p.MulByPow2(4);
        for (int i = 0; i < 64; i += 2)
            p = CompletedPoint.Add(p, _tables[i / 2].Select(a[i])).ToExtended();
        a.Clear();
        return p;
    }
}
