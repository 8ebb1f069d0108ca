using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using AttestResponse = DVV.ZkRisk.Api.V1.AttestResponse;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Service;
using Google.Protobuf;
using Spectre.Console;
using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;

using BandGrid = DVV.ZkRisk.Risk.BandGrid;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk demo`: the whole product in one process, no set-up. The service runs in-process on SQLite in a temporary
/// directory; N traders with realistic books (short-vol vaults, a leveraged herd selling the same puts, hedgers) submit
/// through the gateway over gRPC; each epoch is sealed, verified by three committee members who attest over gRPC
/// (threshold 2), published, and every trader fetches its margin notice. The market falls 3% per epoch.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var traders = new Option<int>("--traders") { Description = "number of traders (each proves 64 values x 64 bits, about 1 s of CPU)", DefaultValueFactory = _ => 40 };
        var epochs = new Option<int>("--epochs") { Description = "number of epochs", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "directory for the bundles, attestations, committee.json and a few traders' keys, openings and notices", DefaultValueFactory = _ => "dvv-demo" };
        var seed = new Option<int>("--seed") { Description = "population seed", DefaultValueFactory = _ => 42 };
        var dashboard = new Option<string>("--dashboard") { Description = "address:port of the dashboard page (port 0: any free port)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var serve = new Option<bool>("--serve") { Description = "keep the service and its dashboard running after the last epoch, until Ctrl+C" };
        var cmd = new Command("demo", "Run sealed, verified, attested and published epochs end to end (in-process service on SQLite), with the dashboard page");
        cmd.Options.Add(traders); cmd.Options.Add(epochs); cmd.Options.Add(output); cmd.Options.Add(seed); cmd.Options.Add(dashboard); cmd.Options.Add(serve);
        cmd.SetAction(async (pr, ct) =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            int n = pr.GetValue(traders), e = pr.GetValue(epochs);
            if (n < 2 || n > 2000) return CliErrors.Fail("--traders must be between 2 and 2000");
            if (e < 1 || e > 50) return CliErrors.Fail("--epochs must be between 1 and 50");
            if (!System.Net.IPEndPoint.TryParse(pr.GetValue(dashboard)!, out var page)) return CliErrors.Fail($"--dashboard: '{pr.GetValue(dashboard)}' is not address:port");
            try { return await RunAsync(n, e, pr.GetValue(output)!, pr.GetValue(seed), page, pr.GetValue(serve), ct); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return CliErrors.Fail(ex.Message); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Console.Error.WriteLine($"error: unexpected failure ({ex.GetType().Name}): {ex.Message}");
                return CliErrors.Unexpected;
            }
        });
        return cmd;
    }

    private sealed record EpochRow(ulong Epoch, bool Checkpoint, int Submissions, int Reissued, int Bytes, int Traders, double SealMs, double VerifyMs, string Quorum);

    private static async Task<int> RunAsync(int n, int epochCount, string outDir, int seed, System.Net.IPEndPoint page, bool serve, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        foreach (var f in Directory.GetFiles(outDir, "epoch-*.*")) File.Delete(f);
        var tradersDir = Directory.CreateDirectory(Path.Combine(outDir, "traders")).FullName;
        var data = Path.Combine(Path.GetTempPath(), "dvv-demo-" + Guid.NewGuid().ToString("N"));

        // the committee: three verifiers, two must attest
        var bls = Enumerable.Range(0, 3).Select(_ => BlsSecretKey.Generate()).ToList();
        var committee = VerifierCommittee.Register(bls.Select((k, i) => (k.PublicKey, k.ProvePossession(), (string?)$"verifier-{i}")), threshold: 2);
        File.WriteAllText(Path.Combine(outDir, BundleFormat.CommitteeFileName), committee.ToJson());
        var risk = DVV.ZkRisk.Risk.ParameterSet.Default;
        static EpochParameters Params(ulong epoch, DateTimeOffset t) => Parameters.Create(DVV.ZkRisk.Risk.ParameterSet.Default,
            new MarketSnapshot(t, 100_000 * Math.Pow(0.97, epoch - 1), DemoMarket.SkewedSurface(0.6 + 0.03 * (epoch - 1)), depthCoins: 1000, clearingFundUsd: 60_000_000));

        // the chain's authorities: a 2-of-3 governance committee (pinned by auditors through its root hash) and an
        // onboarding authority that admits each trader key; neither is the venue
        var governance = Enumerable.Range(0, 3).Select(_ => Ed25519PrivateKey.Generate()).ToList();
        var onboarding = Ed25519PrivateKey.Generate();
        var authorities = new EpochAuthorities(governance, 2, [onboarding.PublicKey], committee.CommitteeId);
        var root = Convert.ToHexStringLower(authorities.RootHash);

        // the demo is the venue's operator (it holds the operator token and seals over Operator/SealEpoch) and, through the
        // same public API, every trader and committee member
        await using var server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions
            { DataDirectory = data, Committee = committee, Parameters = Params, Authorities = _ => authorities, Dashboard = page }, ct);
        using var client = new ZkRiskClient(server.Address, new ZkRiskClientOptions { OperatorToken = server.OperatorToken });
        var sdk = new TraderSdk(ProofSystems.Default);
        var verifiers = bls.Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault(), authorities.RootHash))).ToList();
        var admissions = new Dictionary<string, Admission>();
        List<DemoTrader> population = [];
        var openings = new Dictionary<string, Opening>();
        var rows = new List<EpochRow>();
        var notices = new Dictionary<string, MarginNotice>();
        VerifiedEpoch? last = null;
        string? failure = null;
        AnsiConsole.MarkupLine($"[bold]DVV.ZkRisk demo[/]: {n} traders, {epochCount} epochs, service on {server.Address} (SQLite in {Markup.Escape(data)})");
        AnsiConsole.MarkupLine($"dashboard: [bold]{server.DashboardAddress}[/] (open it now: epochs appear as they are published)");

        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async p =>
            {
                for (int ep = 1; ep <= epochCount && failure is null; ep++)
                {
                    var info = await client.GetEpochInfoAsync(0, ct: ct);
                    List<DemoTrader> submitting;
                    var books = new Dictionary<string, byte[]>();
                    if (ep == 1)
                    {
                        population = DemoPopulation.Generate(n, info.Parameters, seed);
                        foreach (var t in population) admissions[t.KeyHex] = Admissions.Issue(onboarding, t.Key.PublicKey.ToBytes(), DateTimeOffset.UtcNow);
                        submitting = population;
                        foreach (var t in population) books[t.KeyHex] = t.BookJson;
                    }
                    else
                    {
                        // 15% of the traders change their books; the herd piles in
                        var rng = new Random(seed * 100 + ep);
                        submitting = population.OrderBy(_ => rng.Next()).Take(Math.Max(1, n * 15 / 100)).ToList();
                        foreach (var t in submitting) books[t.KeyHex] = DemoPopulation.Resize(t, info.Parameters, seed + ep * 1000 + population.IndexOf(t), t.Kind == "herd" ? 1.4 : 1.0);
                    }
                    var tProve = p.AddTask($"epoch {ep}: {submitting.Count} traders commit, prove (64 x 64-bit), sign, submit", maxValue: submitting.Count);
                    var tSeal = p.AddTask($"epoch {ep}: seal (flags, selection + sum proofs, Merkle root)", maxValue: 1);
                    var tVerify = p.AddTask($"epoch {ep}: 3 verifiers check the bundle and attest", maxValue: 3);
                    var tNotice = p.AddTask($"epoch {ep}: publish, margin notices", maxValue: n);
                    await Parallel.ForEachAsync(submitting, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (t, c) =>
                    {
                        var b = sdk.Build(info, t.Key, books[t.KeyHex], admissions[t.KeyHex]);
                        await client.SubmitAsync(b.Submission, TimeSpan.FromSeconds(60), c);
                        lock (openings) openings[t.KeyHex] = b.Opening;
                        tProve.Increment(1);
                    });
                    var sw = Stopwatch.StartNew();
                    var sealedEpoch = await client.SealEpochAsync(ct: ct);
                    double sealMs = sw.Elapsed.TotalMilliseconds;
                    tSeal.Increment(1);
                    sw.Restart();
                    AttestResponse? published = null;
                    foreach (var v in verifiers)
                    {
                        var (r, a) = await v.VerifyAndAttestAsync(client, (ulong)ep, ct);
                        if (!r.IsValid) { failure = $"verifier {v.Index}: {r.Findings[0]}"; break; }
                        last = r.Verified;
                        if (a?.Published == true) published ??= a;
                        tVerify.Increment(1);
                    }
                    double verifyMs = sw.Elapsed.TotalMilliseconds / 3;
                    if (failure != null || published is null) { failure ??= "no quorum"; break; }
                    var bundle = verifiers[0].Last!.Bundle;   // as fetched and verified over the public API
                    var aggregated = new DVV.ZkRisk.Crypto.Bls12381.AggregatedAttestation(bundle.Epoch, bundle.BundleHash.ToArray(),
                        DVV.ZkRisk.Crypto.Bls12381.SignerBitmap.FromBytes(published.SignerBitmap.Span, out _),
                        DVV.ZkRisk.Crypto.Bls12381.BlsSignature.FromBytes(published.AggregateSignature.Span));
                    File.WriteAllBytes(Path.Combine(outDir, BundleFormat.FileName(bundle.Epoch)), WireCodec.Encode(bundle));
                    File.WriteAllBytes(Path.Combine(outDir, BundleFormat.AttestationFileName(bundle.Epoch)), aggregated.ToBytes());
                    foreach (var t in population)
                    {
                        var notice = await client.GetMarginNoticeAsync(Notices.SignedRequest((ulong)ep, t.Key, DateTimeOffset.UtcNow), ct: ct);
                        notices[t.KeyHex] = notice;
                        tNotice.Increment(1);
                    }
                    rows.Add(new EpochRow(bundle.Epoch, bundle.Checkpoint, bundle.Submissions.Count, (int)sealedEpoch.Reissued, (int)sealedEpoch.BundleBytes, (int)bundle.TraderCount,
                        sealMs, verifyMs, $"{published.Attestations} of {published.Quorum}"));
                }
            });
        foreach (var k in bls) k.Dispose();
        if (failure != null || last is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]demo failed[/]: {failure}");
            await server.DisposeAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
            return 1;
        }

        Report(last, population, notices, rows);

        // keys, openings and notices of the three most affected traders, for `dvv-zk trader check`
        var top = population.OrderByDescending(t => Dec(notices[t.KeyHex].Cavb)).Take(3).ToList();
        foreach (var t in top)
        {
            var keyPath = Path.Combine(tradersDir, t.Name + ".key");
            TraderCommand.SaveKey(keyPath, t.Key);
            File.WriteAllBytes(TraderCommand.OpeningPath(keyPath), WireCodec.Encode(openings[t.KeyHex]));
            File.WriteAllBytes(TraderCommand.NoticePath(keyPath, last.Epoch), WireCodec.Encode(notices[t.KeyHex]));
            File.WriteAllBytes(TraderCommand.AdmissionPath(keyPath), WireCodec.Encode(admissions[t.KeyHex]));
        }
        var lastBundle = Path.Combine(outDir, BundleFormat.FileName(last.Epoch));
        AnsiConsole.MarkupLineInterpolated($"wrote {rows.Count} bundles, attestations and committee.json to [bold]{outDir}[/] in {total.Elapsed.TotalSeconds:F1} s. Next:");
        AnsiConsole.MarkupLineInterpolated($"governance root (2 of 3 keys; an auditor pins it): [bold]{root}[/]");
        Console.WriteLine($"  dotnet run --project src/DVV.ZkRisk.Cli -- audit {outDir} --governance {root}");
        Console.WriteLine($"  dotnet run --project src/DVV.ZkRisk.Cli -- verify {lastBundle} --governance {root}");
        Console.WriteLine($"  dotnet run --project src/DVV.ZkRisk.Cli -- trader check --bundle {lastBundle} --key {Path.Combine(outDir, "traders", top[0].Name + ".key")} --governance {root}");
        Console.WriteLine($"  dotnet run --project src/DVV.ZkRisk.Cli -- audit {outDir} --governance {root} --html {Path.Combine(outDir, "report.html")}   # the same views offline");
        Console.WriteLine("  dotnet run --project src/DVV.ZkRisk.Cli -- simulate --out dvv-sim   # what the buffer is for: vaults, a crash, IM only vs IM + CAVB");
        AnsiConsole.MarkupLineInterpolated($"dashboard: [bold]{server.DashboardAddress}[/]; a trader's notice to upload there: {TraderCommand.NoticePath(Path.Combine(tradersDir, top[0].Name + ".key"), last.Epoch)}");
        if (serve)
        {
            AnsiConsole.MarkupLine("serving the dashboard until Ctrl+C (--serve)");
            var done = new TaskCompletionSource();
            using var reg = ct.Register(() => done.TrySetResult());
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(); });
            await done.Task;
        }
        await server.DisposeAsync();
        try { Directory.Delete(data, true); } catch (IOException) { }
        return 0;
    }

    private static decimal Dec(string s) => s.Length == 0 ? 0 : decimal.Parse(s, CultureInfo.InvariantCulture);   // empty: an unvalued book
    private static string Contracts(ulong e4) => (e4 / 10_000.0).ToString("N1", CultureInfo.InvariantCulture);

    private static void Report(VerifiedEpoch v, List<DemoTrader> population, Dictionary<string, MarginNotice> notices, List<EpochRow> rows)
    {
        var grid = new BandGrid(v.RiskParameters);
        var calc = new MarginCalculator(MarginContext.ForBooks(v.RiskParameters, v.Market, []));
        var curve = calc.Cavb.Explain(v.Aggregates, new TraderOwnData(BandExposure.Zero(grid.Count), LiquidationFlags.None(v.RiskParameters.ShockCount)));
        int worst = Enumerable.Range(0, v.Aggregates.ShockCount).OrderByDescending(s => curve.Lines[s].ForcedVolume).First();

        var bands = new Table().Title($"epoch {v.Epoch}: proven aggregates per band (contracts; withheld below k_min = {v.RiskParameters.KMin} contributors)")
            .AddColumns("band", "bucket x log-moneyness", "short S_b", "n", "long L_b", "n", $"LSV at shock {worst} ({v.Aggregates.Shocks[worst].SpotShock:+0%;-0%})", "n");
        for (int b = 0; b < grid.Count; b++)
        {
            if (v.ShortContributors[b] == 0 && v.LongContributors[b] == 0) continue;
            string Cell(ulong value, int count) => count > 0 && count < v.RiskParameters.KMin ? "[grey]withheld[/]" : Contracts(value);
            bands.AddRow(b.ToString(), Markup.Escape(grid.Label(b)), Cell(v.ShortOpenInterest[b], v.ShortContributors[b]), v.ShortContributors[b].ToString(),
                Cell(v.LongOpenInterest[b], v.LongContributors[b]), v.LongContributors[b].ToString(),
                v.Aggregates.IsPublished(worst, b) ? Contracts(v.Aggregates.Lsv(worst, b)) : "[grey]withheld[/]", v.Aggregates.Contributors(worst, b).ToString());
        }
        AnsiConsole.Write(bands);

        var lsf = new Table().Title("LSF curve: forced volume V(s), impact I(s) = V/D, multiplier P(I)").AddColumns("s", "spot", "vol", "flagged traders", "V(s) coins", "I(s)", "P(I)", "");
        double maxV = Math.Max(1e-9, curve.Lines.Max(l => l.ForcedVolume));
        for (int s = 0; s < curve.Lines.Count; s++)
        {
            var l = curve.Lines[s];
            int flagged = notices.Values.Count(x => x.LiquidationFlags[s]);
            lsf.AddRow(s.ToString(), l.Shock.SpotShock.ToString("+0%;-0%"), l.Shock.VolShock.ToString("+0.0%;-0.0%"), flagged.ToString(),
                l.ForcedVolume.ToString("N2"), l.Impact.ToString("0.0000"), l.Multiplier.ToString("0.0000"), new string('#', (int)Math.Round(12 * l.ForcedVolume / maxV)));
        }
        AnsiConsole.Write(lsf);

        var m = new Table().Title($"epoch {v.Epoch}: margins of the most affected traders (USD)").AddColumns("trader", "kind", "IM", "CAVB", "total", "CAVB / IM", "flags (shock 0..11)");
        foreach (var t in population.OrderByDescending(t => Dec(notices[t.KeyHex].Cavb)).Take(10))
        {
            var x = notices[t.KeyHex];
            decimal im = Dec(x.InitialMargin), cavb = Dec(x.Cavb);
            m.AddRow(t.Name, t.Kind, im.ToString("N0"), cavb.ToString("N0"), Dec(x.TotalMargin).ToString("N0"), im == 0 ? "-" : (cavb / im).ToString("P1"),
                string.Concat(x.LiquidationFlags.Select(f => f ? '1' : '0')));
        }
        AnsiConsole.Write(m);

        var e = new Table().Title("epochs: bundle size and timings").AddColumns("epoch", "bundle", "submissions", "selection sets", "bytes", "bytes/trader", "seal ms", "verify ms (per verifier)", "attestations");
        foreach (var r in rows)
            e.AddRow(r.Epoch.ToString(), r.Checkpoint ? "checkpoint" : "incremental", r.Submissions.ToString(), r.Reissued.ToString(), r.Bytes.ToString("N0"),
                (r.Bytes / (double)r.Traders).ToString("N0"), r.SealMs.ToString("N0"), r.VerifyMs.ToString("N0"), r.Quorum);
        AnsiConsole.Write(e);
    }
}
