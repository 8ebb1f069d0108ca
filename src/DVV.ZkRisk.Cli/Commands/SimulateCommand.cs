using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DVV.ZkRisk.Vaults;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk simulate`: the contagion simulator (src/DVV.ZkRisk.Vaults). With no options, the headline crash: a -30% move
/// over 600 s (300 blocks of 2 s) with 10 identical hedged strangle vaults and 1,000 traders, under im-only, im+cavb and
/// im+linear-oi, seeds 1-5. `--json` prints one document with a `regimes` array; `--out DIR` writes the charts (PNG)
/// and report.md; `--sweep NAME` runs a sensitivity sweep; `--proofs` takes each epoch's aggregates from the real
/// epoch pipeline (submissions with range proofs, seal, verify) at demo scale.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "crash (default), calm or manipulation", DefaultValueFactory = _ => "crash" };
        scenario.AcceptOnlyFromAmong("crash", "calm", "manipulation");
        var seeds = new Option<string>("--seeds") { Description = "seeds: a count N (seeds 1..N) or a comma-separated list", DefaultValueFactory = _ => "5" };
        var vaults = new Option<int?>("--vaults") { Description = "identical hedged vaults (default 10)" };
        var traders = new Option<int?>("--traders") { Description = "leveraged traders (default 1,000)" };
        var depth = new Option<double?>("--depth") { Description = "coins that move the perpetual by 2% when the book is full (default 400)" };
        var block = new Option<double?>("--block-time") { Description = "seconds per block (default 2; the crash lasts 600 s whatever the block time)" };
        var kappa = new Option<double?>("--kappa") { Description = "CAVB kappa (default 1)" };
        var pmax = new Option<double?>("--pmax") { Description = "CAVB cap P_max (default 5)" };
        var alpha = new Option<double?>("--alpha") { Description = "CAVB alpha (default 0.02)" };
        var twap = new Option<double?>("--twap") { Description = "oracle TWAP window, seconds (default 30)" };
        var crash = new Option<double?>("--crash") { Description = "exogenous crash move (default -0.30)" };
        var duration = new Option<double?>("--duration") { Description = "run length, seconds (default 2,000)" };
        var regimes = new Option<string>("--regimes") { Description = "comma-separated: im-only, im+cavb, im+linear-oi", DefaultValueFactory = _ => "im-only,im+cavb,im+linear-oi" };
        var json = new Option<bool>("--json") { Description = "print one JSON document (a `regimes` array of headline figures) instead of tables" };
        var outDir = new Option<string?>("--out") { Description = "directory for the charts (PNG) and report.md" };
        var sweep = new Option<string?>("--sweep") { Description = "sensitivity sweep: vaults, depth, block-time, kappa, pmax" };
        sweep.AcceptOnlyFromAmong("vaults", "depth", "block-time", "kappa", "pmax");
        var proofs = new Option<bool>("--proofs") { Description = "aggregates from the real epoch pipeline with proofs (demo scale: at most 40 accounts)" };

        var cmd = new Command("simulate", "Contagion simulator: volatility vaults, a perpetual book with finite depth, and the margin regimes compared on the same seeds");
        foreach (var o in new Option[] { scenario, seeds, vaults, traders, depth, block, kappa, pmax, alpha, twap, crash, duration, regimes, json, outDir, sweep, proofs })
            cmd.Options.Add(o);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
            SimulationConfig cfg;
            IReadOnlyList<int> seedList;
            IReadOnlyList<MarginRegime> regimeList;
            try
            {
                var c = SimulationConfig.Headline with
                {
                    Scenario = pr.GetValue(scenario) switch { "calm" => Scenario.Calm, "manipulation" => Scenario.Manipulation, _ => Scenario.Crash },
                };
                if (pr.GetValue(vaults) is int v) c = c with { Vaults = v };
                if (pr.GetValue(traders) is int t) c = c with { Traders = t };
                if (pr.GetValue(depth) is double d) c = c with { DepthCoins = d };
                if (pr.GetValue(block) is double b) c = c with { BlockSeconds = b };
                if (pr.GetValue(twap) is double w) c = c with { TwapSeconds = w };
                if (pr.GetValue(crash) is double m) c = c with { CrashMove = m };
                if (pr.GetValue(duration) is double du) c = c with { DurationSeconds = du };
                var rp = c.RiskParameters;
                if (pr.GetValue(kappa) is double k) rp = rp with { Kappa = k };
                if (pr.GetValue(pmax) is double p) rp = rp with { PMax = p };
                if (pr.GetValue(alpha) is double a) rp = rp with { Alpha = a };
                cfg = c with { RiskParameters = rp };
                cfg.Validate();
                seedList = ParseSeeds(pr.GetValue(seeds)!);
                regimeList = ParseRegimes(pr.GetValue(regimes)!);
            }
            catch (ArgumentException e) { return CliErrors.Fail(e.Message); }

            bool asJson = pr.GetValue(json);
            string? dir = pr.GetValue(outDir);
            if (pr.GetValue(sweep) is string sweepName) return Sweep(sweepName, cfg, regimeList, seedList, asJson, dir);
            ProvenEpochAggregates? proven = null;
            if (pr.GetValue(proofs))
            {
                if (cfg.Vaults + cfg.UnhedgedVaults + cfg.Traders > 40)
                {
                    // demo scale: a 64 x 64-bit range proof per account per epoch takes a few hundred ms on this machine
                    if (pr.GetValue(vaults) is not null || pr.GetValue(traders) is not null)
                        return CliErrors.Fail("--proofs: at most 40 accounts (vaults + traders): every account proves its exposures every epoch");
                    cfg = cfg with { Vaults = 4, Traders = 24, EpochSeconds = 200 };
                }
                if (seedList.Count > 1 && pr.GetValue(seeds) == "5") seedList = [1];
                proven = new ProvenEpochAggregates();
            }
            var study = new ContagionStudy(cfg, regimeList, seedList, proven is null ? null : () => proven);
            var sw = Stopwatch.StartNew();
            var result = RunStudy(study, asJson, proven is null ? 0 : 1);
            double seconds = sw.Elapsed.TotalSeconds;
            if (dir != null) WriteReport(result, dir, seconds, asJson);
            if (asJson)
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(StudyJson.Serialize(result));
                return 0;
            }
            Print(result, seconds);
            if (proven != null)
                AnsiConsole.MarkupLineInterpolated($"proofs: {proven.Epochs} epochs sealed and verified, {proven.Submissions} submissions with range proofs; build {proven.BuildMs / 1000:N1} s, seal {proven.SealMs / 1000:N1} s, verify {proven.VerifyMs / 1000:N1} s");
            return 0;
        }));
        return cmd;
    }

    private static StudyResult RunStudy(ContagionStudy study, bool quiet, int dop = 0, string? label = null)
    {
        if (quiet) return study.Run(dop);
        StudyResult result = null!;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(label ?? $"{study.Seeds.Count} seeds x {study.Regimes.Count} regimes"), maxValue: study.Seeds.Count * study.Regimes.Count);
            result = study.Run(dop, new Progress<int>(n => task.Value = n));
            task.Value = task.MaxValue;
        });
        return result;
    }

    private static void WriteReport(StudyResult result, string dir, double seconds, bool quiet)
    {
        var charts = ReportCharts.Write(result, dir);
        File.WriteAllText(Path.Combine(dir, "report.md"), StudyReport.Markdown(result, charts, seconds));
        File.WriteAllBytes(Path.Combine(dir, "study.json"), StudyJson.Serialize(result));
        if (!quiet) AnsiConsole.MarkupLineInterpolated($"wrote {Path.Combine(dir, "report.md")}, study.json and {charts.Count} charts");
    }

    private static readonly (string Name, string File, Func<RegimeHeadline, double> Get, string Unit, double Scale)[] SweepFigures =
    [
        ("peak forced volume", "peak-forced-volume", h => h.PeakForcedVolume, "coins per block", 1),
        ("endogenous drawdown", "endogenous-drawdown", h => h.EndogenousDrawdown, "percent of price", 100),
        ("vault losses", "vault-losses", h => h.VaultLosses, "USD million", 1e-6),
        ("safety-fund draw", "safety-fund-draw", h => h.SafetyFundDraw, "USD million", 1e-6),
        ("traders liquidated", "traders-liquidated", h => h.TradersLiquidated, "accounts", 1),
    ];

    private static int Sweep(string name, SimulationConfig cfg, IReadOnlyList<MarginRegime> regimes, IReadOnlyList<int> seeds, bool asJson, string? dir)
    {
        var points = new List<(double X, StudyResult Result)>();
        foreach (var (x, c) in SensitivitySweep.Points(name, cfg))
            points.Add((x, RunStudy(new ContagionStudy(c, regimes, seeds), asJson, 0, $"{name} = {x.ToString(CultureInfo.InvariantCulture)}")));
        if (dir != null)
        {
            Directory.CreateDirectory(dir);
            foreach (var f in SweepFigures)
                ReportCharts.WriteSweep(points, SensitivitySweep.Axis(name), f.Name, f.Get, f.Unit, Path.Combine(dir, $"sweep-{name}-{f.File}.png"), f.Scale);
        }
        if (asJson)
        {
            var doc = new System.Text.Json.Nodes.JsonObject
            {
                ["sweep"] = name,
                ["points"] = new System.Text.Json.Nodes.JsonArray(points.Select(p => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["value"] = p.X,
                    ["study"] = System.Text.Json.Nodes.JsonNode.Parse(StudyJson.Serialize(p.Result)),
                }).ToArray()),
            };
            Console.WriteLine(doc.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        }
        var t = new Table().Title(Markup.Escape($"sensitivity to {SensitivitySweep.Axis(name)}: mean over seeds {string.Join(",", seeds)}"));
        t.AddColumn(name);
        foreach (var r in regimes) { t.AddColumn($"{r.Label()} peak forced"); t.AddColumn($"{r.Label()} endo. drawdown"); t.AddColumn($"{r.Label()} vault losses USD m"); t.AddColumn($"{r.Label()} fund draw USD m"); }
        foreach (var (x, res) in points)
        {
            var cells = new List<string> { x.ToString(CultureInfo.InvariantCulture) };
            for (int g = 0; g < regimes.Count; g++)
            {
                cells.Add(res.Stat(g, h => h.PeakForcedVolume).Mean.ToString("N0", CultureInfo.InvariantCulture));
                cells.Add((res.Stat(g, h => h.EndogenousDrawdown).Mean * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
                cells.Add((res.Stat(g, h => h.VaultLosses).Mean / 1e6).ToString("N1", CultureInfo.InvariantCulture));
                cells.Add((res.Stat(g, h => h.SafetyFundDraw).Mean / 1e6).ToString("N2", CultureInfo.InvariantCulture));
            }
            t.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(t);
        if (dir != null) AnsiConsole.MarkupLineInterpolated($"wrote {SweepFigures.Length} sweep charts to {dir}");
        return 0;
    }

    internal static IReadOnlyList<int> ParseSeeds(string s)
    {
        s = s.Trim();
        if (!s.Contains(',') && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            if (n < 1 || n > 1_000) throw new ArgumentException("--seeds: a count must lie in [1, 1000]");
            return Enumerable.Range(1, n).ToArray();
        }
        var list = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int x)) throw new ArgumentException($"--seeds: '{part}' is not an integer");
            list.Add(x);
        }
        if (list.Count == 0) throw new ArgumentException("--seeds: no seed given");
        return list;
    }

    internal static IReadOnlyList<MarginRegime> ParseRegimes(string s)
    {
        var list = new List<MarginRegime>();
        foreach (var part in s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!MarginRegimes.TryParse(part, out var r)) throw new ArgumentException($"--regimes: unknown regime '{part}' (im-only, im+cavb, im+linear-oi)");
            if (!list.Contains(r)) list.Add(r);
        }
        if (list.Count == 0) throw new ArgumentException("--regimes: no regime given");
        return list;
    }

    private static void Print(StudyResult r, double seconds)
    {
        var t = new Table().Title(Markup.Escape($"{r.Config.Scenario} scenario, {r.Seeds.Count} seeds, mean [min..max]; aggregates {r.AggregatesDescription}"));
        t.AddColumns("regime", "peak forced coins/block", "endogenous drawdown", "vault losses USD m", "safety fund draw USD m", "traders liquidated", "vaults liquidated", "vault contracts", "herd contracts", "add-on at start USD m");
        for (int g = 0; g < r.Regimes.Count; g++)
        {
            string S(Func<RegimeHeadline, double> f, string fmt, double scale = 1)
            {
                var s = r.Stat(g, f);
                return r.Seeds.Count == 1 ? (s.Mean * scale).ToString(fmt, CultureInfo.InvariantCulture)
                          : Markup.Escape($"{(s.Mean * scale).ToString(fmt, CultureInfo.InvariantCulture)} [{(s.Min * scale).ToString(fmt, CultureInfo.InvariantCulture)}..{(s.Max * scale).ToString(fmt, CultureInfo.InvariantCulture)}]");
            }
            t.AddRow(r.Regimes[g].Label(), S(h => h.PeakForcedVolume, "N0"), S(h => h.EndogenousDrawdown, "P1"), S(h => h.VaultLosses, "N2", 1e-6),
                S(h => h.SafetyFundDraw, "N2", 1e-6), S(h => h.TradersLiquidated, "N0"), S(h => h.VaultsLiquidated, "N0"),
                S(h => h.VaultContractsWritten, "N0"), S(h => h.HerdContracts, "N0"), S(h => h.InitialAddOn, "N1", 1e-6));
        }
        AnsiConsole.Write(t);
        AnsiConsole.MarkupLineInterpolated($"{r.Seeds.Count * r.Regimes.Count} runs of {r.Config.Blocks} blocks in {seconds:N1} s");
    }
}
