using BenchmarkDotNet.Attributes;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// Multiscalar multiplication at 64..16384 points: variable-time (Pippenger above 190 points) and
/// constant-time Straus, beside N separate libsodium crypto_scalarmult_ristretto255 calls plus the
/// additions (what a caller without an MSM would do) as the peer baseline.
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class MsmBenchmarks
{
    [Params(64, 256, 1024, 4096, 16384)]
    public int N;

    private Scalar[] _scalars = null!;
    private RistrettoPoint[] _points = null!;
    private byte[][] _scalarBytes = null!, _pointBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        // DVV_BENCH_THREADS=1 measures single-threaded MSMs (libsodium's baseline is single-threaded).
        if (int.TryParse(Environment.GetEnvironmentVariable("DVV_BENCH_THREADS"), out int t)) MsmParallelism.MaxDegreeOfParallelism = t;
        var rng = new Random(N);
        var buf = new byte[64];
        _scalars = new Scalar[N];
        _points = new RistrettoPoint[N];
        for (int i = 0; i < N; i++)
        {
            rng.NextBytes(buf); _scalars[i] = Scalar.FromBytesWide(buf);
            rng.NextBytes(buf); _points[i] = RistrettoPoint.FromUniformBytes(buf);
        }
        _scalarBytes = _scalars.Select(s => s.ToBytes()).ToArray();
        _pointBytes = _points.Select(p => p.ToBytes()).ToArray();
        LibSodium.EnsureInitialised();
    }

    [Benchmark(Description = "ours: vartime MSM (Pippenger/Straus)")]
    public RistrettoPoint Vartime() => MultiscalarMul.Vartime(_scalars, _points);

    [Benchmark(Description = "ours: constant-time Straus MSM")]
    public RistrettoPoint ConstantTime() => MultiscalarMul.ConstantTime(_scalars, _points);

    [Benchmark(Baseline = true, Description = "libsodium: N x scalarmult + add")]
    public unsafe byte[] LibSodiumNaive()
    {
        var acc = new byte[32];
        var tmp = new byte[32];
        fixed (byte* a = acc, t = tmp)
        {
            for (int i = 0; i < N; i++)
            {
                fixed (byte* n = _scalarBytes[i], p = _pointBytes[i])
                {
                    LibSodium.crypto_scalarmult_ristretto255(t, n, p);
                    LibSodium.crypto_core_ristretto255_add(a, a, t);
                }
            }
        }
        return acc;
    }
}
