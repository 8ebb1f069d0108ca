using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Flags;
using DVV.ZkRisk.Protocol.RiskBinding;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk flags compare [--traders N] [--seed S] [--json]`: the liquidation flags of the demo population under full
/// revaluation (v1: equity + PnL(s) &lt; MM(s), chosen by the venue) and under the band model (v2: d_s &lt; 0, provable from
/// the committed exposures and collateral), per shock, with where they disagree.
/// </summary>
internal static class FlagsCommand
{
    public static Command Create()
    {
        var traders = new Option<int>("--traders") { Description = "demo population size (default 1,000)", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<int>("--seed") { Description = "population seed (default 1)", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "print one JSON document instead of tables" };
        var compare = new Command("compare", "full-revaluation flags (v1) against band-model flags (v2, provable) on the demo population, per shock");
        foreach (var o in new Option[] { traders, seed, json }) compare.Options.Add(o);
        compare.SetAction(pr => CliErrors.Run(() =>
        {
            int n = pr.GetValue(traders);
            if (n < 1 || n > 100_000) return CliErrors.Fail("--traders: must be between 1 and 100,000");
            var parameters = DemoMarket.Parameters(DateTimeOffset.UnixEpoch.AddDays(20_000));
            var population = DemoPopulation.Generate(n, parameters, pr.GetValue(seed));
            var books = population.Select(t => OpeningBook.Parse(t.BookJson)).ToList();
            var result = FlagModelComparison.Run(RiskBridge.RiskParameters(parameters), RiskBridge.Market(parameters), books, population.Select(t => t.Kind).ToList());
            if (pr.GetValue(json)) WriteJson(result); else WriteTables(result);
            return 0;
        }));
        var cmd = new Command("flags", "liquidation flags: the v1 (full revaluation) and v2 (band model, proven) definitions");
        cmd.Subcommands.Add(compare);
        return cmd;
    }

    private static void WriteTables(FlagModelComparison r)
    {
        var t = new Table().Title($"flags per shock, {r.Books:N0} demo books: full revaluation (v1) vs band model (v2)");
        foreach (var h in new[] { "s", "spot", "full revaluation", "band model", "only full reval.", "only band model" }) t.AddColumn(new TableColumn(h).RightAligned());
        foreach (var s in r.Shocks)
            t.AddRow($"{s.Shock}", $"{s.SpotShock:+0%;-0%}", $"{s.FullRevaluation:N0}", $"{s.BandModel:N0}", $"{s.OnlyFullRevaluation:N0}", $"{s.OnlyBandModel:N0}");
        AnsiConsole.Write(t);
        var k = new Table().Title("books whose flags differ in at least one shock");
        k.AddColumn("kind"); k.AddColumn(new TableColumn("books").RightAligned()); k.AddColumn(new TableColumn("differ").RightAligned());
        foreach (var (kind, (books, differ)) in r.ByKind.OrderBy(x => x.Key, StringComparer.Ordinal)) k.AddRow(kind, $"{books:N0}", $"{differ:N0}");
        AnsiConsole.Write(k);
        if (r.OutOfRange > 0) AnsiConsole.WriteLine($"{r.OutOfRange} books are outside the band model's range (negative collateral or |d| >= 2^63 units) and counted as differing");
    }

    private static void WriteJson(FlagModelComparison r)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("books", r.Books);
            w.WriteNumber("booksThatDiffer", r.BooksThatDiffer);
            w.WriteNumber("outOfRange", r.OutOfRange);
            w.WriteStartArray("shocks");
            foreach (var s in r.Shocks)
            {
                w.WriteStartObject();
                w.WriteNumber("shock", s.Shock);
                w.WriteNumber("spotShock", s.SpotShock);
                w.WriteNumber("fullRevaluation", s.FullRevaluation);
                w.WriteNumber("bandModel", s.BandModel);
                w.WriteNumber("onlyFullRevaluation", s.OnlyFullRevaluation);
                w.WriteNumber("onlyBandModel", s.OnlyBandModel);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("byKind");
            foreach (var (kind, (books, differ)) in r.ByKind.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(kind);
                w.WriteNumber("books", books);
                w.WriteNumber("differ", differ);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
