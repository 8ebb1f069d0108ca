using System.Buffers;
using System.Runtime.Intrinsics;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// One part of <see cref="TabledStraus"/> on the 4-way AVX2 backend: the same NAF digits and chain, but the
/// accumulator is an <see cref="ExtendedPoint4"/> (doubling HWCD 2008 section 3.3, 4M + 4S as two 4-way
/// rounds), each dynamic point's odd multiples P, 3P, .., 15P are <see cref="CachedPoint4"/> values (2.5 KiB
/// per point, per call), and the fixed generators' entries are read from <see cref="GeneratorTable.Packed"/>.
/// Each nonzero digit costs one 4-way addition (HWCD section 3.1, two 4-way products), negative digits a lane
/// swap and one subtraction from 2p first. Variable time (public scalars only), as the serial part.
/// Callers check <c>Avx2.IsSupported</c>.
/// </summary>
internal static class TabledStrausAvx2
{
    private const int DynamicWidth = 5;

    public static EdwardsPoint Part(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<GeneratorTable> tables)
    {
        int nd = dynScalars.Length, ns = statScalars.Length;
        if (nd + ns == 0) return EdwardsPoint.Identity;
        var nafs = ArrayPool<sbyte>.Shared.Rent((nd + ns) * 256);
        var odd = ArrayPool<CachedPoint4>.Shared.Rent(Math.Max(1, nd * 8));
        var packed = ArrayPool<uint[]>.Shared.Rent(Math.Max(1, ns));
        Vector256<ulong> negate = Vector256<ulong>.AllBitsSet;
        try
        {
            int top = -1;
            for (int i = 0; i < nd; i++)
            {
                var naf = nafs.AsSpan(i * 256, 256);
                dynScalars[i].ToNaf(naf, DynamicWidth);
                int t = TopNonZero(naf);
                if (t < 0) continue;            // zero scalar: no table needed
                top = Math.Max(top, t);
                OddMultiples(dynPoints[i].Inner, odd.AsSpan(i * 8, 8));
            }
            for (int j = 0; j < ns; j++)
            {
                var table = tables[j];
                var naf = nafs.AsSpan((nd + j) * 256, 256);
                statScalars[j].ToNaf(naf, table.Width);
                packed[j] = table.Packed;
                // A digit at s*span + b is added at chain step b, so a split table needs at most span steps.
                int t = TopNonZero(naf);
                if (t >= 0) top = Math.Max(top, table.Splits == 1 ? t : table.Span - 1);
            }
            if (top < 0) return EdwardsPoint.Identity;

            ExtendedPoint4 r = ExtendedPoint4.Identity;
            CachedPoint4 q;
            bool started = false;   // doubling the identity is skipped (saves up to one doubling per leading zero bit)
            for (int b = top; b >= 0; b--)
            {
                if (started) ExtendedPoint4.Double(r, out r);
                for (int i = 0; i < nd; i++)
                {
                    int dg = nafs[i * 256 + b];
                    if (dg == 0) continue;
                    if (dg > 0) ExtendedPoint4.Add(r, odd[i * 8 + (dg >> 1)], out r);
                    else
                    {
                        q = odd[i * 8 + ((-dg) >> 1)];
                        q.ConditionalNegateInPlace(negate);
                        ExtendedPoint4.Add(r, q, out r);
                    }
                    started = true;
                }
                for (int j = 0; j < ns; j++)
                {
                    var table = tables[j];
                    if (b >= table.Span) continue;
                    int baseIdx = (nd + j) * 256;
                    for (int sp = 0; sp < table.Splits; sp++)
                    {
                        int dg = nafs[baseIdx + sp * table.Span + b];
                        if (dg == 0) continue;
                        PackedCachedPoint4.Unpack(packed[j], table.PackedOffset(sp, dg > 0 ? dg : -dg), out q);
                        if (dg < 0) q.ConditionalNegateInPlace(negate);
                        ExtendedPoint4.Add(r, q, out r);
                        started = true;
                    }
                }
            }
            return r.ToEdwards();
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<CachedPoint4>.Shared.Return(odd);
            Array.Clear(packed, 0, Math.Max(1, ns));
            ArrayPool<uint[]>.Shared.Return(packed);
        }
    }

    /// <summary>P, 3P, .., 15P in cached form: one doubling, seven additions of [2]P.</summary>
    internal static void OddMultiples(in EdwardsPoint p, Span<CachedPoint4> dst)
    {
        ExtendedPoint4 acc = ExtendedPoint4.FromEdwards(p);
        dst[0] = acc.ToCached();
        ExtendedPoint4.Double(acc, out ExtendedPoint4 twice);
        CachedPoint4 twiceCached = twice.ToCached();
        for (int j = 1; j < dst.Length; j++)
        {
            ExtendedPoint4.Add(acc, twiceCached, out acc);
            dst[j] = acc.ToCached();
        }
    }

    private static int TopNonZero(ReadOnlySpan<sbyte> naf)
    {
        for (int i = naf.Length - 1; i >= 0; i--) if (naf[i] != 0) return i;
        return -1;
    }
}
