using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Benchmarks.Bls12381;

/// <summary>
/// BLS12-381 against @noble/curves on the same inputs, in the same run:
///   dotnet run -c Release --project benchmarks/DVV.ZkRisk.Benchmarks -- --filter '*Bls12381Benchmarks*'
/// BenchmarkDotNet times the C# side (short run, in process). Right before each C# benchmark, its GlobalSetup
/// starts `node tests/interop/bls/noble-bench.mjs OP` with the same inputs, so both sides are timed back to back
/// under the same load of the shared machine; the "noble median" column shows noble's median and "noble / ours" the
/// ratio of medians (above 1: we are faster).
/// </summary>
[Config(typeof(NobleComparisonConfig))]
public class Bls12381Benchmarks
{
    internal static readonly BenchInputs Inputs = BenchInputs.Create();

    private readonly G1Point _p1 = G1Point.FromBytes(Inputs.Pk);
    private readonly G2Point _q2 = G2Point.FromBytes(Inputs.Sig);
    private readonly BlsScalar _k = Inputs.Scalar;
    private readonly BlsPublicKey[] _pks100 = Inputs.Pks100.Select(p => BlsPublicKey.FromBytes(p)).ToArray();

    [GlobalSetup(Target = nameof(G1Mul))] public void SetupG1Mul() => NobleColumn.Measure(nameof(G1Mul));
    [GlobalSetup(Target = nameof(G2Mul))] public void SetupG2Mul() => NobleColumn.Measure(nameof(G2Mul));
    [GlobalSetup(Target = nameof(HashToG2))] public void SetupHashToG2() => NobleColumn.Measure(nameof(HashToG2));
    [GlobalSetup(Target = nameof(Pairing))] public void SetupPairing() => NobleColumn.Measure(nameof(Pairing));
    [GlobalSetup(Target = nameof(Verify))] public void SetupVerify() => NobleColumn.Measure(nameof(Verify));
    [GlobalSetup(Target = nameof(FastAggregateVerify100))] public void SetupFav() => NobleColumn.Measure(nameof(FastAggregateVerify100));

    [Benchmark(Description = "G1Mul")] public G1Point G1Mul() => G1Point.Multiply(_p1, _k);
    [Benchmark(Description = "G2Mul")] public G2Point G2Mul() => G2Point.Multiply(_q2, _k);
    [Benchmark(Description = "HashToG2")] public G2Point HashToG2() => HashToCurve.HashToG2(Inputs.Msg, Bls.SignatureDst);
    [Benchmark(Description = "Pairing")] public Fp12 Pairing() => DVV.ZkRisk.Crypto.Bls12381.Pairing.Pair(_p1, _q2);
    [Benchmark(Description = "Verify")] public bool Verify() => Bls.Verify(Inputs.Pk, Inputs.Msg, Inputs.Sig);
    [Benchmark(Description = "FastAggregateVerify100")]
    public bool FastAggregateVerify100() => Bls.FastAggregateVerify(_pks100, Inputs.Msg, BlsSignature.FromBytes(Inputs.AggSig));
}

/// <summary>Fixed, reproducible inputs shared by both sides.</summary>
internal sealed record BenchInputs(byte[] Pk, byte[] Sig, byte[] Msg, BlsScalar Scalar, byte[][] Pks100, byte[] AggSig)
{
    public static BenchInputs Create()
    {
        using var sk = BlsSecretKey.KeyGen(SHA256.HashData("dvv-bench-sk"u8.ToArray()));
        var msg = SHA256.HashData("dvv-bench-msg"u8.ToArray());
        var keys = Enumerable.Range(0, 100).Select(i => BlsSecretKey.KeyGen(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        var agg = BlsSignature.Aggregate(keys.Select(k => k.Sign(msg)));
        var scalar = BlsScalar.FromBytesWide(SHA256.HashData("dvv-bench-scalar"u8.ToArray()));
        var inputs = new BenchInputs(sk.PublicKey.ToBytes(), sk.Sign(msg).ToBytes(), msg, scalar,
            keys.Select(k => k.PublicKey.ToBytes()).ToArray(), agg.ToBytes());
        foreach (var k in keys) k.Dispose();
        return inputs;
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        pk = Hex(Pk), sig = Hex(Sig), msg = Hex(Msg), scalar = Hex(Scalar.ToBytes()),
        pks100 = Pks100.Select(Hex).ToArray(), aggSig = Hex(AggSig),
    });

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
}

/// <summary>Short in-process job (2 shared cores) plus the two noble columns.</summary>
public sealed class NobleComparisonConfig : ManualConfig
{
    public NobleComparisonConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        AddColumn(new NobleColumn(ratio: false), new NobleColumn(ratio: true));
        HideColumns(Column.Error, Column.StdDev);
        AddColumn(StatisticColumn.Median);
    }
}

/// <summary>Shows the noble medians measured by <see cref="Measure"/> (in-process toolchain: same process as the runs).</summary>
public sealed class NobleColumn : IColumn
{
    private readonly bool _ratio;
    public NobleColumn(bool ratio) { _ratio = ratio; }

    private static readonly Dictionary<string, double> Medians = new();
    private static string _note = "not measured";

    /// <summary>Times one operation in node (called from the benchmark's GlobalSetup, just before our own runs).</summary>
    public static void Measure(string op)
    {
        var (ns, note) = RunNoble(op);
        if (ns != null) foreach (var kv in ns) Medians[kv.Key] = kv.Value;
        else _note = note;
    }

    public string Id => _ratio ? "NobleRatio" : "NobleMedian";
    public string ColumnName => _ratio ? "noble / ours" : "noble median";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _ratio ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => _ratio ? UnitType.Dimensionless : UnitType.Time;
    public string Legend => _ratio ? "noble median divided by our median (higher: we are faster)" : "@noble/curves 2.0.1 median on the same inputs (node)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var name = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (!Medians.TryGetValue(name, out var nobleNs)) return _note;
        if (!_ratio) return $"{nobleNs / 1e6:F3} ms";
        var ours = summary[benchmarkCase]?.ResultStatistics?.Median;
        return ours is > 0 ? $"{nobleNs / ours.Value:F2}x" : "?";
    }

    private static (Dictionary<string, double>?, string) RunNoble(string op)
    {
        try
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "DVV.ZkRisk.sln"))) dir = dir.Parent;
            if (dir == null) return (null, "repo root not found");
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            var psi = new ProcessStartInfo("node", "bls/noble-bench.mjs " + op)
            {
                WorkingDirectory = interop, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            p.StandardInput.Write(Bls12381Benchmarks.Inputs.ToJson());
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return (null, "node failed: " + stderr.Split('\n').FirstOrDefault());
            using var doc = JsonDocument.Parse(stdout);
            var d = doc.RootElement.GetProperty("medianNs").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetDouble());
            Console.WriteLine($"// noble side: {doc.RootElement.GetProperty("noble").GetString()} under node {doc.RootElement.GetProperty("node").GetString()}");
            return (d, "n/a");
        }
        catch (Exception e) { return (null, "noble unavailable: " + e.Message); }
    }
}
