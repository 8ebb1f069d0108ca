using System.Diagnostics;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// `rp-batch-ratio [--count 64] [--reps 15] [--threads T]`: verifies Count single 64-bit proofs one by one, then as
/// one batch, Reps times back to back, and reports the median of the per-repetition ratios batch / one-by-one, which
/// is robust against load from other processes drifting between repetitions.
/// </summary>
public static class BatchRatio
{
    public static int Run(string[] args)
    {
        int count = 64, reps = 15;
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--count") count = int.Parse(args[i + 1]);
            if (args[i] == "--reps") reps = int.Parse(args[i + 1]);
            if (args[i] == "--threads") MsmParallelism.MaxDegreeOfParallelism = int.Parse(args[i + 1]);
        }
        var gens = RangeProofBenchInputs.Gens;
        var pc = RangeProofBenchInputs.Pc;
        var singles = SingleProofs.Get(count);
        bool OneByOne()
        {
            foreach (var (p, c) in singles)
                if (!p.TryVerify(gens, pc, new Transcript(RangeProofBenchInputs.Label), c, RangeProofBenchInputs.Bits, out _)) return false;
            return true;
        }
        bool Batch() => RangeProofBatch.Verify(gens, pc, SingleProofs.Statements(singles), out _);
        for (int i = 0; i < 3; i++) { OneByOne(); Batch(); }
        var one = new List<double>(); var batch = new List<double>(); var ratio = new List<double>();
        string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            if (!OneByOne()) throw new InvalidOperationException("a single proof failed");
            double o = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            if (!Batch()) throw new InvalidOperationException("the batch failed");
            double b = sw.Elapsed.TotalMilliseconds;
            one.Add(o); batch.Add(b); ratio.Add(b / o);
        }
        one.Sort(); batch.Sort(); ratio.Sort();
        Console.WriteLine($"{count} single proofs, {MsmParallelism.MaxDegreeOfParallelism} thread(s), load {load}/{File.ReadAllText("/proc/loadavg").Split(' ')[0]}: " +
            $"one by one {one[reps / 2]:F1} ms, batch {batch[reps / 2]:F1} ms, median ratio {100 * ratio[reps / 2]:F1}% (min {100 * ratio[0]:F1}%, max {100 * ratio[^1]:F1}%)");
        return 0;
    }
}
