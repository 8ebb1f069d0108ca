namespace DVV.ZkRisk.Risk.Tests;

public class ImpliedVolSolverTests
{
    /// <summary>
    /// Round trip sigma -> price -> sigma for strikes 0.2F..5F, expiries 1 day..2 years, vols 10%..300%,
    /// calls and puts. A combination is skipped only when the price carries no volatility
    /// information in double precision (its out-of-the-money part underflows or is below 10^-8 of
    /// the price); the solver must then refuse it rather than return noise, and the test checks that
    /// most of the grid is exercised.
    /// </summary>
    [Fact]
    public void RoundTripsAcrossStrikesExpiriesAndVols()
    {
        double f = 65_000, r = 0.03;
        double[] strikes = { 0.2, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0, 1.05, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0 };
        double[] days = { 1, 2, 7, 30, 91, 182, 365, 730 };
        double[] vols = { 0.1, 0.3, 0.6, 1.0, 1.5, 3.0 };
        int tested = 0, refused = 0, total = 0;
        double worst = 0;
        foreach (double kf in strikes)
        foreach (double d in days)
        foreach (double vol in vols)
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            total++;
            double k = kf * f, t = d / 365.0;
            double price = Black76.Price(type, f, k, vol, t, r);
            double otm = Math.Min(Black76.Price(OptionType.Call, f, k, vol, t, r), Black76.Price(OptionType.Put, f, k, vol, t, r));
            bool resolvable = otm > 1e-290 && otm > 1e-8 * price;
            bool ok = ImpliedVolSolver.TrySolve(type, price, f, k, t, out double iv, out string? err, r);
            if (resolvable)
            {
                Assert.True(ok, $"K={kf}F T={d}d vol={vol} {type}: {err}");
                double rel = Math.Abs(iv - vol) / vol;
                worst = Math.Max(worst, rel);
                Assert.True(rel < 1e-7, $"K={kf}F T={d}d vol={vol} {type}: got {iv:R}");
                tested++;
            }
            else if (!ok)
            {
                Assert.False(string.IsNullOrWhiteSpace(err));
                refused++;
            }
            else
            {
                // Borderline: accepted although our resolvability rule says it might not be; must still be close.
                Assert.True(Math.Abs(iv - vol) / vol < 1e-3, $"K={kf}F T={d}d vol={vol} {type}: got {iv:R}");
                tested++;
            }
        }
        Assert.True(tested > 0.75 * total, $"only {tested} of {total} combinations were resolvable");
    }

    [Theory]
    [InlineData(0.2, 1.0)]
    [InlineData(5.0, 1.0)]
    [InlineData(0.5, 0.2)]
    [InlineData(2.0, 0.1)]
    public void DeepWingsShortExpiriesConverge(double kf, double days)
    {
        // Far OTM and short-dated: tiny prices where a naive Newton on price stalls.
        double f = 65_000, t = days / 365.0, vol = 2.5;
        var type = kf < 1 ? OptionType.Put : OptionType.Call;
        double price = Black76.Price(type, f, f * kf, vol, t);
        Assert.True(price > 0);
        Assert.Equal(vol, ImpliedVolSolver.Solve(type, price, f, f * kf, t), 8);
    }

    [Fact]
    public void InverseConventionRoundTrips()
    {
        double f = 65_000;
        foreach (double kf in new[] { 0.5, 0.9, 1.0, 1.1, 2.0 })
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            double coin = Black76.Price(type, f, kf * f, 0.7, 0.1, 0.0, SettlementConvention.Inverse);
            Assert.Equal(0.7, ImpliedVolSolver.Solve(type, coin, f, kf * f, 0.1, 0.0, SettlementConvention.Inverse), 9);
        }
    }

    [Theory]
    [InlineData(OptionType.Call, 4.0)]          // below intrinsic (F - K = 10)
    [InlineData(OptionType.Call, 10.0)]         // exactly intrinsic
    [InlineData(OptionType.Call, 100.0)]        // at the upper bound F
    [InlineData(OptionType.Put, 90.0)]          // at the upper bound K
    [InlineData(OptionType.Put, -1.0)]          // negative
    [InlineData(OptionType.Put, double.NaN)]
    public void PricesWithoutAVolatilityAreRefused(OptionType type, double price)
    {
        var e = Assert.Throws<RiskInputException>(() => ImpliedVolSolver.Solve(type, price, 100, 90, 0.5));
        Assert.Contains("price", e.Message);
    }
}
