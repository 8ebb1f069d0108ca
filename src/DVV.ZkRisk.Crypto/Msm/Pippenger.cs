using System.Buffers;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Pippenger's bucket method (variable time, public scalars only). Scalars are cut into signed digits
/// of w bits; for each digit position every point is added into the bucket of its digit (negated for a
/// negative digit), and the buckets are combined with a running sum: Sum_k k*B_k = Sum_k (B_k + ... + B_top).
/// Cost is about ceil(256/w) * (n + 2^w) additions, so w is picked per size to minimise it.
/// </summary>
internal static class Pippenger
{
    /// <summary>The window minimising (digits) * (n additions + 2^w bucket-combination additions).</summary>
    internal static int WindowFor(int n)
    {
        int best = 4;
        double bestCost = double.MaxValue;
        for (int w = 4; w <= 15; w++)
        {
            int digits = (256 + w - 1) / w + 1;
            double cost = digits * (n + (double)(1 << w));
            if (cost < bestCost) { bestCost = cost; best = w; }
        }
        return best;
    }

    public static EdwardsPoint Compute(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        int w = WindowFor(n);
        int maxDigits = (256 + w - 1) / w + 1;
        int buckets = 1 << (w - 1);

        var digits = ArrayPool<int>.Shared.Rent(n * maxDigits);
        var cached = ArrayPool<ProjectiveNielsPoint>.Shared.Rent(n);
        var bucket = ArrayPool<EdwardsPoint>.Shared.Rent(buckets);
        var used = ArrayPool<bool>.Shared.Rent(buckets);
        try
        {
            int digitCount = 0;
            for (int i = 0; i < n; i++)
            {
                int c = scalars[i].ToRadix2w(digits.AsSpan(i * maxDigits, maxDigits), w);
                for (int k = c; k < maxDigits; k++) digits[i * maxDigits + k] = 0;
                if (c > digitCount) digitCount = c;
                cached[i] = points[i].Inner.ToProjectiveNiels();
            }

            EdwardsPoint total = EdwardsPoint.Identity;
            for (int pos = digitCount - 1; pos >= 0; pos--)
            {
                Array.Clear(used, 0, buckets);
                for (int i = 0; i < n; i++)
                {
                    int d = digits[i * maxDigits + pos];
                    if (d == 0) continue;
                    int b = (d > 0 ? d : -d) - 1;
                    if (!used[b])
                    {
                        // First entry: the bucket starts as the point itself, no addition needed.
                        bucket[b] = d > 0 ? EdwardsPoint.Add(EdwardsPoint.Identity, cached[i]) : EdwardsPoint.Sub(EdwardsPoint.Identity, cached[i]);
                        used[b] = true;
                    }
                    else
                    {
                        bucket[b] = d > 0 ? EdwardsPoint.Add(bucket[b], cached[i]) : EdwardsPoint.Sub(bucket[b], cached[i]);
                    }
                }

                // Sum_k (k+1) * bucket[k] by running sums from the top bucket down.
                EdwardsPoint running = EdwardsPoint.Identity, sum = EdwardsPoint.Identity;
                bool anyRunning = false;
                for (int b = buckets - 1; b >= 0; b--)
                {
                    if (used[b]) { running = anyRunning ? EdwardsPoint.Add(running, bucket[b]) : bucket[b]; anyRunning = true; }
                    if (anyRunning) sum = EdwardsPoint.Add(sum, running);
                }

                total = pos == digitCount - 1 ? sum : EdwardsPoint.Add(total.MulByPow2(w), sum);
            }
            return total;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(digits);
            ArrayPool<ProjectiveNielsPoint>.Shared.Return(cached);
            ArrayPool<EdwardsPoint>.Shared.Return(bucket);
            ArrayPool<bool>.Shared.Return(used);
        }
    }
}
