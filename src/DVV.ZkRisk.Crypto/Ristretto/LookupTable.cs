using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// The multiples [1]P..[8]P of one point, read with a constant-time scan: every entry is touched and
/// combined under a mask, so neither the memory index nor a branch depends on the secret digit.
/// </summary>
internal struct LookupTable8
{
    [InlineArray(8)]
    internal struct Entries { private ProjectiveNielsPoint _e; }

    internal Entries Points;

    public static LookupTable8 Create(in EdwardsPoint p)
    {
        var t = new LookupTable8();
        t.Points[0] = p.ToProjectiveNiels();
        EdwardsPoint acc = p;
        for (int j = 1; j < 8; j++)
        {
            acc = EdwardsPoint.Add(acc, t.Points[0]);
            t.Points[j] = acc.ToProjectiveNiels();
        }
        return t;
    }

    /// <summary>Returns [digit]P for digit in [-8, 8].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ProjectiveNielsPoint Select(int digit)
    {
        int signMask = digit >> 31;                 // -1 when negative
        int abs = (digit + signMask) ^ signMask;
        ProjectiveNielsPoint r = ProjectiveNielsPoint.Identity;
        for (int j = 1; j <= 8; j++)
        {
            int eq = (((abs ^ j) - 1) >> 31) & 1;   // 1 exactly when abs == j
            r = ProjectiveNielsPoint.Select(r, Points[j - 1], eq);
        }
        return r.ConditionalNegate(signMask & 1);
    }
}

/// <summary>Affine multiples [1]Q..[8]Q for the fixed-base table, with the same constant-time read.</summary>
internal struct AffineLookupTable8
{
    [InlineArray(8)]
    internal struct Entries { private AffineNielsPoint _e; }

    internal Entries Points;

    public static AffineLookupTable8 Create(in EdwardsPoint q)
    {
        var t = new AffineLookupTable8();
        EdwardsPoint acc = q;
        var qn = q.ToProjectiveNiels();
        for (int j = 0; j < 8; j++)
        {
            t.Points[j] = acc.ToAffineNiels();
            acc = EdwardsPoint.Add(acc, qn);
        }
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly AffineNielsPoint Select(int digit)
    {
        int signMask = digit >> 31;
        int abs = (digit + signMask) ^ signMask;
        AffineNielsPoint r = AffineNielsPoint.Identity;
        for (int j = 1; j <= 8; j++)
        {
            int eq = (((abs ^ j) - 1) >> 31) & 1;
            r = AffineNielsPoint.Select(r, Points[j - 1], eq);
        }
        return r.ConditionalNegate(signMask & 1);
    }
}
