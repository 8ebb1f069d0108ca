using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>Which side of the protocol runs a multiscalar multiplication.</summary>
public enum MsmTiming
{
    /// <summary>Prover side: scalars are secret, so the work and memory access pattern are independent of them (Straus).</summary>
    ConstantTime,
    /// <summary>Verifier side: scalars are public, so the fastest algorithm for the size is chosen (NAF Straus or Pippenger).</summary>
    Vartime,
}

/// <summary>
/// Sum_i s_i P_i behind one entry point. Constant time uses Straus' interleaved radix-16 windows with
/// constant-time table reads; variable time uses width-5 NAF Straus for small inputs and Pippenger's
/// bucket method with a size-dependent window for large ones. Large inputs are split over the cores allowed by
/// <see cref="MsmParallelism"/> (partial sums per part, then added): constant time from 128 points, by count only;
/// Straus from about 90 points; Pippenger from 1024 points, in contiguous parts.
/// </summary>
public static class MultiscalarMul
{
    /// <summary>Below this many points NAF-Straus beats Pippenger (measured on the benchmark machine; dalek uses 190 too).</summary>
    internal const int PippengerThreshold = 190;

    public static RistrettoPoint Compute(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points, MsmTiming timing)
    {
        if (scalars.Length != points.Length)
            throw new ArgumentException($"scalars ({scalars.Length}) and points ({points.Length}) differ in length");
        if (scalars.Length == 0) return RistrettoPoint.Identity;
        if (timing == MsmTiming.ConstantTime) return new RistrettoPoint(StrausConstantTime(scalars, points));
        return new RistrettoPoint(scalars.Length < PippengerThreshold ? StrausVartime(scalars, points) : Pippenger.Compute(scalars, points));
    }

    public static RistrettoPoint ConstantTime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => Compute(scalars, points, MsmTiming.ConstantTime);

    public static RistrettoPoint Vartime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => Compute(scalars, points, MsmTiming.Vartime);

    /// <summary>Straus with signed radix-16 digits and constant-time table reads, split over cores by point count (see <see cref="ConstantTimeStraus"/>).</summary>
    private static EdwardsPoint StrausConstantTime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => ConstantTimeStraus.Compute(scalars, points, [], []);

    /// <summary>
    /// Constant time: Sum dynScalars_i dynPoints_i + Sum statScalars_j G_j where G_j are fixed generators given by
    /// their precomputed tables (the prover's S and first inner-product round).
    /// </summary>
    internal static RistrettoPoint ConstantTimeWithTables(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, CtAffineTable[] tables)
    {
        if (dynScalars.Length != dynPoints.Length || statScalars.Length > tables.Length)
            throw new ArgumentException("scalars and points (or tables) differ in length");
        return new RistrettoPoint(ConstantTimeStraus.Compute(dynScalars, dynPoints, statScalars, tables));
    }

    /// <summary>Interleaved width-5 NAF: 256 doublings shared, about 256/6 additions per point (split over cores when large).</summary>
    private static EdwardsPoint StrausVartime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => TabledStraus.Compute(scalars, points);
}
