using System.Diagnostics;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// `rp-profile [--m 1]`: times the building blocks of one n = 64 range proof in isolation (Stopwatch medians),
/// so that the prover's and verifier's time can be attributed before optimising.
/// </summary>
public static class ProverProfile
{
    public static int Run(string[] args)
    {
        int m = 1;
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--m") m = int.Parse(args[i + 1]);
            if (args[i] == "--threads") MsmParallelism.MaxDegreeOfParallelism = int.Parse(args[i + 1]);
        }
        Console.WriteLine($"// m = {m}, {MsmParallelism.MaxDegreeOfParallelism} thread(s)");
        int n = 64, nm = n * m;
        var gens = RangeProofBenchInputs.Gens;
        var pc = RangeProofBenchInputs.Pc;
        var g = gens.AggregatedG(n, m);
        var h = gens.AggregatedH(n, m);
        var rnd = new Scalar[2 * nm + 1];
        for (int i = 0; i < rnd.Length; i++) rnd[i] = Scalar.Random();
        var pts = new RistrettoPoint[2 * nm + 1];
        g.CopyTo(pts, 0); h.CopyTo(pts, nm); pts[2 * nm] = pc.BBlinding;

        Time("whole prove", () => RangeProofBenchInputs.Prove(m, out _));
        var proof = RangeProofBenchInputs.Prove(m, out var comms);
        Time("whole verify", () => proof.TryVerify(gens, pc, new Transcript(RangeProofBenchInputs.Label), comms, n, out _));
        Time("verify: BuildCheck only", () => RangeProofVerifier.BuildCheck(proof, gens, new Transcript(RangeProofBenchInputs.Label), comms, n, Scalar.One));
        var check = RangeProofVerifier.BuildCheck(proof, gens, new Transcript(RangeProofBenchInputs.Label), comms, n, Scalar.One);
        Time("verify: tabled Straus MSM", () => check.Evaluate(gens, pc));
        Time("verify: generic MSM (Straus/Pippenger)", () => check.EvaluateGeneric(gens, pc));
        {
            // The tabled MSM's one chain, serial against 4-way (same inputs as check.EvaluateTabled on one core).
            var vt = gens.VerifierTables(n, m);
            if (vt is not null)
            {
                var bt = PedersenTables.For(pc);
                var ss = new Scalar[2 * nm + 2];
                var st = new GeneratorTable[2 * nm + 2];
                check.GScalars.CopyTo(ss, 0); check.HScalars.CopyTo(ss, nm);
                Array.Copy(vt, st, 2 * nm);
                ss[2 * nm] = check.BScalar; st[2 * nm] = bt[0];
                ss[2 * nm + 1] = check.BBlindingScalar; st[2 * nm + 1] = bt[1];
                var ds = check.DynamicScalars.ToArray();
                var dp = check.DynamicPoints.ToArray();
                Time("verify: tabled chain, serial part", () => TabledStraus.SerialPart(ds, dp, ss, st));
                if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
                    Time("verify: tabled chain, 4-way part", () => TabledStrausAvx2.Part(ds, dp, ss, st));
            }
        }
        var singles = SingleProofs.Get(64);
        var checks = new RangeProofVerifier.Check?[64];
        Time("batch64: 64 BuildChecks (serial)", () =>
        {
            for (int i = 0; i < 64; i++)
                checks[i] = RangeProofVerifier.BuildCheck(singles[i].Proof, gens, new Transcript(RangeProofBenchInputs.Label), singles[i].Commitments, n, Scalar.Random());
            return 0;
        });
        Time("batch64: Combine MSM", () => RangeProofBatch.Combine(gens, pc, checks));
        Time("batch64: whole", () => RangeProofBatch.Verify(gens, pc, SingleProofs.Statements(singles), out _));
        Time("transcript: 17 points, 8 scalars, 10 challenges", () =>
        {
            var t = new Transcript(RangeProofBenchInputs.Label);
            var e = singles[0].Proof.IppProof.LVec[0];
            for (int i = 0; i < 17; i++) t.AppendMessage("L"u8, e);
            for (int i = 0; i < 8; i++) t.AppendU64("n"u8, 64);
            for (int i = 0; i < 10; i++) t.ChallengeScalar("u"u8);
            return t;
        });
        Time("scalar: 500 muls + 1 invert", () => { Scalar a = rnd[0]; for (int i = 0; i < 500; i++) a *= rnd[1]; return Scalar.Invert(a); });
        Time("decode x 17", () => { for (int i = 0; i < 17; i++) RistrettoPoint.Decode(singles[i].Proof.IppProof.LVec[0]); return 0; });
        Time($"S: CT MSM {2 * nm + 1} pts", () => MultiscalarMul.ConstantTime(rnd, pts));
        Time($"vartime MSM {2 * nm + 1} pts", () => MultiscalarMul.Vartime(rnd, pts));
        var ctTables = gens.ConstantTimeTables(n, m)!;
        Time($"S: CT MSM with tables", () => MultiscalarMul.ConstantTimeWithTables(rnd.AsSpan(2 * nm), pts.AsSpan(2 * nm), rnd.AsSpan(0, 2 * nm), ctTables));
        Time("S: CT chain with tables, serial part", () => ConstantTimeStraus.SerialPart(rnd.AsSpan(2 * nm), pts.AsSpan(2 * nm), rnd.AsSpan(0, 2 * nm), ctTables));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Time("S: CT chain with tables, 4-way part", () => ConstantTimeStrausAvx2.Part(rnd.AsSpan(2 * nm), pts.AsSpan(2 * nm), rnd.AsSpan(0, 2 * nm), ctTables));
        Time("L: CT chain 33 pts, serial part", () => ConstantTimeStraus.SerialPart(rnd.AsSpan(0, 33), pts.AsSpan(0, 33), [], []));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Time("L: CT chain 33 pts, 4-way part", () => ConstantTimeStrausAvx2.Part(rnd.AsSpan(0, 33), pts.AsSpan(0, 33), [], []));
        Time("A: selects + adds + CT mul", () =>
        {
            RistrettoPoint a = RistrettoPoint.Identity;
            for (int k = 0; k < nm; k++) a += RistrettoPoint.Select(-h[k], g[k], k & 1);
            return a + rnd[0] * pc.BBlinding;
        });
        Time("4 commits (T1, T2, V)", () => { for (int k = 0; k < 2; k++) pc.Commit(rnd[k], rnd[k + 1]); return 0; });
        Time("w * B (generic CT)", () => rnd[0] * pc.B);
        Time("IPP L/R CT MSMs (serial)", () =>
        {
            for (int half = nm / 2; half >= 1; half /= 2)
                for (int side = 0; side < 2; side++)
                    MultiscalarMul.ConstantTime(rnd.AsSpan(0, 2 * half + 1), pts.AsSpan(0, 2 * half + 1));
            return 0;
        });
        var foldTables = gens.FoldTables(n, m)!;
        Time("IPP round-1 folds (comb tables, serial)", () =>
        {
            for (int i = 0; i < 2 * nm; i++) foldTables[i].MulVartime(rnd[i]);
            return 0;
        });
        foreach (var (w, k) in new[] { (6, 4), (5, 8), (6, 8), (5, 4) })
        {
            var alt = new GeneratorTable[128];
            for (int i = 0; i < 128; i++) alt[i] = new GeneratorTable(pts[i % pts.Length].Inner, w, k);
            Time($"128 comb muls w={w} splits={k}", () => { for (int i = 0; i < 128; i++) alt[i].MulVartime(rnd[i]); return 0; });
            Time($"128 comb muls w={w} splits={k}, serial", () => { for (int i = 0; i < 128; i++) alt[i].MulVartimeSerial(rnd[i]); return 0; });
        }
        Time("IPP later folds (1-pt vartime, serial)", () =>
        {
            for (int half = nm / 4; half >= 2; half /= 2)
                for (int i = 0; i < 2 * half; i++)
                    MultiscalarMul.Vartime([rnd[0]], [pts[i]]);
            return 0;
        });
        Time("IPP folds before (2-pt vartime, serial)", () =>
        {
            for (int half = nm / 2; half >= 1; half /= 2)
                for (int i = 0; i < 2 * half; i++)
                    MultiscalarMul.Vartime([rnd[0], rnd[1]], [pts[i], pts[i + 1]]);
            return 0;
        });
        Time("scalar mul x 10000", () => { Scalar a = rnd[0]; for (int i = 0; i < 10000; i++) a *= rnd[1]; return a; });
        Time("encode x 100", () => { for (int i = 0; i < 100; i++) pts[i % pts.Length].ToBytes(); return 0; });
        return 0;
    }

    private static void Time<T>(string what, Func<T> f)
    {
        for (int i = 0; i < 30; i++) f();
        var t = new List<double>();
        for (int i = 0; i < 15; i++)
        {
            var sw = Stopwatch.StartNew();
            f();
            t.Add(sw.Elapsed.TotalMilliseconds);
        }
        t.Sort();
        Console.WriteLine($"{what,-40} {t[t.Count / 2],9:F3} ms");
    }
}
