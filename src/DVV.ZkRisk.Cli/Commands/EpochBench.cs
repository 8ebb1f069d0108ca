using System.CommandLine;
using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using Spectre.Console;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk bench epoch`: seal and verify an epoch of N traders (32 bands, 12 shocks), full (every trader new, a
/// checkpoint) and incremental (1% of traders replaced). Range proofs: proving 10,000 real 64 x 64-bit proofs takes
/// hours here, so submissions are built without them; the range-proof column verifies N real proofs through the
/// verifier's own chunked batch (<see cref="RangeProofChunks"/>), the N statements cycling over a sample of real
/// proofs (each statement gets its own transcript and random weight, so the work is that of N distinct proofs).
/// Built submissions are cached on disk (--cache) so reruns skip the set-up.
/// </summary>
internal static class EpochBench
{
    public static Command Create()
    {
        var traders = new Option<string>("--traders") { Description = "comma-separated trader counts", DefaultValueFactory = _ => "1000,10000" };
        var changed = new Option<double>("--changed") { Description = "fraction of traders replaced in the incremental epoch", DefaultValueFactory = _ => 0.01 };
        var sample = new Option<int>("--range-sample") { Description = "real 64 x 64-bit range proofs built; the N range proofs verified cycle over them", DefaultValueFactory = _ => 8 };
        var cache = new Option<string>("--cache") { Description = "directory caching the built submissions", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "dvv-zk-bench-epoch") };
        var cmd = new Command("epoch", "Seal and verify epochs of N traders, full and incremental");
        cmd.Options.Add(traders); cmd.Options.Add(changed); cmd.Options.Add(sample); cmd.Options.Add(cache);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
            var counts = pr.GetValue(traders)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            if (counts.Any(c => c < 2 || c > 100_000)) return CliErrors.Fail("--traders: each count must be between 2 and 100000");
            double frac = pr.GetValue(changed);
            var statements = StatementSet.LoadDefault();
            // one parameter set for the three epochs: the cover differs per epoch (the derivation binds the epoch number)
            var authorities = DVV.ZkRisk.Protocol.Trust.EpochAuthorities.Development("bench");
            var coverSeed = new byte[32];
            var p = Parameters.Seal(Parameters.Create(DVV.ZkRisk.Risk.ParameterSet.Default,
                new DVV.ZkRisk.Risk.MarketSnapshot(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), 100_000, DemoMarket.SkewedSurface(), depthCoins: 400, clearingFundUsd: 60_000_000)),
                authorities, coverSeed);
            var info = new EpochInfo { Epoch = 1, Parameters = p, ParameterHash = SubmissionDigest.ParameterSet(p), BandGrid = p.BandGrid,
                VenueHpkePublicKey = DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair.FromPrivateKey(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }).PublicKey,
                Statements = DVV.ZkRisk.Protocol.Sealing.StatementSet.Default.Wire };
            AnsiConsole.MarkupLineInterpolated($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; 32 bands x 12 shocks; range proofs: N real proofs verified, cycling over {pr.GetValue(sample)} distinct ones");

            // range proofs: batch verification time per 64 x 64-bit proof, measured on real proofs
            var sdk = new TraderSdk(ProofSystems.Default);
            int rs = Math.Max(1, pr.GetValue(sample));
            var sampleTraders = DemoPopulation.Generate(rs, p, seed: 99);
            var real = new BuiltSubmission[rs];
            var swp = Stopwatch.StartNew();
            Parallel.For(0, rs, i => real[i] = sdk.Build(info, sampleTraders[i].Key, sampleTraders[i].BookJson, authorities.Admit(sampleTraders[i].Key.PublicKey.ToBytes())));
            double proveMs = swp.Elapsed.TotalMilliseconds;
            // per sample submission both of its proofs (exposure over C - Z, indicators over Z and B - Z), defined as the
            // verifier defines them; statements consume their transcripts, so they are built afresh for every run
            var claims = real.Select(b => DVV.ZkRisk.Protocol.Verification.SubmissionRangeClaims.Of(b.Submission, b.Submission.ShortCommitments.Points(),
                b.Submission.LongCommitments.Points(), b.Submission.ShortIndicators.Points(), b.Submission.LongIndicators.Points(),
                DVV.ZkRisk.Protocol.Sealing.StatementSet.Default.CombinedHash, 64)).ToArray();
            var proofs = claims.Select(cs => cs.Select(c => c.Proof!.Proof!).ToArray()).ToArray();
            List<RangeProofStatement> Stmts(int n)
            {
                var list = new List<RangeProofStatement>(2 * n);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < 2; j++)
                    {
                        var c = claims[i % rs][j];
                        list.Add(new RangeProofStatement(proofs[i % rs][j], RangeTranscript.Create(c.Context), c.Points, c.Bits));
                    }
                return list;
            }
            if (!RangeProofChunks.Verify(Stmts(rs), out _)) return CliErrors.Fail("the sample range proofs do not verify");   // warm-up
            // Verifies the 2n range proofs of n submissions (cycling over the sample, each with a fresh transcript) the way BundleVerifier does.
            double RangeMs(int n)
            {
                var list = Stmts(n);
                GC.Collect();
                var sw = Stopwatch.StartNew();
                bool ok = RangeProofChunks.Verify(list, out _);
                if (!ok) throw new InvalidOperationException("range proofs did not verify");
                return sw.Elapsed.TotalMilliseconds;
            }
            AnsiConsole.MarkupLineInterpolated($"range proofs: {rs} real proofs built in {proveMs / 1000:F1} s ({proveMs / rs * Environment.ProcessorCount:F0} ms CPU each)");

            var table = new Table().Title("epoch seal and verify (ms)").AddColumns(
                "traders", "epoch", "new subs", "selection sets", "seal ms", "  flags", "  selection", "  sums", "  sum proofs", "  merkle+encode",
                "decode ms", "verify ms (no range)", "  sigs", "  selection", "  commit sums", "  sum proofs", "range proofs ms", "verify total ms", "bundle KB", "bytes/trader");
            foreach (int n in counts)
            {
                var (pop, inputs) = Population(n, p, info, sdk, pr.GetValue(cache)!, authorities);
                var sealer = new EpochSealer(statements);
                var verifier = new BundleVerifier(statements, authorities.RootHash);
                GC.Collect();
                var full = sealer.Seal(1, p, inputs, 1, coverSeed);
                var v1 = verifier.Verify(full.Bundle, null, checkRangeProofs: false);
                if (!v1.IsValid) return CliErrors.Fail("full bundle does not verify: " + v1.Findings[0]);
                Row(table, n, full, v1, RangeMs(n));

                int k = Math.Max(1, (int)Math.Round(n * frac));
                var info2 = info with { Epoch = 2 };
                var repl = new SealInput[k];
                Parallel.For(0, k, i =>
                {
                    var t = pop[i * (n / k)];
                    var b = sdk.Build(info2, t.Key, DemoPopulation.Resize(t, p, i), authorities.Admit(t.Key.PublicKey.ToBytes()), withRangeProof: false);
                    repl[i] = new SealInput(b.Submission, b.Opening, b.Digest);
                });
                GC.Collect();
                var inc = sealer.Seal(2, p, repl, 2, coverSeed);
                var v2 = verifier.Verify(inc.Bundle, v1.State, checkRangeProofs: false);
                if (!v2.IsValid) return CliErrors.Fail("incremental bundle does not verify: " + v2.Findings[0]);
                double incRangeMs = RangeMs(k);
                Row(table, n, inc, v2, incRangeMs);

                // epoch 3: the same 1% change, with the re-issues proven ahead (cover set at the epoch's opening, each new
                // submission as it is accepted); the seal then only reuses them
                var repl3 = new SealInput[k];
                var info3 = info with { Epoch = 3 };
                Parallel.For(0, k, i =>
                {
                    var t = pop[i * (n / k) + 1];
                    var b = sdk.Build(info3, t.Key, DemoPopulation.Resize(t, p, i + 7), authorities.Admit(t.Key.PublicKey.ToBytes()), withRangeProof: false);
                    repl3[i] = new SealInput(b.Submission, b.Opening, b.Digest);
                });
                var swPre = Stopwatch.StartNew();
                sealer.Prepare(3, p, coverSeed);
                Parallel.ForEach(repl3, x => sealer.PreIssue(3, p, x));
                double preMs = swPre.Elapsed.TotalMilliseconds;
                GC.Collect();
                var inc3 = sealer.Seal(3, p, repl3, 3, coverSeed);
                var v3 = verifier.Verify(inc3.Bundle, v2.State, checkRangeProofs: false);
                if (!v3.IsValid) return CliErrors.Fail("pre-issued incremental bundle does not verify: " + v3.Findings[0]);
                Row(table, n, inc3, v3, incRangeMs, $"3 (incr., {inc3.PreIssuedUsed} pre-issued in {preMs:N0} ms)");
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static void Row(Table t, int n, SealResult s, VerificationResult v, double rangeMs, string? label = null)
    {
        var st = s.Timings; var vt = v.Timings;
        // what a verifier that reads the bundle's bytes pays before verifying: the codec's one decoding (points in batches)
        var sw = Stopwatch.StartNew();
        WireCodec.DecodeBundle(s.Encoding);
        double decodeMs = sw.Elapsed.TotalMilliseconds;
        t.AddRow(n.ToString("N0"), label ?? (s.Bundle.Checkpoint ? "1 (full)" : "2 (incremental)"), s.NewSubmissions.ToString("N0"), s.Reissued.ToString("N0"),
            st.TotalMs.ToString("N0"), st.RiskMs.ToString("N0"), st.SelectionMs.ToString("N0"), st.SumsMs.ToString("N0"), st.SumProofsMs.ToString("N0"), (st.MerkleMs + st.EncodeMs).ToString("N0"),
            decodeMs.ToString("N0"), vt.TotalMs.ToString("N0"), vt.SignaturesMs.ToString("N0"), vt.SelectionProofsMs.ToString("N0"), vt.SumsMs.ToString("N0"), vt.SumProofsMs.ToString("N0"),
            rangeMs.ToString("N0"), (decodeMs + vt.TotalMs + rangeMs).ToString("N0"), (s.BundleBytes / 1024.0).ToString("N0"), s.BytesPerTrader.ToString("N0"));
    }

    /// <summary>N demo traders' submissions without range proofs, cached as length-prefixed wire messages (submission, opening).</summary>
    private static (List<DemoTrader> Pop, SealInput[] Inputs) Population(int n, EpochParameters p, EpochInfo info, TraderSdk sdk, string cacheDir,
        DVV.ZkRisk.Protocol.Trust.EpochAuthorities authorities)
    {
        var pop = DemoPopulation.Generate(n, p, seed: 7);
        Directory.CreateDirectory(cacheDir);
        var file = Path.Combine(cacheDir, $"n{n}-{Convert.ToHexStringLower(info.ParameterHash.Span)[..12]}.bin");
        var inputs = new SealInput[n];
        if (File.Exists(file))
        {
            using var f = new BinaryReader(File.OpenRead(file));
            var read = Stopwatch.StartNew();   // the decoding a venue does when it reads its stored submissions to seal
            for (int i = 0; i < n; i++)
            {
                var s = WireCodec.DecodeSubmission(f.ReadBytes(f.ReadInt32()));
                var o = WireCodec.DecodeOpening(f.ReadBytes(f.ReadInt32()));
                inputs[i] = new SealInput(s, o, SubmissionDigest.Signed(s));
            }
            AnsiConsole.MarkupLineInterpolated($"{n} submissions read and decoded from {file} in {read.Elapsed.TotalMilliseconds:N0} ms");
            return (pop, inputs);
        }
        var sw = Stopwatch.StartNew();
        Parallel.For(0, n, i =>
        {
            var b = sdk.Build(info, pop[i].Key, pop[i].BookJson, authorities.Admit(pop[i].Key.PublicKey.ToBytes()), withRangeProof: false);
            inputs[i] = new SealInput(b.Submission, b.Opening, b.Digest);
        });
        using (var f = new BinaryWriter(File.Create(file)))
            foreach (var x in inputs)
                foreach (var bytes in new[] { WireCodec.Encode(x.Submission), WireCodec.Encode(x.Opening) }) { f.Write(bytes.Length); f.Write(bytes); }
        AnsiConsole.MarkupLineInterpolated($"{n} submissions built (no range proofs) in {sw.Elapsed.TotalSeconds:F1} s, cached in {file}");
        return (pop, inputs);
    }
}
