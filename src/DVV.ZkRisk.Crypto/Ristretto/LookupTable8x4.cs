using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// [1]P..[8]P in the 4-way cached form, read with a constant-time scan: every entry is loaded and combined
/// under a lane mask, so neither a memory index nor a branch depends on the secret digit.
/// </summary>
internal struct LookupTable8x4
{
    [InlineArray(8)]
    internal struct Entries { private CachedPoint4 _e; }

    internal Entries Points;

    public static LookupTable8x4 Create(in ExtendedPoint4 p)
    {
        var t = new LookupTable8x4();
        t.Points[0] = p.ToCached();
        ExtendedPoint4 acc = p;
        for (int j = 1; j < 8; j++)
        {
            acc = acc.Add(t.Points[0]);
            t.Points[j] = acc.ToCached();
        }
        return t;
    }

    /// <summary>Returns [digit]P for digit in [-8, 8].</summary>
    public readonly CachedPoint4 Select(int digit)
    {
        int signMask = digit >> 31;                 // -1 when negative
        int abs = (digit + signMask) ^ signMask;
        CachedPoint4 r = CachedPoint4.Identity;
        for (int j = 1; j <= 8; j++)
        {
            ulong eq = (ulong)(long)(((abs ^ j) - 1) >> 31);   // all ones exactly when abs == j
            r = new CachedPoint4(Field.FieldElement2625x4.Select(Vector256.Create(eq), r.V, Points[j - 1].V));
        }
        return r.ConditionalNegate(Vector256.Create((ulong)(long)signMask));
    }
}
