using System.Text;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The book an opening carries: the one book format (samples/book.json) read by <see cref="OpeningBook"/>,
/// mapped onto bands by the epoch's context (the risk engine's band grid).</summary>
public class BookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly EpochContext Epoch = EpochContext.Of(DemoMarket.Parameters(T0, 100_000));

    private static ReadOnlyMemory<byte> Json(string s) => Encoding.UTF8.GetBytes(s);
    private static string Samples => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples");

    private static OptionContract Call(double strike, double days) => new(OptionType.Call, strike, T0.AddDays(days));

    [Fact]
    public void Default_grid_has_32_bands_in_bucket_major_order()
    {
        var g = Epoch.Bands;
        int Band(double strike, double days) => g.BandOf(Call(strike, days), Epoch.Market);
        double f(double days) => Epoch.Market.Forward(days / 365.0);
        Assert.Equal(32, Epoch.BandCount);
        Assert.Equal(0, Band(50_000, 0.5));                          // DTE < 1, deep tail
        Assert.Equal(4, Band(f(0.5), 0.5));                          // ln(K/F) = 0 -> band [0, 0.05)
        Assert.Equal(3, Band(f(0.5) * Math.Exp(-0.01), 0.5));        // ln = -0.01 -> [-0.05, 0)
        Assert.Equal(8 + 7, Band(200_000, 1));                       // DTE = 1 is bucket 1; upper tail
        Assert.Equal(16 + 5, Band(f(7) * Math.Exp(0.07), 7));        // [0.05, 0.10) in bucket 2
        Assert.Equal(24, Band(10_000, 400));                         // DTE >= 30, lower tail
        Assert.Equal("[30d,inf) k[-inf,-0.15)", g.Label(24));        // the risk engine's label
    }

    [Fact]
    public void Exposures_net_per_instrument_then_sum_short_and_long_per_band_like_the_risk_engine()
    {
        var book = OpeningBook.Parse(Json("""
            {"account":"a","collateralUsd":1000.5,"positions":[
              {"instrument":"option","type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","size":-1.25},
              {"instrument":"option","type":"put","strike":100000,"expiry":"2026-01-01T20:00:00Z","size":-0.0001,"convention":"inverse"},
              {"instrument":"option","type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","size":3},
              {"instrument":"perpetual","size":-7},
              {"instrument":"option","type":"put","strike":80000,"expiry":"2026-03-01T08:00:00Z","size":2}]}
            """));
        Assert.Equal(1000.5, book.CollateralUsd);
        var e = Epoch.Exposure(book);
        Assert.Equal(1UL, e.Short[4]);                 // the inverse put
        Assert.Equal(17_500UL, e.Long[4]);             // -1.25 and +3 of the same call net to +1.75
        Assert.Equal(20_000UL, e.Long[24]);
        Assert.Equal(1UL, e.Short.Aggregate(0UL, (a, b) => a + b));
        // band for band what the risk engine's margin context computes for the same book
        var ctx = MarginContext.ForBooks(Epoch.Risk, Epoch.Market, [book]);
        var re = ctx.ExposureOf(ctx.Resolve(book));
        Assert.Equal(re.Short, e.Short);
        Assert.Equal(re.Long, e.Long);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{", "$")]
    [InlineData("{\"account\":\"a\",\"positions\":{}}", "positions")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"option\",\"type\":\"call\",\"strike\":1,\"expiry\":\"2026-02-01T00:00:00Z\"}]}", "positions[0].size")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"option\",\"type\":\"swap\",\"strike\":1,\"expiry\":\"2026-02-01T00:00:00Z\",\"size\":1}]}", "positions[0].type")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"option\",\"type\":\"call\",\"strike\":-5,\"expiry\":\"2026-02-01T00:00:00Z\",\"size\":1}]}", "positions[0].strike")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"option\",\"type\":\"call\",\"strike\":5,\"expiry\":\"soon\",\"size\":1}]}", "positions[0].expiry")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"perpetual\",\"size\":1},{\"instrument\":\"option\",\"type\":\"call\",\"strike\":5,\"expiry\":\"2026-02-01T00:00:00Z\",\"size\":1.00001}]}", "positions[1].size")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":-1,\"positions\":[]}", "collateralUsd")]
    [InlineData("{\"account\":\"a\",\"collateralCoin\":1e13,\"positions\":[]}", "collateralCoin")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"future\",\"size\":1}]}", "positions[0].instrument")]
    [InlineData("{\"account\":\"a\",\"positions\":[{\"instrument\":\"perpetual\",\"size\":1,\"quantity\":1}]}", "positions[0].quantity")]
    public void Bad_books_name_the_field(string json, string field)
    {
        var e = Assert.Throws<RiskInputException>(() => Epoch.Exposure(OpeningBook.Parse(Json(json))));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Expired_options_are_refused_naming_the_instrument()
    {
        var book = OpeningBook.Parse(Json("{\"account\":\"a\",\"positions\":[{\"instrument\":\"perpetual\",\"size\":1},{\"instrument\":\"option\",\"type\":\"call\",\"strike\":5,\"expiry\":\"2025-12-01T00:00:00Z\",\"size\":1}]}"));
        var e = Assert.Throws<RiskInputException>(() => Epoch.Exposure(book));
        Assert.Equal("positions", e.Field);
        Assert.Contains(book.Positions.Single(p => p.Instrument is OptionContract).Instrument.Id, e.Message);
        Assert.Contains("expired", e.Message);
    }

    [Fact]
    public void Sample_books_cover_every_band_when_asked()
    {
        var book = OpeningBook.Parse(SampleBooks.Generate(new Random(1), 100_000, T0, 32, coverAllBands: true));
        var e = Epoch.Exposure(book);
        Assert.All(Enumerable.Range(0, 32), b => Assert.True(e.Short[b] + e.Long[b] > 0, $"band {b} empty"));
    }

    [Fact]
    public void The_sample_book_file_is_an_opening_book_and_its_exposures_are_the_margin_engines()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Samples, "book.json"));
        var book = OpeningBook.Parse(bytes);
        var file = PositionBookFile.Load(Path.Combine(Samples, "book.json")).Accounts[0];
        Assert.Equal(file.Positions, book.Positions);
        Assert.Equal(file.CollateralCoin, book.CollateralCoin);
    }

    [Fact]
    public void A_cluster_file_is_not_one_submission()
    {
        var e = Assert.Throws<RiskInputException>(() => OpeningBook.Parse(File.ReadAllBytes(Path.Combine(Samples, "cluster.json"))));
        Assert.Equal("cluster", e.Field);
    }

    /// <summary>Openings sealed before the one book format carry the venue's first dialect: stored and published openings
    /// still read (a trader's check of an old bundle, a restart over an old store), new submissions do not.</summary>
    [Fact]
    public void The_legacy_dialect_reads_from_stored_openings_only_and_means_the_same_book()
    {
        var legacy = Json("""
            {"collateral_usd":"1000.5","positions":[
              {"type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","quantity":-1.25},
              {"type":"put","strike":80000,"expiry":"2026-03-01T08:00:00Z","quantity":2,"settlement":"inverse"},
              {"instrument":"perpetual","quantity":-7}]}
            """);
        var current = Json("""
            {"account":"a","collateralUsd":1000.5,"positions":[
              {"instrument":"option","type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","size":-1.25},
              {"instrument":"option","type":"put","strike":80000,"expiry":"2026-03-01T08:00:00Z","size":2,"convention":"inverse"},
              {"instrument":"perpetual","size":-7}]}
            """);
        var old = OpeningBook.ParseStored(legacy);
        var now = OpeningBook.Parse(current);
        Assert.Equal(now.Positions, old.Positions);
        Assert.Equal(now.CollateralUsd, old.CollateralUsd);
        Assert.Equal(Epoch.Exposure(now).Short, Epoch.Exposure(old).Short);
        Assert.Equal(now.Positions, OpeningBook.ParseStored(current).Positions);
        Assert.Equal("collateral_usd", Assert.Throws<RiskInputException>(() => OpeningBook.Parse(legacy)).Field);   // a new submission: unknown field
    }
}
