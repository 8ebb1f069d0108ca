using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DVV.ZkRisk.Risk;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk margin --book book.json --aggregates agg.json [--params p.json] [--json]`: margins one
/// account (or a linked cluster) against an epoch's published aggregates and market: IM, MM, CAVB,
/// total, the IM scenario table and the LSF/CAVB table per shock.
/// The aggregates file is trusted as published by an attested epoch (offline replay); see README.
/// </summary>
internal static class MarginCommand
{
    public static Command Create()
    {
        var book = new Option<FileInfo>("--book") { Description = "book file (one account, or {\"cluster\":..., \"accounts\":[...]})", Required = true };
        var aggregates = new Option<FileInfo>("--aggregates") { Description = "epoch state file: market data and proven aggregates LSV", Required = true };
        var parameters = new Option<FileInfo?>("--params") { Description = "parameter set file (default: the built-in default set)" };
        var json = new Option<bool>("--json") { Description = "machine-readable JSON instead of tables" };

        var cmd = new Command("margin", "Initial margin (SPAN-style grid), maintenance margin, CAVB and total margin of a book");
        foreach (var o in new Option[] { book, aggregates, parameters, json }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var paramFile = pr.GetValue(parameters);
            var p = paramFile is null ? ParameterSet.Default : ParameterSet.Load(paramFile.FullName);
            var contents = PositionBookFile.Load(pr.GetValue(book)!.FullName);
            var state = EpochStateFile.Load(pr.GetValue(aggregates)!.FullName, p);
            var ctx = MarginContext.ForBooks(p, state.Market, contents.Accounts);
            var calc = new MarginCalculator(ctx);
            var notice = calc.MarginCluster(contents.Id, contents.Accounts, state.Aggregates);
            var arbitrage = state.Market.Surface.CheckArbitrage();
            if (pr.GetValue(json)) WriteJson(notice, ctx, arbitrage);
            else WriteTables(notice, ctx, arbitrage, p);
            return 0;
        }));
        return cmd;
    }

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private static string Usd(double v) => v.ToString("#,##0.00", Ci);
    private static string Whole(double v) => v.ToString("#,##0", Ci);
    private static string Pct(double v) => (v * 100).ToString("+0.##;-0.##;0", Ci) + "%";

    private static void WriteTables(MarginNotice n, MarginContext ctx, ArbitrageReport arbitrage, ParameterSet p)
    {
        if (Console.IsOutputRedirected)
        {
            // Piped or captured: no terminal width to fit, no colour codes.
            AnsiConsole.Profile.Width = 160;
            AnsiConsole.Profile.Capabilities.Ansi = false;
        }
        var r = n.InitialMarginReport;
        var summary = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"margin notice: {n.AccountId}"));
        summary.AddColumn("item");
        summary.AddColumn(new TableColumn("value").RightAligned());
        void Row(string k, string v) => summary.AddRow(Markup.Escape(k), Markup.Escape(v));
        if (n.MemberAccounts.Count > 1 || n.MemberAccounts[0] != n.AccountId) Row("linked accounts", string.Join(", ", n.MemberAccounts));
        Row("epoch", n.Epoch.ToString(Ci));
        Row("parameter set", $"v{p.Version} {p.Label} {n.RiskParameterHash[..16]}...");
        Row("equity (USD)", Usd(r.Risk.Equity));
        Row("scan risk (USD)", Usd(r.Risk.ScanRisk));
        Row("short-option minimum (USD)", Usd(r.Risk.ShortOptionCharge));
        Row("initial margin IM (USD)", Usd(n.InitialMargin));
        Row("maintenance margin MM (USD)", Usd(n.MaintenanceMargin));
        Row("CAVB (USD)", Usd(n.Cavb));
        Row("total margin IM + CAVB (USD)", Usd(n.TotalMargin));
        Row("liquidation flags (shock 0..n)", r.Risk.Flags.ToString());
        Row("kappa_eff", n.CavbBreakdown.KappaEffective.ToString("G6", Ci));
        AnsiConsole.Write(summary);

        var scn = new Table().Border(TableBorder.Simple).Title("IM scenarios (full revaluation)");
        scn.AddColumn(new TableColumn("#").RightAligned());
        scn.AddColumn("scenario");
        scn.AddColumn(new TableColumn("move").RightAligned());
        scn.AddColumn(new TableColumn("weight").RightAligned());
        scn.AddColumn(new TableColumn("PnL (USD)").RightAligned());
        scn.AddColumn(new TableColumn("weighted loss").RightAligned());
        foreach (var s in r.Scenarios)
        {
            string mark = s.Index == r.Risk.WorstScenario ? " <= worst" : "";
            scn.AddRow((s.Index + 1).ToString(Ci), Markup.Escape(s.Scenario.Label + mark), Pct(s.Scenario.PriceMove),
                s.Scenario.Weight.ToString("0.##", Ci), Usd(s.Pnl), Usd(s.WeightedLoss));
        }
        AnsiConsole.Write(scn);

        var lsf = new Table().Border(TableBorder.Simple).Title("LSF shocks: liquidation and CAVB");
        foreach (var h in new[] { "s", "spot", "vol", "PnL (USD)", "equity after", "MM after", "lam", "v_i (coin)", "V (coin)", "I", "P(I)", "CAVB(s) USD" })
            lsf.AddColumn(new TableColumn(h).RightAligned());
        for (int i = 0; i < r.Shocks.Count; i++)
        {
            var s = r.Shocks[i];
            var c = n.CavbBreakdown.Lines[i];
            lsf.AddRow(i.ToString(Ci), Pct(s.Shock.SpotShock), Pct(s.Shock.VolShock), Whole(s.Pnl), Whole(s.EquityAfter), Whole(s.MaintenanceMarginAfter),
                s.Liquidated ? "1" : "0", c.OwnForcedVolume.ToString("0.###", Ci), c.ForcedVolume.ToString("0.##", Ci),
                c.Impact.ToString("0.####", Ci), c.Multiplier.ToString("0.####", Ci), Usd(c.Cavb));
        }
        AnsiConsole.Write(lsf);

        var exp = new Table().Border(TableBorder.Simple).Title("band exposure (contracts)");
        exp.AddColumn(new TableColumn("band").RightAligned());
        exp.AddColumn("bucket x log-moneyness");
        exp.AddColumn(new TableColumn("short S_b").RightAligned());
        exp.AddColumn(new TableColumn("long L_b").RightAligned());
        for (int b = 0; b < n.Exposure.Count; b++)
            if (n.Exposure.Short[b] != 0 || n.Exposure.Long[b] != 0)
                exp.AddRow(b.ToString(Ci), Markup.Escape(ctx.Bands.Label(b)),
                    (n.Exposure.Short[b] / 1e4).ToString("0.####", Ci), (n.Exposure.Long[b] / 1e4).ToString("0.####", Ci));
        AnsiConsole.Write(exp);
        if (!arbitrage.IsArbitrageFree)
            AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(arbitrage.ToString()));
    }

    private static void WriteJson(MarginNotice n, MarginContext ctx, ArbitrageReport arbitrage)
    {
        var r = n.InitialMarginReport;
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("account", n.AccountId);
            w.WriteStartArray("members");
            foreach (var m in n.MemberAccounts) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteNumber("epoch", n.Epoch);
            w.WriteString("parameterHash", n.RiskParameterHash);   // the file format's name, frozen
            w.WriteNumber("equity", r.Risk.Equity);
            w.WriteNumber("scanRisk", r.Risk.ScanRisk);
            w.WriteNumber("shortOptionCharge", r.Risk.ShortOptionCharge);
            w.WriteNumber("initialMargin", n.InitialMargin);
            w.WriteNumber("maintenanceMargin", n.MaintenanceMargin);
            w.WriteNumber("cavb", n.Cavb);
            w.WriteNumber("totalMargin", n.TotalMargin);
            w.WriteString("liquidationFlags", r.Risk.Flags.ToString());
            w.WriteNumber("kappaEffective", n.CavbBreakdown.KappaEffective);
            w.WriteNumber("bindingShock", n.CavbBreakdown.Result.BindingShock);
            w.WriteNumber("worstScenario", r.Risk.WorstScenario);
            w.WriteStartArray("scenarios");
            foreach (var s in r.Scenarios)
            {
                w.WriteStartObject();
                w.WriteNumber("index", s.Index);
                w.WriteString("label", s.Scenario.Label);
                w.WriteNumber("priceMove", s.Scenario.PriceMove);
                w.WriteNumber("volDirection", s.Scenario.VolDirection);
                w.WriteNumber("weight", s.Scenario.Weight);
                w.WriteNumber("pnl", s.Pnl);
                w.WriteNumber("weightedLoss", s.WeightedLoss);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("shocks");
            for (int i = 0; i < r.Shocks.Count; i++)
            {
                var s = r.Shocks[i];
                var c = n.CavbBreakdown.Lines[i];
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteNumber("spotShock", s.Shock.SpotShock);
                w.WriteNumber("volShock", s.Shock.VolShock);
                w.WriteNumber("pnl", s.Pnl);
                w.WriteNumber("equityAfter", s.EquityAfter);
                w.WriteNumber("initialMarginAfter", s.InitialMarginAfter);
                w.WriteNumber("maintenanceMarginAfter", s.MaintenanceMarginAfter);
                w.WriteNumber("lambda", s.Liquidated ? 1 : 0);
                w.WriteNumber("ownForcedVolume", c.OwnForcedVolume);
                w.WriteNumber("forcedVolume", c.ForcedVolume);
                w.WriteNumber("impact", c.Impact);
                w.WriteNumber("multiplier", c.Multiplier);
                w.WriteNumber("cavb", c.Cavb);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("bandExposure");
            for (int b = 0; b < n.Exposure.Count; b++)
            {
                if (n.Exposure.Short[b] == 0 && n.Exposure.Long[b] == 0) continue;
                w.WriteStartObject();
                w.WriteNumber("band", b);
                w.WriteString("label", ctx.Bands.Label(b));
                w.WriteNumber("shortE4", n.Exposure.Short[b]);
                w.WriteNumber("longE4", n.Exposure.Long[b]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("surfaceArbitrageFree", arbitrage.IsArbitrageFree);
            w.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
