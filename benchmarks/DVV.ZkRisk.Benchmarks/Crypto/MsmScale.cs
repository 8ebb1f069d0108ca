using System.Diagnostics;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// `msm-scale [--n 1048576] [--threads 1,2]`: one variable-time MSM (Pippenger) over n points per thread count, for
/// the scaling of very large inputs (the epoch verifier's millions of points). Points are B, 2B, 3B, ... (one addition
/// each to make), scalars random; the first run per thread count is also the check that both agree.
/// </summary>
public static class MsmScale
{
    public static int Run(string[] args)
    {
        int n = 1 << 20;
        int[] threads = [1, 2];
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--n") n = int.Parse(args[i + 1]);
            if (args[i] == "--threads") threads = args[i + 1].Split(',').Select(int.Parse).ToArray();
        }
        var points = new RistrettoPoint[n];
        var scalars = new Scalar[n];
        var rng = new Random(n);
        var buf = new byte[64];
        points[0] = RistrettoPoint.Basepoint;
        for (int i = 1; i < n; i++) points[i] = points[i - 1] + RistrettoPoint.Basepoint;
        for (int i = 0; i < n; i++) { rng.NextBytes(buf); scalars[i] = Scalar.FromBytesWide(buf); }
        RistrettoPoint? first = null;
        foreach (int t in threads)
        {
            MsmParallelism.MaxDegreeOfParallelism = t;
            MultiscalarMul.Vartime(scalars.AsSpan(0, Math.Min(n, 4096)), points.AsSpan(0, Math.Min(n, 4096)));
            string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var sw = Stopwatch.StartNew();
            var r = MultiscalarMul.Vartime(scalars, points);
            double ms = sw.Elapsed.TotalMilliseconds;
            if (first is { } f && f != r) throw new InvalidOperationException("thread counts disagree");
            first = r;
            Console.WriteLine($"n = {n}, {t} thread(s), window {Pippenger.WindowFor(n / t)}, load {load}: {ms:F0} ms, {1000 * ms / n:F2} us per point");
        }
        return 0;
    }
}
