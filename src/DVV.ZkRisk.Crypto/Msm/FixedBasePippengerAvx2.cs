using System.Buffers;
using System.Runtime.Intrinsics;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// One part of <see cref="FixedBasePippenger"/> on the 4-way AVX2 backend: the same digits and shared buckets, each
/// bucket an <see cref="ExtendedPoint4"/>, each shifted generator 2^(wk) G_i brought from its affine Niels entry to
/// the cached form by a lane shuffle (<see cref="PackedCachedPoint4.FromAffineNiels"/>, no multiplication) and added
/// with two 4-way products (HWCD 2008 section 3.1). Variable time, public scalars only. Callers check
/// <c>Avx2.IsSupported</c>.
/// </summary>
internal static class FixedBasePippengerAvx2
{
    private const int W = ShiftedBaseTable.Window;
    private const int Buckets = 1 << (W - 1);

    public static EdwardsPoint Part(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<ShiftedBaseTable> tables)
    {
        var bucket = ArrayPool<ExtendedPoint4>.Shared.Rent(Buckets);
        var used = ArrayPool<bool>.Shared.Rent(Buckets);
        Span<int> digits = stackalloc int[ShiftedBaseTable.Positions];
        Vector256<ulong> negate = Vector256<ulong>.AllBitsSet;
        try
        {
            Array.Clear(used, 0, Buckets);
            ExtendedPoint4 identity = ExtendedPoint4.Identity;
            for (int i = 0; i < scalars.Length; i++)
            {
                int c = scalars[i].ToRadix2w(digits, W);
                var shifted = tables[i].Shifted;
                for (int k = 0; k < c; k++)
                {
                    int d = digits[k];
                    if (d == 0) continue;
                    int b = (d > 0 ? d : -d) - 1;
                    CachedPoint4 q = PackedCachedPoint4.FromAffineNiels(shifted[k]);
                    if (d < 0) q.ConditionalNegateInPlace(negate);
                    if (!used[b])
                    {
                        ExtendedPoint4.Add(identity, q, out bucket[b]);
                        used[b] = true;
                    }
                    else ExtendedPoint4.Add(bucket[b], q, out bucket[b]);
                }
            }
            PippengerAvx2.CombineBuckets(bucket, used, 0, Buckets, out ExtendedPoint4 sum);
            return sum.ToEdwards();
        }
        finally
        {
            ArrayPool<ExtendedPoint4>.Shared.Return(bucket);
            ArrayPool<bool>.Shared.Return(used);
        }
    }
}
