using System.Diagnostics;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// `rp-sweep [--threads 1]`: for m = 1..16 (n = 64), the verifier's multiscalar step with generator tables of NAF
/// width 5..8 against the generic path (Straus/Pippenger), measured interleaved (A, B, C, ... per round, medians)
/// so that load from other processes hits every variant alike. Used to pick the table width and the m up to which
/// tables pay.
/// </summary>
public static class VerifierTableSweep
{
    public static int Run(string[] args)
    {
        for (int i = 0; i + 1 < args.Length; i++)
            if (args[i] == "--threads") MsmParallelism.MaxDegreeOfParallelism = int.Parse(args[i + 1]);
        var gens = RangeProofBenchInputs.Gens;
        var pc = RangeProofBenchInputs.Pc;
        int[] widths = [5, 6, 7, 8];
        Console.WriteLine($"// {MsmParallelism.MaxDegreeOfParallelism} thread(s), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| m | generic (ms) | shifted w=12 (ms) | " + string.Join(" | ", widths.Select(w => $"w={w} (ms)")) + " |");
        foreach (int m in args.Contains("--large") ? new[] { 4, 8, 16, 32 } : new[] { 1, 2, 4, 8, 16 })
        {
            int n = 64, nm = n * m;
            var proof = RangeProofBenchInputs.Prove(m, out var comms);
            var check = RangeProofVerifier.BuildCheck(proof, gens, new Transcript(RangeProofBenchInputs.Label), comms, n, Scalar.One);
            var g = gens.AggregatedG(n, m);
            var h = gens.AggregatedH(n, m);
            var scalars = new Scalar[2 * nm + 2];
            check.GScalars.CopyTo(scalars, 0);
            check.HScalars.CopyTo(scalars, nm);
            scalars[2 * nm] = check.BScalar;
            scalars[2 * nm + 1] = check.BBlindingScalar;
            var shifted = gens.ShiftedTables(n, m)!;
            var variants = new List<Func<RistrettoPoint>> { () => check.EvaluateGeneric(gens, pc), () => check.EvaluateShifted(shifted, pc) };
            foreach (int w in widths)
            {
                var tables = new GeneratorTable[2 * nm + 2];
                for (int i = 0; i < nm; i++) { tables[i] = new GeneratorTable(g[i].Inner, w, 1); tables[nm + i] = new GeneratorTable(h[i].Inner, w, 1); }
                tables[2 * nm] = new GeneratorTable(pc.B.Inner, w, 1);
                tables[2 * nm + 1] = new GeneratorTable(pc.BBlinding.Inner, w, 1);
                variants.Add(() => new RistrettoPoint(TabledStraus.Compute(
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(check.DynamicScalars),
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(check.DynamicPoints), scalars, tables, tables.Length)));
            }
            foreach (var v in variants) if (!v().IsIdentity) throw new InvalidOperationException("variant disagrees");
            var times = variants.Select(_ => new List<double>()).ToArray();
            int rounds = m <= 2 ? 40 : m <= 8 ? 12 : 6;
            for (int r = 0; r < rounds; r++)
                for (int k = 0; k < variants.Count; k++)
                {
                    var sw = Stopwatch.StartNew();
                    variants[k]();
                    times[k].Add(sw.Elapsed.TotalMilliseconds);
                }
            Console.WriteLine($"| {m} | " + string.Join(" | ", times.Select(t => { t.Sort(); return t[t.Count / 2].ToString("F2"); })) + " |");
        }
        return 0;
    }
}
