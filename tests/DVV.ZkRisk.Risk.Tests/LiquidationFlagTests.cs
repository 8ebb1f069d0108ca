namespace DVV.ZkRisk.Risk.Tests;

public class LiquidationFlagTests
{
    private static readonly MarginContext Ctx = MarginContext.Create(ParameterSet.Default, Fixtures.Market(), Fixtures.Universe());
    private static readonly InitialMarginEngine Engine = new(Ctx);

    private static TraderRisk Risk(PositionBook b) => Engine.Evaluate(Ctx.Resolve(b));

    [Fact]
    public void WellCollateralisedBookIsNeverFlagged()
    {
        var r = Risk(Fixtures.Book("rich", 5_000_000, (Fixtures.Put(55_250, 45), -10)));
        Assert.False(r.Flags.Any);
        Assert.Equal("000000000000", r.Flags.ToString());
    }

    [Fact]
    public void ThinShortPutBookIsFlaggedOnCrashesOnly()
    {
        // Equity just above IM: liquidated when spot falls far enough, never when it rises.
        var put = Fixtures.Put(58_500, 21);
        var im = Risk(Fixtures.Book("thin", 0, (put, -10))).InitialMargin;
        // equity = collateral - 10 x premium = 1.05 IM
        var r = Risk(Fixtures.Book("thin", 1.05 * im + 10 * Ctx.ValueOf(put), (put, -10)));
        Assert.True(r.Equity > r.InitialMargin);
        var shocks = ParameterSet.Default.LsfSpotShocks;
        Assert.True(r.Flags[0], "liquidated at -30%");
        for (int s = 0; s < shocks.Length; s++)
            if (shocks[s] > 0) Assert.False(r.Flags[s], $"not liquidated at {shocks[s]:P0}");
        // Monotone: flagged at a shock means flagged at every larger crash.
        for (int s = 1; s < shocks.Length; s++)
            if (r.Flags[s]) Assert.True(r.Flags[s - 1]);
    }

    [Fact]
    public void FlagIsEquityPlusPnlBelowShockedMaintenanceMargin()
    {
        var book = Fixtures.Book("x", 80_000, (Fixtures.Put(58_500, 21), -5), (Fixtures.Call(71_500, 45), -3), (Fixtures.Perp, 0.7));
        var rep = Engine.Report(Ctx.Resolve(book));
        Assert.Contains(rep.Shocks, s => s.Liquidated);
        Assert.Contains(rep.Shocks, s => !s.Liquidated);
        foreach (var s in rep.Shocks)
        {
            Assert.Equal(rep.Risk.Equity + s.Pnl, s.EquityAfter, 6);
            Assert.Equal(0.8 * s.InitialMarginAfter, s.MaintenanceMarginAfter, 6);
            Assert.Equal(s.EquityAfter < s.MaintenanceMarginAfter, s.Liquidated);
        }
    }

    [Fact]
    public void NegativeEquityIsFlaggedEverywhere()
    {
        var r = Risk(Fixtures.Book("broke", -1, (Fixtures.Put(58_500, 21), -1)));
        Assert.Equal(LiquidationFlags.All(12), r.Flags);
    }

    [Fact]
    public void CoinCollateralLosesValueInACrash()
    {
        // Same USD value of collateral; held in coin it shrinks with spot, so liquidation comes sooner.
        // Sweep the collateral: coin-held collateral is flagged under every shock the USD one is,
        // and under strictly more shocks for some amounts.
        var put = Fixtures.Put(58_500, 21);
        bool strictlyMore = false;
        for (double usd = 10_000; usd <= 400_000; usd += 5_000)
        {
            var inUsd = Risk(new PositionBook("usd", new[] { Position.Of(put, -5) }, usd, 0));
            var inCoin = Risk(new PositionBook("coin", new[] { Position.Of(put, -5) }, 0, usd / Fixtures.Spot));
            Assert.Equal(inUsd.Equity, inCoin.Equity, 6);
            var downOnly = (1u << 6) - 1;   // the six crash shocks
            Assert.Equal(inUsd.Flags.Mask & downOnly, inUsd.Flags.Mask & inCoin.Flags.Mask & downOnly);
            if (inCoin.Flags.Count > inUsd.Flags.Count) strictlyMore = true;
        }
        Assert.True(strictlyMore);
    }
}
