using System.Buffers;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Straus (1964) with signed radix-16 digits for secret scalars: one shared chain of 4 doublings per digit
/// position and, per point and position, one constant-time table read (masked scan of all 8 entries) and one
/// addition, whatever the digit (zero digits add the identity). Bos-Coster is not used: its control flow depends
/// on the scalars. Two kinds of points: dynamic ones get a <see cref="LookupTable8"/> per call; fixed generators
/// come with a precomputed <see cref="CtAffineTable"/> (mixed additions).
///
/// On several cores the points are cut into parts by their count alone (public), each part runs the same chain,
/// and the partial sums are added: the work and the memory access pattern depend on the sizes only, never on the
/// scalars.
/// </summary>
internal static class ConstantTimeStraus
{
    /// <summary>Each part must hold this many points to pay for its own 252 doublings and the fork.</summary>
    internal const int MinPointsPerWorker = 64;

    public static unsafe EdwardsPoint Compute(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, CtAffineTable[] tables)
    {
        int nd = dynScalars.Length, ns = statScalars.Length;
        int total = nd + ns;
        int workers = MsmParallelism.WorkersFor(total, MinPointsPerWorker);
        if (workers == 1) return Part(dynScalars, dynPoints, statScalars, tables.AsSpan(0, ns));
        var partial = new EdwardsPoint[workers];
        fixed (Scalar* pds = dynScalars) fixed (RistrettoPoint* pdp = dynPoints) fixed (Scalar* pss = statScalars)
        {
            nint ds = (nint)pds, dp = (nint)pdp, ss = (nint)pss;
            MsmParallelism.For(workers, w =>
            {
                // Part w covers [lo, hi) of the index space dynamic..., static...
                int lo = (int)((long)total * w / workers), hi = (int)((long)total * (w + 1) / workers);
                int dLo = Math.Min(lo, nd), dHi = Math.Min(hi, nd);
                int sLo = Math.Max(lo - nd, 0), sHi = Math.Max(hi - nd, 0);
                partial[w] = Part(
                    new ReadOnlySpan<Scalar>((Scalar*)ds + dLo, dHi - dLo), new ReadOnlySpan<RistrettoPoint>((RistrettoPoint*)dp + dLo, dHi - dLo),
                    new ReadOnlySpan<Scalar>((Scalar*)ss + sLo, sHi - sLo), tables.AsSpan(sLo, sHi - sLo));
            });
        }
        EdwardsPoint sum = partial[0];
        for (int w = 1; w < workers; w++) sum = EdwardsPoint.Add(sum, partial[w]);
        return sum;
    }

    /// <summary>One chain: on the 4-way AVX2 backend where available (<see cref="ConstantTimeStrausAvx2"/>), else serial.</summary>
    private static EdwardsPoint Part(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<CtAffineTable> tables)
        => Avx2.IsSupported
            ? ConstantTimeStrausAvx2.Part(dynScalars, dynPoints, statScalars, tables)
            : SerialPart(dynScalars, dynPoints, statScalars, tables);

    /// <summary>The serial chain (extended points, Niels and affine Niels tables); the fallback without AVX2.</summary>
    internal static EdwardsPoint SerialPart(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<CtAffineTable> tables)
    {
        int nd = dynScalars.Length, ns = statScalars.Length, n = nd + ns;
        if (n == 0) return EdwardsPoint.Identity;
        var dynTables = ArrayPool<LookupTable8>.Shared.Rent(Math.Max(1, nd));
        var digits = ArrayPool<sbyte>.Shared.Rent(n * 64);
        try
        {
            for (int i = 0; i < nd; i++)
            {
                dynTables[i] = LookupTable8.Create(dynPoints[i].Inner);
                dynScalars[i].ToRadix16(digits.AsSpan(i * 64, 64));
            }
            for (int i = 0; i < ns; i++) statScalars[i].ToRadix16(digits.AsSpan((nd + i) * 64, 64));

            EdwardsPoint q = EdwardsPoint.Identity;
            for (int j = 63; j >= 0; j--)
            {
                if (j != 63) q = q.MulByPow2(4);
                for (int i = 0; i < nd; i++)
                    q = EdwardsPoint.Add(q, dynTables[i].Select(digits[i * 64 + j]));
                for (int i = 0; i < ns; i++)
                    q = CompletedPoint.Add(q, tables[i].Select(digits[(nd + i) * 64 + j])).ToExtended();
            }
            return q;
        }
        finally
        {
            // The digits are the secret scalars in another form: wipe them before the buffer is reused.
            Array.Clear(digits, 0, n * 64);
            ArrayPool<sbyte>.Shared.Return(digits);
            ArrayPool<LookupTable8>.Shared.Return(dynTables);
        }
    }
}
