using System.CommandLine;
using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using AttestResponse = DVV.ZkRisk.Api.V1.AttestResponse;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Service;
using Spectre.Console;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk bench fetch`: a checkpoint of N traders sealed by the in-process service, then fetched over gRPC
/// (Epochs.GetEpochParts, 1 MiB parts, against the default 4 MiB message limit), verified and attested by two members of
/// a 2-of-3 committee, and published (issue 17 item 8). Submissions are built without range proofs (as in `bench epoch`:
/// 10,000 real 64 x 64-bit proofs take hours to build here), so the verifiers skip that one stage; `bench epoch` measures it.
/// </summary>
internal static class FetchBench
{
    public static Command Create()
    {
        var traders = new Option<int>("--traders") { Description = "traders in the checkpoint", DefaultValueFactory = _ => 10_000 };
        var cmd = new Command("fetch", "Seal a checkpoint of N traders, fetch it over gRPC in parts, verify, attest and publish it");
        cmd.Options.Add(traders);
        cmd.SetAction(async (pr, ct) =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            int n = pr.GetValue(traders);
            if (n < 2 || n > 100_000) return CliErrors.Fail("--traders must be between 2 and 100000");
            var dir = Path.Combine(Path.GetTempPath(), "dvv-zk-bench-fetch-" + Guid.NewGuid().ToString("N")[..8]);
            var bls = Enumerable.Range(0, 3).Select(_ => BlsSecretKey.Generate()).ToList();
            var committee = VerifierCommittee.Register(bls.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 2);
            var authorities = EpochAuthorities.Development("bench fetch", committee.CommitteeId);
            static EpochParameters Params(ulong e, DateTimeOffset t) => Parameters.Create(DVV.ZkRisk.Risk.ParameterSet.Default,
                new DVV.ZkRisk.Risk.MarketSnapshot(t, 100_000, DemoMarket.SkewedSurface(), depthCoins: 400, clearingFundUsd: 60_000_000));
            var rows = new Table().AddColumns("stage", "ms", "note");
            try
            {
                await using var server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions
                { DataDirectory = dir, Committee = committee, Parameters = Params, Authorities = _ => authorities }, ct);
                server.Pipeline.PrepareAhead = false;
                using var client = new ZkRiskClient(server.Address);
                var info = await client.GetEpochInfoAsync(0, ct: ct);
                var sdk = new TraderSdk(ProofSystems.Default);
                var sw = Stopwatch.StartNew();
                var pop = DemoPopulation.Generate(n, info.Parameters, seed: 7);
                var inputs = new SealInput[n];
                await AnsiConsole.Progress().StartAsync(async p =>
                {
                    var t = p.AddTask($"{n} submissions (no range proofs)", maxValue: n);
                    await Task.Run(() => Parallel.For(0, n, i =>
                    {
                        var b = sdk.Build(info, pop[i].Key, pop[i].BookJson, authorities.Admit(pop[i].Key.PublicKey.ToBytes()), withRangeProof: false);
                        inputs[i] = new SealInput(b.Submission, b.Opening, b.Digest);
                        t.Increment(1);
                    }), ct);
                });
                rows.AddRow("build submissions", sw.Elapsed.TotalMilliseconds.ToString("N0"), "trader side, not part of the venue's work");
                sw.Restart();
                var sealedEpoch = await server.Pipeline.SealInputsForBenchmarkAsync(inputs, ct);
                rows.AddRow("seal + self-check", sw.Elapsed.TotalMilliseconds.ToString("N0"), $"checkpoint, {sealedEpoch.BundleBytes:N0} bytes ({sealedEpoch.BytesPerTrader:N0} per trader)");
                var verifiers = bls.Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault(), authorities.RootHash))).ToList();
                AttestResponse? last = null;
                for (int v = 0; v < 2; v++)
                {
                    sw.Restart();
                    var fetched = await client.GetEpochAsync(1, TimeSpan.FromMinutes(10), ct);
                    double fetchMs = sw.Elapsed.TotalMilliseconds;
                    if (!fetched.BundleHash.Span.SequenceEqual(sealedEpoch.Bundle.BundleHash.Span)) return CliErrors.Fail("fetched bundle differs from the sealed one");
                    rows.AddRow($"verifier {v}: fetch over gRPC", fetchMs.ToString("N0"),
                        $"{WireCodec.Size(fetched) / 1048576.0:N1} MiB in {(WireCodec.Size(fetched) + (1 << 20) - 1) >> 20} parts, {WireCodec.Size(fetched) / 1048576.0 / (fetchMs / 1000):N0} MiB/s");
                    sw.Restart();
                    var (r, a) = await verifiers[v].VerifyAndAttestAsync(client, 1, ct, checkRangeProofs: false);
                    if (!r.IsValid) return CliErrors.Fail($"verifier {v}: {r.Findings[0]}");
                    rows.AddRow($"verifier {v}: fetch + verify (no range proofs) + attest", sw.Elapsed.TotalMilliseconds.ToString("N0"), $"verify {r.Timings.TotalMs:N0} ms");
                    last = a;
                }
                rows.AddRow("published", "", last?.Published == true ? $"{last.Attestations} of {last.Quorum} attestations" : "NO");
                AnsiConsole.MarkupLineInterpolated($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {n} traders, 32 bands x 12 shocks; gRPC message limit 4 MiB");
                AnsiConsole.Write(rows);
                return last?.Published == true ? 0 : 1;
            }
            finally
            {
                foreach (var k in bls) k.Dispose();
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        });
        return cmd;
    }
}
