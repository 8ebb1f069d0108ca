using System.Text.Json;
using System.Text.Json.Nodes;

namespace DVV.ZkRisk.Risk.Tests;

/// <summary>
/// samples/ (book.json, cluster.json, aggregates.json, params.json) are generated here, so the
/// documented files always parse and stay consistent with the code: the aggregates include the
/// sample account's own contribution under the same parameters and market. Regenerate with
/// REGENERATE_SAMPLES=1 dotnet test --filter SampleFiles.
/// </summary>
public class SampleFilesTests
{
    private static string Samples => Path.Combine(Fixtures.RepoRoot(), "samples");

    internal const string BookJson = """
    {
      "account": "alice",
      "collateralUsd": 140000,
      "collateralCoin": 0.5,
      "positions": [
        { "instrument": "option", "type": "put",  "strike": 58500, "expiry": "2025-07-11T08:00:00Z", "convention": "linear",  "size": -12 },
        { "instrument": "option", "type": "put",  "strike": 61750, "expiry": "2025-08-04T08:00:00Z", "convention": "inverse", "size": -6.5 },
        { "instrument": "option", "type": "call", "strike": 74750, "expiry": "2025-08-04T08:00:00Z", "convention": "linear",  "size": -4 },
        { "instrument": "option", "type": "put",  "strike": 52000, "expiry": "2025-08-04T08:00:00Z", "convention": "linear",  "size": 5 },
        { "instrument": "perpetual", "convention": "linear", "contractSize": 1, "size": 1.5 }
      ]
    }

    """;

    internal const string ClusterJson = """
    {
      "cluster": "alice-linked",
      "accounts": [
        {
          "account": "alice-a",
          "collateralUsd": 90000,
          "positions": [
            { "instrument": "option", "type": "put",  "strike": 58500, "expiry": "2025-07-11T08:00:00Z", "size": -12 },
            { "instrument": "option", "type": "call", "strike": 74750, "expiry": "2025-08-04T08:00:00Z", "size": -4 }
          ]
        },
        {
          "account": "alice-b",
          "collateralUsd": 50000,
          "collateralCoin": 0.5,
          "positions": [
            { "instrument": "option", "type": "put",  "strike": 61750, "expiry": "2025-08-04T08:00:00Z", "convention": "inverse", "size": -6.5 },
            { "instrument": "option", "type": "put",  "strike": 52000, "expiry": "2025-08-04T08:00:00Z", "size": 5 },
            { "instrument": "perpetual", "size": 1.5 }
          ]
        }
      ]
    }

    """;

    /// <summary>The sample epoch: the test market and 60 synthetic traders plus alice.</summary>
    internal static string AggregatesJson()
    {
        var p = ParameterSet.Default;
        var market = Fixtures.Market(depthCoins: 400, fundUsd: 60_000_000);
        var universe = Fixtures.Universe();
        var alice = PositionBookFile.Parse(BookJson).Accounts[0];
        universe.AddRange(alice.Positions.Select(x => x.Instrument));
        var calc = new MarginCalculator(MarginContext.Create(p, market, universe));
        var options = universe.OfType<OptionContract>().Where(o => o.Convention == SettlementConvention.Linear).ToArray();
        var rng = new Random(20250620);
        var books = new List<PositionBook> { alice };
        for (int i = 0; i < 60; i++)
        {
            var pos = new List<Position>();
            int n = 2 + rng.Next(6);
            for (int j = 0; j < n; j++)
            {
                var o = options[rng.Next(options.Length)];
                pos.Add(Position.Of(o, Math.Round((rng.NextDouble() < 0.75 ? -1 : 1) * (1 + rng.Next(20)) * 0.5, 4)));
            }
            var bare = new PositionBook($"t{i}", pos, 0);
            var r = calc.InitialMargin.Evaluate(calc.Context.Resolve(bare));
            double cushion = i % 3 == 0 ? 1.1 : 3.0;     // a third of the crowd runs close to liquidation
            books.Add(new PositionBook($"t{i}", pos, cushion * r.InitialMargin - r.Equity));
        }
        var acc = new LsvAccumulator(p);
        foreach (var b in books)
        {
            var own = calc.OwnData(b);
            acc.Add(own.Flags, own.Exposure.Short);
        }
        return EpochStateFile.Write(1842, p, market, acc.Totals(), acc.ContributorCounts());
    }

    internal static string ParamsJson()
    {
        var node = JsonNode.Parse(ParameterSet.Default.ToCanonicalJson())!;
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static void Check(string name, string expected)
    {
        string path = Path.Combine(Samples, name);
        if (Environment.GetEnvironmentVariable("REGENERATE_SAMPLES") == "1")
        {
            Directory.CreateDirectory(Samples);
            File.WriteAllText(path, expected);
        }
        Assert.True(File.Exists(path), $"{path} is missing (run with REGENERATE_SAMPLES=1)");
        Assert.Equal(expected.ReplaceLineEndings("\n"), File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SamplesAreUpToDate()
    {
        Check("book.json", BookJson);
        Check("cluster.json", ClusterJson);
        Check("params.json", ParamsJson());
        Check("aggregates.json", AggregatesJson());
    }

    [Fact]
    public void SampleBookMarginsWithAPositiveCavb()
    {
        var p = ParameterSet.Load(Path.Combine(Samples, "params.json"));
        Assert.Equal(ParameterSet.Default.HashHex, p.HashHex);
        var state = EpochStateFile.Load(Path.Combine(Samples, "aggregates.json"), p);
        var book = PositionBookFile.Load(Path.Combine(Samples, "book.json"));
        var calc = new MarginCalculator(MarginContext.ForBooks(p, state.Market, book.Accounts));
        var n = calc.MarginCluster(book.Id, book.Accounts, state.Aggregates);
        Assert.True(n.InitialMargin > 0);
        Assert.True(n.Cavb > 0, "the sample is meant to show a CAVB");
        Assert.Equal(1842, n.Epoch);

        // The cluster sample is the same book split over two linked accounts: same total.
        var cluster = PositionBookFile.Load(Path.Combine(Samples, "cluster.json"));
        Assert.True(cluster.IsCluster);
        var calc2 = new MarginCalculator(MarginContext.ForBooks(p, state.Market, cluster.Accounts));
        var nc = calc2.MarginCluster(cluster.Id, cluster.Accounts, state.Aggregates);
        Assert.Equal(n.TotalMargin, nc.TotalMargin, 6);
    }
}
