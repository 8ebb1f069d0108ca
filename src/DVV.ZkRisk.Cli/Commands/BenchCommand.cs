using System.CommandLine;
using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Service;
using Grpc.Core;
using Spectre.Console;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk bench submit`: N concurrent trader clients over loopback submitting 32-band books to an in-process server.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Benchmarks");
        var clients = new Option<string>("--clients") { Description = "comma-separated client counts", DefaultValueFactory = _ => "1,16,64" };
        var per = new Option<int>("--per-client") { Description = "submissions per client per run (each one replaces the client's previous)", DefaultValueFactory = _ => 8 };
        var pg = new Option<string?>("--postgres") { Description = "benchmark the PostgreSQL store instead of SQLite" };
        var data = new Option<string?>("--data") { Description = "SQLite data directory (default: a fresh temporary one)" };
        var window = new Option<double>("--window-ms") { Description = "how long a range-proof batch waits for submissions still in their earlier checks", DefaultValueFactory = _ => 2 };
        var submit = new Command("submit", "Throughput, p50/p99 latency and the gateway's time split (proof, HPKE, storage) of SubmitPositions");
        submit.Options.Add(clients); submit.Options.Add(per); submit.Options.Add(pg); submit.Options.Add(data); submit.Options.Add(window);
        submit.SetAction(async (pr, ct) =>
        {
            var counts = pr.GetValue(clients)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            int perClient = pr.GetValue(per);
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var dir = pr.GetValue(data) ?? Path.Combine(Path.GetTempPath(), "dvv-zk-bench-" + Guid.NewGuid().ToString("N")[..8]);
            await using var server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = (_, t) => DemoMarket.Parameters(t), DataDirectory = dir, PostgresConnectionString = pr.GetValue(pg),
                BatchWindow = TimeSpan.FromMilliseconds(pr.GetValue(window)) }, ct);
            AnsiConsole.MarkupLineInterpolated($"server {server.Address} store {server.Store.Backend}; proof system: {ProofSystems.Default.Name}");
            AnsiConsole.MarkupLineInterpolated($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; proof batch window {pr.GetValue(window)} ms");
            var table = new Table().AddColumns("clients", "submissions", "subs/s", "p50 ms", "p99 ms", "decode+sig ms", "proof ms", "HPKE ms", "opening+book ms", "storage ms",
                "proof batch mean / max", "commit batch mean / max", "CPU ms / sub");
            var sdk = new TraderSdk(ProofSystems.Default);
            foreach (int n in counts)
            {
                using var setup = new ZkRiskClient(server.Address);
                var info = await setup.GetEpochInfoAsync();
                var keys = Enumerable.Range(0, n).Select(_ => Ed25519PrivateKey.Generate()).ToArray();
                var prepared = new Submission[n][];
                var sw0 = Stopwatch.StartNew();
                await AnsiConsole.Status().StartAsync($"N={n}: building {n * perClient} submissions (trader side: commitments, range proofs, HPKE, signatures)", async _ =>
                    await Parallel.ForAsync(0, n, ct, (i, _) =>
                    {
                        var rng = new Random(i * 7919 + n);
                        var admission = server.Epochs.Authorities.Admit(keys[i].PublicKey.ToBytes());
                        prepared[i] = Enumerable.Range(0, perClient).Select(_ => sdk.Build(info, keys[i],
                            SampleBooks.Generate(rng, info.Parameters.ReferenceForward, DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true), admission).Submission).ToArray();
                        return ValueTask.CompletedTask;
                    }));
                double buildMs = sw0.Elapsed.TotalMilliseconds / (n * perClient);
                server.Gateway.Metrics.Reset(); server.Gateway.ProofBatches.Reset(); server.Gateway.CommitBatches.Reset();
                var latencies = new List<double>[n];
                var clientsArr = Enumerable.Range(0, n).Select(_ => new ZkRiskClient(server.Address)).ToArray();
                // warm the connections (HTTP/2 handshake) outside the measurement
                await Task.WhenAll(clientsArr.Select(c => c.CheckHealthAsync()));
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
                {
                    latencies[i] = new List<double>(perClient);
                    foreach (var s in prepared[i])
                    {
                        long t = Stopwatch.GetTimestamp();
                        await clientsArr[i].SubmitAsync(s, TimeSpan.FromSeconds(120), ct);
                        latencies[i].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                }));
                var wall = sw.Elapsed;
                double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
                foreach (var c in clientsArr) c.Dispose();
                var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
                var m = server.Gateway.Metrics.Read();
                double per1(TimeSpan t) => t.TotalMilliseconds / Math.Max(1, m.Accepted);
                table.AddRow(n.ToString(), all.Length.ToString(), (all.Length / wall.TotalSeconds).ToString("F1"),
                    Pct(all, 0.50).ToString("F2"), Pct(all, 0.99).ToString("F2"),
                    per1(m.Decode + m.Signature).ToString("F3"), per1(m.Proof).ToString("F3"), per1(m.Hpke).ToString("F3"),
                    per1(m.Opening).ToString("F3"), per1(m.Storage).ToString("F3"),
                    $"{server.Gateway.ProofBatches.MeanBatch:F1} / {server.Gateway.ProofBatches.MaxBatch}", $"{server.Gateway.CommitBatches.MeanBatch:F1} / {server.Gateway.CommitBatches.MaxBatch}",
                    (cpuMs / Math.Max(1, all.Length)).ToString("F1"));
                AnsiConsole.MarkupLineInterpolated($"N={n}: done in {wall.TotalSeconds:F2} s (trader-side build {buildMs:F1} ms per submission, not in the figures)");
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("per-stage columns: mean server time per accepted submission, summed inside the gateway (under load they include waiting for the CPU and, for storage, the single SQLite writer).");
            AnsiConsole.MarkupLine("CPU ms / sub: processor time of the whole process (server, the bench's gRPC clients and any background work) over the timed phase, per submission.");
            if (pr.GetValue(data) == null) try { Directory.Delete(dir, true); } catch (IOException) { }
            return 0;
        });
        cmd.Subcommands.Add(submit);
        cmd.Subcommands.Add(EpochBench.Create());
        cmd.Subcommands.Add(FetchBench.Create());
        return cmd;
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
