using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Reports;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Benchmarks.Crypto;

public sealed record Timing(double MedianMs, double MinMs, double MaxMs, int Samples)
{
    public static Timing Of(IReadOnlyList<double> ms)
    {
        var s = ms.OrderBy(x => x).ToArray();
        double med = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        return new Timing(med, s[0], s[^1], s.Length);
    }

    public static Timing FromJson(JsonNode j) => new(j["median"]!.GetValue<double>(), j["min"]!.GetValue<double>(), j["max"]!.GetValue<double>(), j["n"]!.GetValue<int>());
}

/// <summary>dalek bulletproofs 4.0 (WASM, Node 20) timings of prove/verify per m and of verifying single proofs one by one.</summary>
public sealed record DalekTimings(string Node, int Iterations,
    IReadOnlyDictionary<int, (Timing Prove, Timing Verify, int ProofBytes)> ByM,
    IReadOnlyDictionary<int, string> Unsupported,
    IReadOnlyDictionary<int, Timing> SinglesOneByOne);

/// <summary>
/// Runs the Node peer tests/interop/rangeproof/dalek-rp.mjs ("bench" op) on <see cref="RangeProofBenchInputs"/>,
/// i.e. exactly the values and blindings our benchmarks prove. Node must be installed and `npm install` run in
/// tests/interop (./test.sh does it).
/// </summary>
public static class DalekWasmPeer
{
    public static DalekTimings Run(IEnumerable<int> ms, int iterations, IEnumerable<int> singles)
    {
        var reply = DalekRangeProofPeer.Bench(RangeProofBenchInputs.Bits, ms, iterations,
            RangeProofBenchInputs.Values, RangeProofBenchInputs.BlindingsHex, singles);
        var byM = new Dictionary<int, (Timing, Timing, int)>();
        var unsupported = new Dictionary<int, string>();
        foreach (var r in reply["results"]!.AsArray())
        {
            int m = r!["m"]!.GetValue<int>();
            if (r["unsupported"] is { } u) { unsupported[m] = u.GetValue<string>(); continue; }
            byM[m] = (Timing.FromJson(r["prove_ms"]!), Timing.FromJson(r["verify_ms"]!), r["proof_bytes"]!.GetValue<int>());
        }
        var s = new Dictionary<int, Timing>();
        foreach (var r in reply["singles"]!.AsArray()) s[r!["count"]!.GetValue<int>()] = Timing.FromJson(r["total_ms"]!);
        return new DalekTimings(reply["node"]!.GetValue<string>(), reply["iterations"]!.GetValue<int>(), byM, unsupported, s);
    }
}

/// <summary>
/// The side-by-side table (ours vs dalek WASM, medians, ratios) — after a BenchmarkDotNet run that included the
/// range-proof benchmarks, or stand-alone with Stopwatch medians for ours (`dalek-compare` mode, quicker).
/// </summary>
public static class DalekWasmComparison
{
    private static int DalekIterations => int.TryParse(Environment.GetEnvironmentVariable("DVV_DALEK_ITERATIONS"), out int k) && k > 0 ? k : 5;

    /// <summary>Called by Program.cs with BenchmarkDotNet's summaries; does nothing when no range-proof benchmark ran.</summary>
    public static void AfterBenchmarkDotNet(IEnumerable<Summary> summaries)
    {
        if (Environment.GetEnvironmentVariable("DVV_BENCH_NO_DALEK") == "1") return;
        var ours = new SortedDictionary<int, (double? Prove, double? Verify)>();
        var batch = new SortedDictionary<int, (double? OneByOne, double? Batch)>();
        string? resultsDir = null;
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
            {
                var bc = report.BenchmarkCase;
                double? med = report.ResultStatistics?.Median / 1e6;
                string method = bc.Descriptor.WorkloadMethod.Name;
                if (bc.Descriptor.Type == typeof(RangeProofBenchmarks))
                {
                    int m = Convert.ToInt32(bc.Parameters["M"], CultureInfo.InvariantCulture);
                    var cur = ours.GetValueOrDefault(m);
                    ours[m] = method == nameof(RangeProofBenchmarks.Prove) ? (med, cur.Verify) : (cur.Prove, med);
                    resultsDir = summary.ResultsDirectoryPath;
                }
                else if (bc.Descriptor.Type == typeof(RangeProofBatchBenchmarks))
                {
                    int c = Convert.ToInt32(bc.Parameters["Count"], CultureInfo.InvariantCulture);
                    var cur = batch.GetValueOrDefault(c);
                    batch[c] = method == nameof(RangeProofBatchBenchmarks.OneByOne) ? (med, cur.Batch) : (cur.OneByOne, med);
                    resultsDir = summary.ResultsDirectoryPath;
                }
            }
        if (ours.Count == 0 && batch.Count == 0) return;
        Console.WriteLine($"// dalek WASM peer: timing the same inputs ({DalekIterations} iterations per m; set DVV_DALEK_ITERATIONS to change) ...");
        var dalek = DalekWasmPeer.Run(ours.Keys.DefaultIfEmpty(1), DalekIterations, batch.Keys);
        Write(Table("BenchmarkDotNet medians", ours, batch, dalek), resultsDir);
    }

    /// <summary>
    /// `dalek-compare [--m 1,2,4,8,16,32,64] [--iterations K] [--singles 64,1024] [--threads T]`: Stopwatch medians for ours, each m
    /// immediately followed by dalek on the same m (one Node process per m), so that drift on a shared machine hits
    /// both sides of a row alike.
    /// </summary>
    public static int QuickCompare(string[] args)
    {
        int[] ms = Arg(args, "--m", [1, 2, 4, 8, 16, 32, 64]);
        int iterations = Arg(args, "--iterations", [5])[0];
        int[] singles = Arg(args, "--singles", [64]);
        int threads = Arg(args, "--threads", [Environment.ProcessorCount])[0];
        MsmParallelism.MaxDegreeOfParallelism = threads;
        var ours = new SortedDictionary<int, (double? Prove, double? Verify)>();
        var byM = new Dictionary<int, (Timing, Timing, int)>();
        var unsupported = new Dictionary<int, string>();
        var dalekSingles = new Dictionary<int, Timing>();
        string node = "?";
        string loadBefore = LoadAverage();
        WarmUp(singles.Length > 0);
        foreach (int m in ms)
        {
            var proof = RangeProofBenchInputs.Prove(m, out var comms); // warm-up
            var pt = new List<double>(); var vt = new List<double>();
            for (int i = 0; i < iterations; i++)
            {
                var sw = Stopwatch.StartNew();
                proof = RangeProofBenchInputs.Prove(m, out comms);
                pt.Add(sw.Elapsed.TotalMilliseconds);
            }
            Verify(proof, comms);
            for (int i = 0; i < iterations; i++)
            {
                var sw = Stopwatch.StartNew();
                bool ok = Verify(proof, comms);
                vt.Add(sw.Elapsed.TotalMilliseconds);
                if (!ok) throw new InvalidOperationException($"our m={m} proof does not verify");
            }
            ours[m] = (Timing.Of(pt).MedianMs, Timing.Of(vt).MedianMs);
            var dk = DalekWasmPeer.Run([m], iterations, []);
            node = dk.Node;
            foreach (var kv in dk.ByM) byM[kv.Key] = kv.Value;
            foreach (var kv in dk.Unsupported) unsupported[kv.Key] = kv.Value;
            Console.WriteLine($"m={m}: ours prove {ours[m].Prove:F2} ms, verify {ours[m].Verify:F2} ms; dalek WASM " +
                (dk.ByM.TryGetValue(m, out var t) ? $"prove {t.Prove.MedianMs:F2} ms, verify {t.Verify.MedianMs:F2} ms" : "n/a"));
        }
        var batch = new SortedDictionary<int, (double? OneByOne, double? Batch)>();
        foreach (int count in singles)
        {
            var st = SingleProofs.Get(count);
            var one = new List<double>(); var bt = new List<double>();
            int reps = count >= 512 ? 3 : Math.Max(3, iterations);
            for (int i = 0; i <= reps; i++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var (p, c) in st)
                    if (!Verify(p, c)) throw new InvalidOperationException("single failed");
                if (i > 0) one.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                if (!RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, SingleProofs.Statements(st), out _)) throw new InvalidOperationException("batch failed");
                if (i > 0) bt.Add(sw.Elapsed.TotalMilliseconds);
            }
            batch[count] = (Timing.Of(one).MedianMs, Timing.Of(bt).MedianMs);
            var dk = DalekWasmPeer.Run([], iterations, [count]);
            foreach (var kv in dk.SinglesOneByOne) dalekSingles[kv.Key] = kv.Value;
            Console.WriteLine($"{count} singles: ours one by one {batch[count].OneByOne:F1} ms, batch {batch[count].Batch:F1} ms; dalek WASM one by one {dalekSingles[count].MedianMs:F1} ms");
        }
        var dalek = new DalekTimings(node, iterations, byM, unsupported, dalekSingles);
        Write(Table($"Stopwatch medians of {iterations} runs, each m interleaved with dalek's, {threads} thread(s) (MsmParallelism), load average before/after {loadBefore}/{LoadAverage()}", ours, batch, dalek), null);
        return 0;
    }

    /// <summary>
    /// Tiered JIT: a method runs optimised only after about 30 calls, so a handful of timed runs would measure tier-0
    /// code. Call the prover, the verifier and the batch verifier often enough first (about 2 s).
    /// </summary>
    private static void WarmUp(bool batch)
    {
        var sw = Stopwatch.StartNew();
        RangeProof p = null!; RistrettoPoint[] c = null!;
        for (int i = 0; i < 40; i++) p = RangeProofBenchInputs.Prove(1, out c);
        for (int i = 0; i < 40; i++) Verify(p, c);
        for (int i = 0; i < 4; i++) { p = RangeProofBenchInputs.Prove(2, out c); Verify(p, c); }
        if (batch)
        {
            var st = SingleProofs.Get(64);
            for (int i = 0; i < 32; i++) RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, SingleProofs.Statements(st), out _);
        }
        Thread.Sleep(300); // let the background tier-1 compilations land
        Console.WriteLine($"// warm-up (tiered JIT) {sw.Elapsed.TotalSeconds:F1} s");
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static bool Verify(RangeProof p, RistrettoPoint[] c) =>
        p.TryVerify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), c, RangeProofBenchInputs.Bits, out _);

    public static string Table(string oursSource, IReadOnlyDictionary<int, (double? Prove, double? Verify)> ours,
        IReadOnlyDictionary<int, (double? OneByOne, double? Batch)> batch, DalekTimings dalek)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## Range proofs, n = 64: ours vs dalek bulletproofs 4.0 as WASM (same values and blindings, same run)");
        sb.AppendLine();
        sb.AppendLine($"ours: {oursSource}; dalek: medians of {dalek.Iterations} runs under Node {dalek.Node} (process.hrtime). Machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}.");
        sb.AppendLine();
        sb.AppendLine("| m | ours prove (ms) | dalek WASM prove (ms) | prove speed-up | ours verify (ms) | dalek WASM verify (ms) | verify speed-up |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (m, o) in ours)
        {
            if (dalek.ByM.TryGetValue(m, out var dk))
                sb.AppendLine($"| {m} | {F(o.Prove)} | {F(dk.Prove.MedianMs)} | {R(dk.Prove.MedianMs, o.Prove)} | {F(o.Verify)} | {F(dk.Verify.MedianMs)} | {R(dk.Verify.MedianMs, o.Verify)} |");
            else
                sb.AppendLine($"| {m} | {F(o.Prove)} | n/a | | {F(o.Verify)} | n/a | |");
        }
        if (dalek.Unsupported.Count > 0) sb.AppendLine($"\nn/a: {dalek.Unsupported.First().Value}.");
        if (batch.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| single 64-bit proofs | ours one by one (ms) | ours batch (ms) | batch / one-by-one | dalek WASM one by one (ms) | dalek one-by-one / ours batch |");
            sb.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var (count, b) in batch)
            {
                string d = dalek.SinglesOneByOne.TryGetValue(count, out var t) ? F(t.MedianMs) : "n/a";
                string pct = b.OneByOne is > 0 && b.Batch is { } bb ? $"{100 * bb / b.OneByOne.Value:F1}%" : "";
                sb.AppendLine($"| {count} | {F(b.OneByOne)} | {F(b.Batch)} | {pct} | {d} | {(t is null ? "" : R(t.MedianMs, b.Batch))} |");
            }
            sb.AppendLine("\ndalek has no cross-proof batch verification; its column verifies the proofs one after another.");
        }
        return sb.ToString();
    }

    private static string F(double? ms) => ms is null ? "n/a" : ms.Value >= 100 ? ms.Value.ToString("F0", CultureInfo.InvariantCulture) : ms.Value.ToString("F2", CultureInfo.InvariantCulture);
    private static string R(double dalek, double? ours) => ours is > 0 ? $"{dalek / ours.Value:F1}x" : "";

    private static void Write(string table, string? resultsDir)
    {
        Console.WriteLine();
        Console.WriteLine(table);
        resultsDir ??= Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(resultsDir);
        string file = Path.Combine(resultsDir, "RangeProof-vs-dalek-wasm.md");
        File.WriteAllText(file, table);
        Console.WriteLine($"// written to {file}");
    }

    private static int[] Arg(string[] args, string name, int[] fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : fallback;
    }
}
