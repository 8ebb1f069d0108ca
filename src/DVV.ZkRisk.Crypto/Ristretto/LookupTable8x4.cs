using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// [1]P..[8]P in the 4-way cached form, read with a constant-time scan: every entry is loaded and combined
/// under a lane mask, so neither a memory index nor a branch depends on the secret digit.
/// </summary>
[SkipLocalsInit]
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
            ExtendedPoint4.Add(acc, t.Points[0], out acc);
            t.Points[j] = acc.ToCached();
        }
        return t;
    }

    /// <summary>[digit]P for digit in [-8, 8] into <paramref name="r"/>.</summary>
    public readonly void Select(int digit, out CachedPoint4 r)
    {
        int signMask = digit >> 31;                 // -1 when negative
        int abs = (digit + signMask) ^ signMask;
        r = CachedPoint4.Identity;
        for (int j = 1; j <= 8; j++)
        {
            ulong eq = (ulong)(long)(((abs ^ j) - 1) >> 31);   // all ones exactly when abs == j
            SelectInto(ref r.V, Vector256.Create(eq), Points[j - 1].V);
        }
        r.ConditionalNegateInPlace(Vector256.Create((ulong)(long)signMask));
    }

    public readonly CachedPoint4 Select(int digit)
    {
        Select(digit, out CachedPoint4 r);
        return r;
    }

    /// <summary>acc = mask ? entry : acc, limb by limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SelectInto(ref Field.FieldElement2625x4 acc, Vector256<ulong> mask, in Field.FieldElement2625x4 entry)
    {
        acc.L0 = Vector256.ConditionalSelect(mask, entry.L0, acc.L0);
        acc.L1 = Vector256.ConditionalSelect(mask, entry.L1, acc.L1);
        acc.L2 = Vector256.ConditionalSelect(mask, entry.L2, acc.L2);
        acc.L3 = Vector256.ConditionalSelect(mask, entry.L3, acc.L3);
        acc.L4 = Vector256.ConditionalSelect(mask, entry.L4, acc.L4);
        acc.L5 = Vector256.ConditionalSelect(mask, entry.L5, acc.L5);
        acc.L6 = Vector256.ConditionalSelect(mask, entry.L6, acc.L6);
        acc.L7 = Vector256.ConditionalSelect(mask, entry.L7, acc.L7);
        acc.L8 = Vector256.ConditionalSelect(mask, entry.L8, acc.L8);
        acc.L9 = Vector256.ConditionalSelect(mask, entry.L9, acc.L9);
    }
}
