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
/// bucket method with a size-dependent window for large ones.
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

    /// <summary>Each constant-time part must hold this many points to pay for its own 252 doublings and the fork.</summary>
    internal const int ConstantTimeMinPointsPerWorker = 64;

    /// <summary>
    /// Straus (1964) with signed radix-16 digits: one shared chain of 4 doublings per digit position and
    /// one constant-time table read plus addition per point and position (Bos-Coster is not used: its
    /// control flow depends on the scalars). On several cores the points are cut into equal parts by
    /// their count alone (public), each part runs the same constant-time chain, and the partial sums are
    /// added: the work and memory access pattern still depend on n only, never on the scalars.
    /// </summary>
    private static unsafe EdwardsPoint StrausConstantTime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        int workers = MsmParallelism.WorkersFor(n, ConstantTimeMinPointsPerWorker);
        if (workers == 1) return StrausConstantTimePart(scalars, points);
        var partial = new EdwardsPoint[workers];
        fixed (Scalar* ps = scalars) fixed (RistrettoPoint* pp = points)
        {
            nint sAddr = (nint)ps, pAddr = (nint)pp;
            MsmParallelism.For(workers, w =>
            {
                int lo = (int)((long)n * w / workers), hi = (int)((long)n * (w + 1) / workers);
                partial[w] = StrausConstantTimePart(new ReadOnlySpan<Scalar>((Scalar*)sAddr + lo, hi - lo), new ReadOnlySpan<RistrettoPoint>((RistrettoPoint*)pAddr + lo, hi - lo));
            });
        }
        EdwardsPoint sum = partial[0];
        for (int w = 1; w < workers; w++) sum = EdwardsPoint.Add(sum, partial[w]);
        return sum;
    }

    private static EdwardsPoint StrausConstantTimePart(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        int n = scalars.Length;
        var tables = System.Buffers.ArrayPool<CtNielsTable>.Shared.Rent(n);
        var digits = System.Buffers.ArrayPool<sbyte>.Shared.Rent(n * 64);
        try
        {
            for (int i = 0; i < n; i++)
            {
                tables[i] = CtNielsTable.Create(points[i].Inner);
                scalars[i].ToRadix16(digits.AsSpan(i * 64, 64));
            }
            EdwardsPoint q = EdwardsPoint.Identity;
            for (int j = 63; j >= 0; j--)
            {
                if (j != 63) q = q.MulByPow2(4);
                for (int i = 0; i < n; i++)
                    q = EdwardsPoint.Add(q, tables[i].Select(digits[i * 64 + j]));
            }
            return q;
        }
        finally
        {
            // The digits are the secret scalars in another form: wipe them before the buffer is reused.
            Array.Clear(digits, 0, n * 64);
            System.Buffers.ArrayPool<sbyte>.Shared.Return(digits);
            System.Buffers.ArrayPool<CtNielsTable>.Shared.Return(tables);
        }
    }

    /// <summary>Interleaved width-5 NAF: 256 doublings shared, about 256/6 additions per point (split over cores when large).</summary>
    private static EdwardsPoint StrausVartime(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
        => TabledStraus.Compute(scalars, points);
}
