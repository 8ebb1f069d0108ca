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

            var study = new ContagionStudy(cfg, regimeList, seedList);
            var sw = Stopwatch.StartNew();
            StudyResult result = null!;
            if (pr.GetValue(json)) result = study.Run();
            else
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"{seedList.Count} seeds x {regimeList.Count} regimes", maxValue: seedList.Count * regimeList.Count);
                    result = study.Run(progress: new Progress<int>(n => task.Value = n));
                    task.Value = task.MaxValue;
                });
            double seconds = sw.Elapsed.TotalSeconds;
            if (pr.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(StudyJson.Serialize(result));
                return 0;
            }
            Print(result, seconds);
            return 0;
        }));
        return cmd;
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
