using System.Buffers;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Sum_i s_i G_i over fixed generators with precomputed shifted copies (<see cref="ShiftedBaseTable"/>), variable
/// time (public scalars only). Writing s_i = Sum_k d_ik 2^(w k) with signed digits |d_ik| &lt;= 2^(w-1),
/// Sum_i s_i G_i = Sum_(i,k) d_ik (2^(w k) G_i): every (generator, position) pair with a nonzero digit is added into
/// the bucket of |d| (negated for a negative digit) of one shared bucket set, which is combined once by running
/// sums. Against Pippenger over plain points this drops the per-position bucket combinations and the doublings
/// between positions, which makes a wide window (w = 12, about 21 additions per generator) affordable: for the
/// verifier's 2048 generators at m = 16 about 47k additions instead of 75k.
/// On several cores the generators are cut into parts, each with its own buckets; the partial sums are added.
/// </summary>
internal static class FixedBasePippenger
{
    private const int W = ShiftedBaseTable.Window;
    private const int Buckets = 1 << (W - 1);
    /// <summary>A part must be large against its own bucket combination (2 * 2048 additions).</summary>
    internal const int MinPointsPerWorker = 1024;

    public static unsafe EdwardsPoint Compute(ReadOnlySpan<Scalar> scalars, ShiftedBaseTable[] tables)
    {
        int n = scalars.Length;
        if (tables.Length < n) throw new ArgumentException("a table per scalar is needed");
        int workers = MsmParallelism.WorkersFor(n, MinPointsPerWorker);
        if (workers == 1) return PartFor(scalars, tables.AsSpan(0, n));
        var partial = new EdwardsPoint[workers];
        fixed (Scalar* ps = scalars)
        {
            nint sAddr = (nint)ps;
            MsmParallelism.For(workers, w =>
            {
                int lo = (int)((long)n * w / workers), hi = (int)((long)n * (w + 1) / workers);
                partial[w] = PartFor(new ReadOnlySpan<Scalar>((Scalar*)sAddr + lo, hi - lo), tables.AsSpan(lo, hi - lo));
            });
        }
        EdwardsPoint sum = partial[0];
        for (int w = 1; w < workers; w++) sum = EdwardsPoint.Add(sum, partial[w]);
        return sum;
    }

    private static readonly bool UseAvx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported;

    /// <summary>The 4-way AVX2 part where the CPU has AVX2 (decided by the machine, never by data), else the serial one.</summary>
    private static EdwardsPoint PartFor(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<ShiftedBaseTable> tables)
        => UseAvx2 ? FixedBasePippengerAvx2.Part(scalars, tables) : Part(scalars, tables);

    internal static EdwardsPoint Part(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<ShiftedBaseTable> tables)
    {
        var bucket = ArrayPool<EdwardsPoint>.Shared.Rent(Buckets);
        var used = ArrayPool<bool>.Shared.Rent(Buckets);
        Span<int> digits = stackalloc int[ShiftedBaseTable.Positions];
        try
        {
            Array.Clear(used, 0, Buckets);
            for (int i = 0; i < scalars.Length; i++)
            {
                int c = scalars[i].ToRadix2w(digits, W);
                var shifted = tables[i].Shifted;
                for (int k = 0; k < c; k++)
                {
                    int d = digits[k];
                    if (d == 0) continue;
                    int b = (d > 0 ? d : -d) - 1;
                    ref readonly AffineNielsPoint q = ref shifted[k];
                    if (!used[b])
                    {
                        bucket[b] = AffineBatch.ToExtended(q, d < 0);
                        used[b] = true;
                    }
                    else
                    {
                        bucket[b] = (d > 0 ? CompletedPoint.Add(bucket[b], q) : AffineBatch.Sub(bucket[b], q)).ToExtended();
                    }
                }
            }
            return Pippenger.CombineBuckets(bucket, used, 0, Buckets);
        }
        finally
        {
            ArrayPool<EdwardsPoint>.Shared.Return(bucket);
            ArrayPool<bool>.Shared.Return(used);
        }
    }
}
