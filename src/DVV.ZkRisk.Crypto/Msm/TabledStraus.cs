using System.Buffers;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Variable-time Straus over two kinds of points (public scalars only): dynamic points, for which a width-5
/// NAF table of 8 odd multiples is built per call, and fixed generators with a precomputed
/// <see cref="GeneratorTable"/> (wider NAF, affine entries, no per-call table). Sum_i a_i P_i + Sum_j b_j G_j
/// shares one chain of doublings; each nonzero NAF digit costs one addition. On several cores the points are
/// cut into parts of about equal cost, each part runs its own chain, and the partial sums are added.
/// </summary>
internal static class TabledStraus
{
    private const int DynamicWidth = 5;
    // Relative cost per point (additions, including table building for dynamic points): 256/6 + 8 vs 256/(w+1).
    private const int DynamicCost = 51, StaticCost = 29;
    // A part must be worth more than its own 256 doublings and the fork (about 80 static points).
    private const int MinCostPerWorker = 80 * StaticCost;

    /// <summary>Dynamic points only (the generic variable-time Straus below the Pippenger threshold).</summary>
    public static EdwardsPoint Compute(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => Compute(scalars, points, [], [], 0);

    /// <summary>
    /// Sum dynScalars_i dynPoints_i + Sum statScalars_j [table_j's generator] for j &lt; statCount. The spans are
    /// pinned for the duration of the parallel parts (each part reads its own slice).
    /// </summary>
    public static unsafe EdwardsPoint Compute(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, GeneratorTable[] tables, int statCount)
    {
        int dynCount = dynScalars.Length;
        long total = (long)dynCount * DynamicCost + (long)statCount * StaticCost;
        int workers = MsmParallelism.WorkersFor(total, MinCostPerWorker);
        if (workers == 1)
            return Part(dynScalars, dynPoints, statScalars[..statCount], tables.AsSpan(0, statCount));

        // Cut the combined index space [dynamic..., static...] into parts of about total/workers cost each;
        // a part that straddles the boundary takes the tail of the dynamic points and the head of the static ones.
        var dynCut = new int[workers + 1];
        var statCut = new int[workers + 1];
        long target = total / workers, acc = 0;
        int part = 1, d = 0, s = 0;
        while (d < dynCount && part < workers) { acc += DynamicCost; d++; if (acc >= target * part) { dynCut[part] = d; part++; } }
        while (s < statCount && part < workers) { acc += StaticCost; s++; if (acc >= target * part) { dynCut[part] = dynCount; statCut[part] = s; part++; } }
        for (; part <= workers; part++) { dynCut[part] = dynCount; statCut[part] = statCount; }

        var partial = new EdwardsPoint[workers];
        fixed (Scalar* pds = dynScalars) fixed (RistrettoPoint* pdp = dynPoints) fixed (Scalar* pss = statScalars)
        {
            nint ds = (nint)pds, dp = (nint)pdp, ss = (nint)pss;
            MsmParallelism.For(workers, w =>
            {
                int dLo = dynCut[w], dHi = dynCut[w + 1], sLo = statCut[w], sHi = statCut[w + 1];
                partial[w] = Part(
                    new ReadOnlySpan<Scalar>((Scalar*)ds + dLo, dHi - dLo), new ReadOnlySpan<RistrettoPoint>((RistrettoPoint*)dp + dLo, dHi - dLo),
                    new ReadOnlySpan<Scalar>((Scalar*)ss + sLo, sHi - sLo), tables.AsSpan(sLo, sHi - sLo));
            });
        }
        EdwardsPoint sum = partial[0];
        for (int w = 1; w < workers; w++) sum = EdwardsPoint.Add(sum, partial[w]);
        return sum;
    }

    /// <summary>One chain: on the 4-way AVX2 backend where available (<see cref="TabledStrausAvx2"/>), else serial.</summary>
    private static EdwardsPoint Part(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<GeneratorTable> tables)
        => Avx2.IsSupported
            ? TabledStrausAvx2.Part(dynScalars, dynPoints, statScalars, tables)
            : SerialPart(dynScalars, dynPoints, statScalars, tables);

    /// <summary>The serial chain (extended/completed points, affine Niels generator entries); the fallback without AVX2.</summary>
    internal static EdwardsPoint SerialPart(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<GeneratorTable> tables)
    {
        int nd = dynScalars.Length, ns = statScalars.Length;
        if (nd + ns == 0) return EdwardsPoint.Identity;
        var nafs = ArrayPool<sbyte>.Shared.Rent((nd + ns) * 256);
        var odd = ArrayPool<ProjectiveNielsPoint>.Shared.Rent(Math.Max(1, nd * 8));
        try
        {
            int top = -1;
            for (int i = 0; i < nd; i++)
            {
                var naf = nafs.AsSpan(i * 256, 256);
                dynScalars[i].ToNaf(naf, DynamicWidth);
                top = Math.Max(top, TopNonZero(naf));
                ScalarMul.OddMultiples(dynPoints[i].Inner, odd.AsSpan(i * 8, 8));
            }
            for (int j = 0; j < ns; j++)
            {
                var table = tables[j];
                var naf = nafs.AsSpan((nd + j) * 256, 256);
                statScalars[j].ToNaf(naf, table.Width);
                // A digit at s*span + b is added at chain step b, so a split table needs at most span steps.
                int t = TopNonZero(naf);
                if (t >= 0) top = Math.Max(top, table.Splits == 1 ? t : table.Span - 1);
            }
            if (top < 0) return EdwardsPoint.Identity;

            ProjectivePoint r = EdwardsPoint.Identity.ToProjective();
            for (int b = top; b >= 0; b--)
            {
                CompletedPoint t = r.Double();
                for (int i = 0; i < nd; i++)
                {
                    int dg = nafs[i * 256 + b];
                    if (dg > 0) t = CompletedPoint.Add(t.ToExtended(), odd[i * 8 + (dg >> 1)]);
                    else if (dg < 0) t = CompletedPoint.Sub(t.ToExtended(), odd[i * 8 + ((-dg) >> 1)]);
                }
                for (int j = 0; j < ns; j++)
                {
                    var table = tables[j];
                    if (b >= table.Span) continue;
                    int baseIdx = (nd + j) * 256;
                    for (int sp = 0; sp < table.Splits; sp++)
                    {
                        int dg = nafs[baseIdx + sp * table.Span + b];
                        if (dg != 0) t = table.AddDigit(t, sp, dg);
                    }
                }
                r = t.ToProjective();
            }
            return AffineBatch.ToExtended(r);
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<ProjectiveNielsPoint>.Shared.Return(odd);
        }
    }

    private static int TopNonZero(ReadOnlySpan<sbyte> naf)
    {
        for (int i = naf.Length - 1; i >= 0; i--) if (naf[i] != 0) return i;
        return -1;
    }
}
