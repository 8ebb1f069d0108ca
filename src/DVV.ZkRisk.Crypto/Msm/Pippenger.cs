using System.Buffers;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Pippenger's bucket method (variable time, public scalars only). Scalars are cut into signed digits
/// of w bits; for each digit position every point is added into the bucket of its digit (negated for a
/// negative digit), and the buckets are combined with a running sum: Sum_k k*B_k = Sum_k (B_k + ... + B_top).
/// Cost is about ceil(256/w) * (n + 2^w) additions, so w is picked per size to minimise it.
///
/// Scaling: the points are cut into one contiguous part per core (each with its own buckets; the partial sums
/// are added at the end), and each part is read in chunks of <see cref="ChunkPoints"/> points so that the
/// digit and cached-point buffers stay bounded however large n is. A part keeps the buckets of every digit
/// position, (ceil(256/w) + 1) * 2^(w-1) extended points, which is why w is capped at <see cref="MaxWindow"/>
/// (21 * 4096 * 160 bytes = 14 MB per part; one position's buckets, 640 KB, stay in the per-core cache). Beyond about
/// 100,000 points per part a wider window would save a few per cent of additions (w = 16 for 2 million points per
/// core: about 17 instead of 20 additions per point) at 4-16 times the bucket memory; measured on this machine at
/// 262,144 points, caps of 11 to 14 were within the noise of each other.
/// </summary>
internal static class Pippenger
{
    internal const int ChunkPoints = 1 << 14;
    internal const int MaxWindow = 13;
    /// <summary>Each core's part must be big enough that its bucket combination (about 2^w additions per digit) stays small.</summary>
    internal const int MinPointsPerWorker = 512;

    /// <summary>The window minimising (digits) * (n additions + 2^w bucket-combination additions), for n points in one part.</summary>
    internal static int WindowFor(int n)
    {
        int best = 4;
        double bestCost = double.MaxValue;
        for (int w = 4; w <= MaxWindow; w++)
        {
            int digits = (256 + w - 1) / w + 1;
            double cost = digits * (n + (double)(1 << w));
            if (cost < bestCost) { bestCost = cost; best = w; }
        }
        return best;
    }

    public static unsafe EdwardsPoint Compute(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        int workers = MsmParallelism.WorkersFor(n, MinPointsPerWorker);
        if (workers == 1) return PartFor(scalars, points);
        var partial = new EdwardsPoint[workers];
        fixed (Scalar* ps = scalars) fixed (RistrettoPoint* pp = points)
        {
            nint sAddr = (nint)ps, pAddr = (nint)pp;
            MsmParallelism.For(workers, w =>
            {
                int lo = (int)((long)n * w / workers), hi = (int)((long)n * (w + 1) / workers);
                partial[w] = PartFor(new ReadOnlySpan<Scalar>((Scalar*)sAddr + lo, hi - lo), new ReadOnlySpan<RistrettoPoint>((RistrettoPoint*)pAddr + lo, hi - lo));
            });
        }
        EdwardsPoint sum = partial[0];
        for (int w = 1; w < workers; w++) sum = EdwardsPoint.Add(sum, partial[w]);
        return sum;
    }

    /// <summary>
    /// Sum_k (k+1) * bucket[offset + k] for k &lt; count, by running sums from the top bucket down
    /// (Sum_k k B_k = Sum_k (B_k + ... + B_top)); unused buckets count as the identity.
    /// </summary>
    internal static EdwardsPoint CombineBuckets(EdwardsPoint[] bucket, bool[] used, int offset, int count)
    {
        EdwardsPoint running = EdwardsPoint.Identity, sum = EdwardsPoint.Identity;
        bool anyRunning = false, anySum = false;
        for (int b = offset + count - 1; b >= offset; b--)
        {
            if (used[b]) { running = anyRunning ? EdwardsPoint.Add(running, bucket[b]) : bucket[b]; anyRunning = true; }
            if (anyRunning) { sum = anySum ? EdwardsPoint.Add(sum, running) : running; anySum = true; }
        }
        return sum;
    }

    /// <summary>The 4-way AVX2 part where the CPU has AVX2 (decided by the machine, never by data), else the serial one.</summary>
    internal static EdwardsPoint PartFor(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => UseAvx2 ? PippengerAvx2.Part(scalars, points) : Part(scalars, points);

    private static readonly bool UseAvx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported;

    /// <summary>One part: every chunk's points go into the part's buckets, then the buckets are combined once.</summary>
    internal static EdwardsPoint Part(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        int w = WindowFor(n);
        int maxDigits = (256 + w - 1) / w + 1;
        int buckets = 1 << (w - 1);
        int chunk = Math.Min(n, ChunkPoints);

        var digits = ArrayPool<int>.Shared.Rent(chunk * maxDigits);
        var cached = ArrayPool<AffineNielsPoint>.Shared.Rent(chunk);
        var bucket = ArrayPool<EdwardsPoint>.Shared.Rent(maxDigits * buckets);
        var used = ArrayPool<bool>.Shared.Rent(maxDigits * buckets);
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
                }
                // Affine Niels with one inversion per chunk: each bucket addition is then a mixed addition
                // (7 multiplications instead of 8), and a point is added about 256/w times.
                AffineBatch.ToAffineNiels(System.Runtime.InteropServices.MemoryMarshal.Cast<RistrettoPoint, EdwardsPoint>(points.Slice(start, len)), cached.AsSpan(0, len));
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
                            // First entry: the bucket starts as the point itself, no addition needed.
                            bucket[b] = AffineBatch.ToExtended(cached[i], d < 0);
                            used[b] = true;
                        }
                        else
                        {
                            bucket[b] = (d > 0 ? CompletedPoint.Add(bucket[b], cached[i]) : AffineBatch.Sub(bucket[b], cached[i])).ToExtended();
                        }
                    }
                }
            }

            EdwardsPoint total = EdwardsPoint.Identity;
            for (int pos = digitCount - 1; pos >= 0; pos--)
            {
                EdwardsPoint sum = CombineBuckets(bucket, used, pos * buckets, buckets);
                total = pos == digitCount - 1 ? sum : EdwardsPoint.Add(total.MulByPow2(w), sum);
            }
            return total;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(digits);
            ArrayPool<AffineNielsPoint>.Shared.Return(cached);
            ArrayPool<EdwardsPoint>.Shared.Return(bucket);
            ArrayPool<bool>.Shared.Return(used);
        }
    }
}
