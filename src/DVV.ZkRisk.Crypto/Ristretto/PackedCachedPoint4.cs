using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// <see cref="CachedPoint4"/> values stored compactly for precomputed tables: every limb of every lane is below
/// 2^27 (reduced, or 2p - reduced after a negation), so it fits a 32-bit word and one point takes 40 words =
/// 160 bytes instead of the 320 bytes of ten Vector256&lt;ulong&gt;. Limb k of lanes 0..3 is words 4k..4k+3; a load
/// widens each limb with one VPMOVZXDQ. Halving the size keeps more generator tables in cache. Requires AVX2.
/// </summary>
internal static class PackedCachedPoint4
{
    public const int Words = 40;

    /// <summary>Writes <paramref name="p"/> to dst[0..40).</summary>
    public static void Pack(in CachedPoint4 p, Span<uint> dst)
    {
        ref readonly FieldElement2625x4 v = ref p.V;
        ReadOnlySpan<Vector256<ulong>> limbs = [v.L0, v.L1, v.L2, v.L3, v.L4, v.L5, v.L6, v.L7, v.L8, v.L9];
        for (int k = 0; k < 10; k++)
            for (int l = 0; l < 4; l++)
            {
                ulong x = limbs[k].GetElement(l);
                if (x > uint.MaxValue) throw new InvalidOperationException("limb does not fit 32 bits");
                dst[4 * k + l] = (uint)x;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Widen(ref uint src, nuint o)
        => Avx2.ConvertToVector256Int64(Vector128.LoadUnsafe(ref src, o)).AsUInt64();

    /// <summary>Reads the point at words [offset, offset + 40) of <paramref name="words"/> (offset checked by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(uint[] words, int offset, out CachedPoint4 r)
    {
        ref uint s = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(words), offset);
        Unpack(ref s, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(ref uint s, out CachedPoint4 r)
    {
        r.V.L0 = Widen(ref s, 0);
        r.V.L1 = Widen(ref s, 4);
        r.V.L2 = Widen(ref s, 8);
        r.V.L3 = Widen(ref s, 12);
        r.V.L4 = Widen(ref s, 16);
        r.V.L5 = Widen(ref s, 20);
        r.V.L6 = Widen(ref s, 24);
        r.V.L7 = Widen(ref s, 28);
        r.V.L8 = Widen(ref s, 32);
        r.V.L9 = Widen(ref s, 36);
    }

    /// <summary>
    /// The cached form (Y - X, Y + X, 2d T, 2 Z) of an affine Niels point (Y + X, Y - X, 2d X Y), Z = 1: a lane
    /// shuffle, no multiplication. One carry round makes the limbs reduced whatever the serial limb bounds.
    /// </summary>
    public static CachedPoint4 FromAffineNiels(in AffineNielsPoint p)
        => new(FieldElement2625x4.Reduce(FieldElement2625x4.FromFieldElements(p.YMinusX, p.YPlusX, p.XY2d, FieldElement.One + FieldElement.One)));
}
