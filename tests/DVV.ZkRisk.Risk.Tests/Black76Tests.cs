namespace DVV.ZkRisk.Risk.Tests;

public class Black76Tests
{
    // Hull, "Options, Futures and Other Derivatives" (5th ed. pp. 287-288; MathWorks blkprice
    // reproduces it): European futures options, F = K = 20, r = 9%, sigma = 25%, T = 4 months:
    // call = put = 1.1166 (Hull quotes the put as 1.12).
    [Fact]
    public void HullFuturesOptionExample()
    {
        double put = Black76.Price(OptionType.Put, 20, 20, 0.25, 4.0 / 12, 0.09);
        double call = Black76.Price(OptionType.Call, 20, 20, 0.25, 4.0 / 12, 0.09);
        Assert.Equal(1.12, Math.Round(put, 2));
        Assert.Equal(1.1166, put, 4);
        Assert.Equal(1.1166, call, 4);
    }

    // Haug, "The Complete Guide to Option Pricing Formulas" (2nd ed.), Black-76 example:
    // F = K = 19, T = 0.75, r = 10%, sigma = 28%: call = put = 1.7011.
    [Fact]
    public void HaugBlack76Example()
    {
        Assert.Equal(1.7011, Black76.Price(OptionType.Call, 19, 19, 0.28, 0.75, 0.10), 4);
        Assert.Equal(1.7011, Black76.Price(OptionType.Put, 19, 19, 0.28, 0.75, 0.10), 4);
    }

    // Hull, European bond option with Black's model: 10-month call on a bond, forward bond price
    // 939.68, strike 1000, bond price vol 9%, 10-month rate 10%: price 9.49.
    [Fact]
    public void HullBondOptionExample() =>
        Assert.Equal(9.49, Math.Round(Black76.Price(OptionType.Call, 939.68, 1000, 0.09, 10.0 / 12, 0.10), 2));

    // Hull, caplet with Black's model (Example 28.3 in the 8th ed.): principal 10,000, cap rate 8%,
    // quarterly accrual starting in 1 year, forward rate 7%, vol 20%, zero rate 6.9394% (7% with
    // quarterly compounding) to the payment date 1.25 y: caplet = 5.162.
    [Fact]
    public void HullCapletExample()
    {
        double df = Math.Exp(-0.069394 * 1.25);
        double caplet = 0.25 * 10_000 * df * Black76.Price(OptionType.Call, 0.07, 0.08, 0.20, 1.0);
        Assert.Equal(5.162, Math.Round(caplet, 3));
    }

    public static IEnumerable<object[]> Grid()
    {
        foreach (double f in new[] { 0.5, 100.0, 65_000.0 })
        foreach (double kf in new[] { 0.3, 0.8, 1.0, 1.25, 3.0 })
        foreach (double vol in new[] { 0.05, 0.6, 2.0 })
        foreach (double t in new[] { 1 / 365.0, 0.25, 2.0 })
            yield return new object[] { f, f * kf, vol, t };
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void PutCallParityLinear(double f, double k, double vol, double t)
    {
        double r = 0.04;
        double c = Black76.Price(OptionType.Call, f, k, vol, t, r);
        double p = Black76.Price(OptionType.Put, f, k, vol, t, r);
        Assert.Equal(Math.Exp(-r * t) * (f - k), c - p, 9 - (int)Math.Log10(f));
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void PutCallParityInverse(double f, double k, double vol, double t)
    {
        double r = 0.04;
        double c = Black76.Price(OptionType.Call, f, k, vol, t, r, SettlementConvention.Inverse);
        double p = Black76.Price(OptionType.Put, f, k, vol, t, r, SettlementConvention.Inverse);
        // Coin-settled: C - P = e^{-rT} (1 - K/F).
        Assert.Equal(Math.Exp(-r * t) * (1 - k / f), c - p, 11);
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void InversePriceIsLinearPriceOverForward(double f, double k, double vol, double t)
    {
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            double lin = Black76.Price(type, f, k, vol, t, 0.01);
            double inv = Black76.Price(type, f, k, vol, t, 0.01, SettlementConvention.Inverse);
            Assert.Equal(lin / f, inv, 12);
        }
    }

    [Fact]
    public void InverseCallIsWorthLessThanOneCoin()
    {
        // (S - K)^+ / S < 1 coin whatever happens, so the price is below the discount factor.
        double c = Black76.Price(OptionType.Call, 65_000, 1, 3.0, 2.0, 0.05, SettlementConvention.Inverse);
        Assert.True(c < Math.Exp(-0.05 * 2.0));
        Assert.True(c > 0.99 * Math.Exp(-0.05 * 2.0));
    }

    [Fact]
    public void PriceBoundsAndLimits()
    {
        double f = 100, k = 90;
        // Tiny vol: intrinsic (discounted). Huge vol: call -> discounted forward, put -> discounted strike.
        Assert.Equal(10 * Math.Exp(-0.05), Black76.Price(OptionType.Call, f, k, 1e-6, 1, 0.05), 9);
        Assert.Equal(0.0, Black76.Price(OptionType.Put, f, k, 1e-6, 1, 0.05), 12);
        Assert.Equal(f, Black76.Price(OptionType.Call, f, k, 10, 100, 0), 6);
        Assert.Equal(k, Black76.Price(OptionType.Put, f, k, 10, 100, 0), 6);
        // Monotone in vol and in T.
        double prev = 0;
        for (double v = 0.05; v < 3; v += 0.05)
        {
            double c = Black76.Price(OptionType.Call, f, 120, v, 0.5);
            Assert.True(c > prev);
            prev = c;
        }
    }

    [Theory]
    [InlineData(-1, 100, 0.5, 1)]
    [InlineData(100, 0, 0.5, 1)]
    [InlineData(100, 100, -0.5, 1)]
    [InlineData(100, 100, 0.5, 0)]
    [InlineData(double.NaN, 100, 0.5, 1)]
    [InlineData(100, double.PositiveInfinity, 0.5, 1)]
    [InlineData(100, 100, 65, 1)]
    public void BadInputsAreRejectedWithAMessage(double f, double k, double vol, double t)
    {
        var e = Assert.Throws<RiskInputException>(() => Black76.Price(OptionType.Call, f, k, vol, t));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Throws<RiskInputException>(() => Black76.Greeks(OptionType.Put, f, k, vol, t));
    }
}
