using System.Buffers;
using System.Runtime.Intrinsics;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// One part of <see cref="Pippenger"/> on the 4-way AVX2 backend: the same digits, windows, chunks and bucket
/// schedule, but each bucket is an <see cref="ExtendedPoint4"/> and each point is added in the cached form
/// (Y - X, Y + X, 2dT, 2Z) of HWCD 2008 section 3.1, two 4-way products per addition instead of seven serial
/// products plus the completed-to-extended conversion. Variable time (public scalars and points only), as the
/// serial part. Callers check <c>Avx2.IsSupported</c>.
/// </summary>
internal static class PippengerAvx2
{
    public static EdwardsPoint Part(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        int w = Pippenger.WindowFor(n);
        int maxDigits = (256 + w - 1) / w + 1;
        int buckets = 1 << (w - 1);
        int chunk = Math.Min(n, Pippenger.ChunkPoints);

        var digits = ArrayPool<int>.Shared.Rent(chunk * maxDigits);
        var cached = ArrayPool<CachedPoint4>.Shared.Rent(chunk);
        var bucket = ArrayPool<ExtendedPoint4>.Shared.Rent(maxDigits * buckets);
        var used = ArrayPool<bool>.Shared.Rent(maxDigits * buckets);
        Vector256<ulong> negate = Vector256<ulong>.AllBitsSet;
        try
        {
            Array.Clear(used, 0, maxDigits * buckets);
            int digitCount = 0;
            for (int start = 0; start < n; start += chunk)
            {
                int len = Math.Min(chunk, n - start);
                for (int i = 0; i < len; i++)
                {
                    var di = digits.AsSpan(i * maxDigits, maxDigits);
                    int c = scalars[start + i].ToRadix2w(di, w);
                    di[c..].Clear();
                    if (c > digitCount) digitCount = c;
                    cached[i] = ExtendedPoint4.FromEdwards(points[start + i].Inner).ToCached();
                }
                for (int pos = 0; pos < maxDigits; pos++)
                {
                    int bOff = pos * buckets;
                    for (int i = 0; i < len; i++)
                    {
                        int d = digits[i * maxDigits + pos];
                        if (d == 0) continue;
                        int b = bOff + (d > 0 ? d : -d) - 1;
                        if (!used[b])
                        {
                            // First entry: the bucket starts as the point itself (or its negative), no addition.
                            ref readonly EdwardsPoint p = ref points[start + i].Inner;
                            bucket[b] = ExtendedPoint4.FromEdwards(d > 0 ? p : p.Negate());
                            used[b] = true;
                        }
                        else if (d > 0) ExtendedPoint4.Add(bucket[b], cached[i], out bucket[b]);
                        else
                        {
                            CachedPoint4 neg = cached[i].ConditionalNegate(negate);
                            ExtendedPoint4.Add(bucket[b], neg, out bucket[b]);
                        }
                    }
                }
            }

            // Each position's buckets combined, then Horner over the positions.
            ExtendedPoint4 total = ExtendedPoint4.Identity;
            for (int pos = digitCount - 1; pos >= 0; pos--)
            {
                CombineBuckets(bucket, used, pos * buckets, buckets, out ExtendedPoint4 sum);
                if (pos == digitCount - 1) total = sum;
                else
                {
                    for (int k = 0; k < w; k++) ExtendedPoint4.Double(total, out total);
                    ExtendedPoint4.Add(total, sum.ToCached(), out total);
                }
            }
            return total.ToEdwards();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(digits);
            ArrayPool<CachedPoint4>.Shared.Return(cached);
            ArrayPool<ExtendedPoint4>.Shared.Return(bucket);
            ArrayPool<bool>.Shared.Return(used);
        }
    }

    /// <summary><see cref="Pippenger.CombineBuckets"/> on 4-way buckets (each running sum brought to the cached form once per addition).</summary>
    internal static void CombineBuckets(ExtendedPoint4[] bucket, bool[] used, int offset, int count, out ExtendedPoint4 sum)
    {
        ExtendedPoint4 running = ExtendedPoint4.Identity;
        sum = ExtendedPoint4.Identity;
        bool anyRunning = false, anySum = false;
        for (int b = offset + count - 1; b >= offset; b--)
        {
            if (used[b])
            {
                if (anyRunning) ExtendedPoint4.Add(running, bucket[b].ToCached(), out running);
                else running = bucket[b];
                anyRunning = true;
            }
            if (anyRunning)
            {
                if (anySum) ExtendedPoint4.Add(sum, running.ToCached(), out sum);
                else sum = running;
                anySum = true;
            }
        }
    }
}
