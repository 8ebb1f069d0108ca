using System.Text;
using DVV.ZkRisk.Epochs.Bands;
using DVV.ZkRisk.Epochs.Book;
using DVV.ZkRisk.Epochs.Submissions;

namespace DVV.ZkRisk.Epochs.Tests;

public class BookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly IBandGrid Grid = BandGrids.For(Parameters.Default(100_000, T0));

    private static byte[] Json(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Default_grid_has_32_bands_in_bucket_major_order()
    {
        Assert.Equal(32, Grid.BandCount);
        Assert.Equal(0, Grid.BandOf(50_000, 0.5));                       // DTE < 1, deep tail
        Assert.Equal(4, Grid.BandOf(100_000, 0.5));                      // ln(K/F) = 0 -> band [0, 0.05)
        Assert.Equal(3, Grid.BandOf(99_000, 0.5));                       // ln = -0.01 -> [-0.05, 0)
        Assert.Equal(8 + 7, Grid.BandOf(200_000, 1));                    // DTE = 1 is bucket 1; upper tail
        Assert.Equal(16 + 5, Grid.BandOf(100_000 * Math.Exp(0.07), 7));  // [0.05, 0.10) in bucket 2
        Assert.Equal(24, Grid.BandOf(10_000, 400));                      // DTE >= 30, lower tail
        Assert.Equal("[30d,inf) k[-inf,-0.15)", Grid.Describe(24));   // the risk engine's label
    }

    [Fact]
    public void Exposures_net_per_instrument_then_sum_short_and_long_per_band_like_the_risk_engine()
    {
        var book = PositionBook.Parse(Json("""
            {"collateral_usd":"1000.5","positions":[
              {"type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","quantity":-1.25},
              {"type":"put","strike":100000,"expiry":"2026-01-01T20:00:00Z","quantity":-0.0001,"settlement":"inverse"},
              {"type":"call","strike":100000,"expiry":"2026-01-01T20:00:00Z","quantity":3},
              {"instrument":"perpetual","quantity":-7},
              {"type":"put","strike":80000,"expiry":"2026-03-01T08:00:00Z","quantity":2}]}
            """));
        Assert.Equal(1000.5m, book.CollateralUsd);
        var e = book.Exposures(Grid, T0);
        Assert.Equal(1UL, e.Short[4]);                 // the inverse put
        Assert.Equal(17_500UL, e.Long[4]);             // -1.25 and +3 of the same call net to +1.75
        Assert.Equal(20_000UL, e.Long[24]);
        Assert.Equal(1UL, e.Short.Aggregate(0UL, (a, b) => a + b));
        // band for band what the risk engine computes for the same book
        var p = Parameters.Default(100_000, T0);
        var riskBook = DVV.ZkRisk.Epochs.RiskBinding.RiskBridge.ToRiskBook(book, "x");
        var ctx = DVV.ZkRisk.Risk.MarginContext.ForBooks(DVV.ZkRisk.Epochs.RiskBinding.RiskBridge.RiskParameters(p), DVV.ZkRisk.Epochs.RiskBinding.RiskBridge.Market(p), [riskBook]);
        var re = ctx.ExposureOf(ctx.Resolve(riskBook));
        Assert.Equal(re.Short, e.Short);
        Assert.Equal(re.Long, e.Long);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{", "$")]
    [InlineData("{\"positions\":{}}", "positions")]
    [InlineData("{\"positions\":[{\"type\":\"call\",\"strike\":1,\"expiry\":\"2026-02-01T00:00:00Z\"}]}", "positions[0].quantity")]
    [InlineData("{\"positions\":[{\"type\":\"swap\",\"strike\":1,\"expiry\":\"2026-02-01T00:00:00Z\",\"quantity\":1}]}", "positions[0].type")]
    [InlineData("{\"positions\":[{\"type\":\"call\",\"strike\":-5,\"expiry\":\"2026-02-01T00:00:00Z\",\"quantity\":1}]}", "positions[0].strike")]
    [InlineData("{\"positions\":[{\"type\":\"call\",\"strike\":5,\"expiry\":\"soon\",\"quantity\":1}]}", "positions[0].expiry")]
    [InlineData("{\"positions\":[{\"instrument\":\"perpetual\",\"quantity\":1},{\"type\":\"call\",\"strike\":5,\"expiry\":\"2026-02-01T00:00:00Z\",\"quantity\":1.00001}]}", "positions[1].quantity")]
    [InlineData("{\"collateral_usd\":\"-1\",\"positions\":[]}", "collateral_usd")]
    [InlineData("{\"positions\":[{\"instrument\":\"future\",\"quantity\":1}]}", "positions[0].instrument")]
    public void Bad_books_name_the_field(string json, string field)
    {
        var e = Assert.Throws<BookFormatException>(() => PositionBook.Parse(Json(json)).Exposures(Grid, T0));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Expired_options_are_refused_with_their_index()
    {
        var book = PositionBook.Parse(Json("{\"positions\":[{\"instrument\":\"perpetual\",\"quantity\":1},{\"type\":\"call\",\"strike\":5,\"expiry\":\"2025-12-01T00:00:00Z\",\"quantity\":1}]}"));
        var e = Assert.Throws<BookFormatException>(() => book.Exposures(Grid, T0));
        Assert.Equal("positions[1].expiry", e.Field);
    }

    [Fact]
    public void Sample_books_cover_every_band_when_asked()
    {
        var book = PositionBook.Parse(SampleBooks.Generate(new Random(1), 100_000, T0, 32, coverAllBands: true));
        var e = book.Exposures(Grid, T0);
        Assert.All(Enumerable.Range(0, 32), b => Assert.True(e.Short[b] + e.Long[b] > 0, $"band {b} empty"));
    }
}
