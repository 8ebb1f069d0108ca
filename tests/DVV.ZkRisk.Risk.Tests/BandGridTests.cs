namespace DVV.ZkRisk.Risk.Tests;

public class BandGridTests
{
    private static readonly BandGrid Grid = new(ParameterSet.Default);

    [Fact]
    public void DefaultGridHas32Bands()
    {
        Assert.Equal(4, Grid.BucketCount);
        Assert.Equal(8, Grid.BandsPerBucket);
        Assert.Equal(32, Grid.Count);
    }

    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(0.999, 0)]
    [InlineData(1.0, 1)]          // edges are closed on the left: exactly 1 day is bucket 1
    [InlineData(6.99, 1)]
    [InlineData(7.0, 2)]
    [InlineData(29.9, 2)]
    [InlineData(30.0, 3)]
    [InlineData(400, 3)]
    public void ExpiryBuckets(double days, int bucket) => Assert.Equal(bucket, Grid.BucketOf(days));

    [Theory]
    [InlineData(-5.0, 0)]         // open lower tail
    [InlineData(-0.1500001, 0)]
    [InlineData(-0.15, 1)]        // k = -3w is the lower edge of band 1
    [InlineData(-0.05, 3)]
    [InlineData(-0.0001, 3)]
    [InlineData(0.0, 4)]          // at the money: band [0, w)
    [InlineData(0.0499, 4)]
    [InlineData(0.05, 5)]
    [InlineData(0.1499, 6)]
    [InlineData(0.15, 7)]
    [InlineData(3.0, 7)]          // open upper tail
    public void MoneynessBands(double k, int band) => Assert.Equal(band, Grid.MoneynessBandOf(k));

    [Fact]
    public void OptionMappingUsesTheForwardOfItsExpiry()
    {
        // With a 20% carry, a strike equal to spot is below the 60-day forward: k = ln(S/F) = -0.2*60/365 = -0.033.
        var m = Fixtures.Market(carry: 0.2);
        var option = Fixtures.Call(Fixtures.Spot, 60);
        Assert.Equal(3 * 8 + 3, Grid.BandOf(option, m));
        var atForward = Fixtures.Call(m.Forward(60 / 365.0) * 1.0000001, 60);
        Assert.Equal(3 * 8 + 4, Grid.BandOf(atForward, m));
        Assert.Equal(3 * 8 + 4, Grid.BandOf(Fixtures.Put(Fixtures.Spot, 60), Fixtures.Market()));
    }

    [Fact]
    public void ExpiredOptionsHaveNoBand()
    {
        var e = Assert.Throws<RiskInputException>(() => Grid.BandOf(Fixtures.Call(60_000, -1), Fixtures.Market()));
        Assert.Contains("expired", e.Message);
    }

    [Fact]
    public void RepresentativeOptionsSitInTheirBands()
    {
        for (int j = 0; j < Grid.BandsPerBucket; j++)
            Assert.Equal(j, Grid.MoneynessBandOf(Grid.RepresentativeK(j)));
        for (int i = 0; i < Grid.BucketCount; i++)
            Assert.Equal(i, Grid.BucketOf(Grid.RepresentativeDays(i)));
        Assert.Equal("[7d,30d) k[0,0.05)", Grid.Label(2 * 8 + 4));
        Assert.Equal("[30d,inf) k[-inf,-0.15)", Grid.Label(3 * 8));
    }

    [Fact]
    public void OtherGridShapesFromParameters()
    {
        var g = new BandGrid(ParameterSet.Default with { ExpiryBucketEdgesDays = [7], BandRepresentativeDays = [3, 45], BandCount = 3, BandWidth = 0.1 });
        Assert.Equal(6, g.Count);
        Assert.Equal(0, g.MoneynessBandOf(-0.0500001));
        Assert.Equal(1, g.MoneynessBandOf(-0.05));     // odd count: the centre band straddles the forward
        Assert.Equal(1, g.MoneynessBandOf(0.0499));
        Assert.Equal(2, g.MoneynessBandOf(0.05));
    }

    [Fact]
    public void BookExposureCountsShortsAndLongsPerBandInE4Units()
    {
        var m = Fixtures.Market();
        var c1 = Fixtures.Call(70_000, 45);    // k = ln(70/65) = 0.074 -> band 5 of bucket 3
        var c2 = Fixtures.Call(72_000, 45);    // k = 0.102 -> band 6
        var p1 = Fixtures.Put(60_000, 10);     // k = -0.080 -> band 2 of bucket 2
        var book = new PositionBook("a", new[]
        {
            Position.Of(c1, -2.5), Position.Of(c1, 0.5),       // nets to -2 on the instrument
            Position.Of(c2, 1.25),
            Position.Of(p1, -0.0001),
            Position.Of(Fixtures.Perp, 3),                     // perpetuals have no band
        }, 1e6);
        var ctx = MarginContext.ForBooks(ParameterSet.Default, m, new[] { book });
        var e = ctx.ExposureOf(ctx.Resolve(book));
        Assert.Equal(20_000UL, e.Short[3 * 8 + 5]);
        Assert.Equal(0UL, e.Long[3 * 8 + 5]);
        Assert.Equal(12_500UL, e.Long[3 * 8 + 6]);
        Assert.Equal(1UL, e.Short[2 * 8 + 2]);
        Assert.Equal(20_001UL, e.Short.Aggregate(0UL, (x, y) => x + y));
        Assert.Equal(12_500UL, e.Long.Aggregate(0UL, (x, y) => x + y));
    }

    [Fact]
    public void SizesMustBeWholeTenThousandths()
    {
        Assert.Equal(12_345L, Quantity.FromContracts(1.2345));
        Assert.Equal(-1L, Quantity.FromContracts(-0.0001));
        Assert.Throws<RiskInputException>(() => Quantity.FromContracts(0.00005));
        Assert.Throws<RiskInputException>(() => Quantity.FromContracts(double.NaN));
        Assert.Throws<RiskInputException>(() => Quantity.FromContracts(1e12));
        // exact, not within a relative tolerance: a large size with a fifth decimal is refused, binary noise is not
        Assert.Throws<RiskInputException>(() => Quantity.FromContracts(12.00001));
        Assert.Throws<RiskInputException>(() => Quantity.FromContracts(123_456_789.00001));
        Assert.Equal(3_000L, Quantity.FromContracts(0.1 + 0.2));
        Assert.Equal(1_234_567_890_001L, Quantity.FromContracts(123_456_789.0001));
    }
}
