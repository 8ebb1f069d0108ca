namespace DVV.ZkRisk.Risk.Tests;

public class FileFormatTests
{
    [Fact]
    public void BookFileParsesOptionsPerpsConventionsAndDefaults()
    {
        var c = PositionBookFile.Parse(SampleFilesTests.BookJson);
        Assert.False(c.IsCluster);
        var b = Assert.Single(c.Accounts);
        Assert.Equal("alice", b.AccountId);
        Assert.Equal(140_000, b.CollateralUsd);
        Assert.Equal(0.5, b.CollateralCoin);
        Assert.Equal(5, b.Positions.Count);
        Assert.Contains(b.Positions, p => p.Instrument is OptionContract { Convention: SettlementConvention.Inverse, Strike: 61750 } && p.QuantityE4 == -65_000);
        Assert.Contains(b.Positions, p => p.Instrument is PerpetualFuture && p.QuantityE4 == 15_000);
    }

    [Fact]
    public void ClusterFileParsesMembers()
    {
        var c = PositionBookFile.Parse(SampleFilesTests.ClusterJson);
        Assert.True(c.IsCluster);
        Assert.Equal("alice-linked", c.Id);
        Assert.Equal(new[] { "alice-a", "alice-b" }, c.Accounts.Select(a => a.AccountId));
    }

    [Theory]
    [InlineData("""{"account":"x","positions":[{"instrument":"option","type":"cal","strike":5,"expiry":"2025-07-11T08:00:00Z","size":1}]}""", "positions[0].type")]
    [InlineData("""{"account":"x","positions":[{"instrument":"option","type":"call","strike":"5","expiry":"2025-07-11T08:00:00Z","size":1}]}""", "positions[0].strike")]
    [InlineData("""{"account":"x","positions":[{"instrument":"option","type":"call","strike":5,"expiry":"tomorrow","size":1}]}""", "positions[0].expiry")]
    [InlineData("""{"account":"x","positions":[{"instrument":"option","type":"call","strike":5,"expiry":"2025-07-11T08:00:00Z"}]}""", "positions[0].size")]
    [InlineData("""{"account":"x","positions":[{"instrument":"future","size":1}]}""", "positions[0].instrument")]
    [InlineData("""{"account":"x","positions":[{"instrument":"perpetual","size":1,"lots":3}]}""", "lots")]
    [InlineData("""{"account":"x","positions":[{"instrument":"perpetual","convention":"quanto","size":1}]}""", "convention")]
    [InlineData("""{"account":"","positions":[]}""", "account")]
    [InlineData("""{"positions":[]}""", "account")]
    [InlineData("""{"account":"x","positions":[],"collateralUsd":"lots"}""", "collateralUsd")]
    [InlineData("""{"cluster":"c","accounts":[]}""", "accounts")]
    [InlineData("""{"cluster":"c","accounts":[{"account":"a","positions":[]},{"account":"a","positions":[]}]}""", "twice")]
    [InlineData("""[]""", "object")]
    [InlineData("""{"account":"x","positions":[}""", "JSON")]
    public void BadBookFilesNameTheField(string json, string expected)
    {
        var e = Assert.Throws<RiskInputException>(() => PositionBookFile.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EpochStateRoundTripsThroughTheWriter()
    {
        var p = ParameterSet.Default;
        var lsv = new ulong[12, 32];
        var cnt = new int[12, 32];
        lsv[2, 9] = 77_000; cnt[2, 9] = 6;
        var m = Fixtures.Market(depthCoins: 321, fundUsd: 4.5e7);
        string json = EpochStateFile.Write(9, p, m, lsv, cnt);
        var st = EpochStateFile.Parse(json, p);
        Assert.Equal(9, st.Epoch);
        Assert.Equal(77_000UL, st.Aggregates.Lsv(2, 9));
        Assert.Equal(321, st.Market.DepthCoins);
        Assert.Equal(4.5e7, st.Market.ClearingFundUsd);
        Assert.Equal(m.Spot, st.Market.Spot);
        Assert.Equal(m.Surface.ImpliedVol(-0.1, 0.2), st.Market.Surface.ImpliedVol(-0.1, 0.2), 15);
    }

    [Theory]
    [InlineData("\"epoch\": 9", "\"epoch\": -1", "epoch")]
    [InlineData("\"spot\": 65000", "\"spot\": 0", "spot")]
    [InlineData("\"depthCoins\": 321", "\"depthCoins\": -3", "depth")]
    [InlineData("\"rho\": -0.3", "\"rho\": -1.3", "surface[0]")]
    [InlineData("\"lsv\": [", "\"lsv\": [[1],", "lsv")]
    [InlineData("\"asOf\"", "\"asof\"", "asof")]
    public void BadEpochStateFilesNameTheField(string from, string to, string expected)
    {
        string json = EpochStateFile.Write(9, ParameterSet.Default, Fixtures.Market(depthCoins: 321), new ulong[12, 32], new int[12, 32]);
        int at = json.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"fixture does not contain {from}");
        json = json[..at] + to + json[(at + from.Length)..];
        var e = Assert.Throws<RiskInputException>(() => EpochStateFile.Parse(json, ParameterSet.Default));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EpochStateUnderOtherParametersIsRejected()
    {
        string json = EpochStateFile.Write(9, ParameterSet.Default, Fixtures.Market(), new ulong[12, 32], new int[12, 32]);
        var e = Assert.Throws<RiskInputException>(() => EpochStateFile.Parse(json, ParameterSet.Default with { Alpha = 0.05 }));
        Assert.Contains("parameter set", e.Message);
    }
}
