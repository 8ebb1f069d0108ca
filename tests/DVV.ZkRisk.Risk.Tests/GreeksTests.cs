namespace DVV.ZkRisk.Risk.Tests;

/// <summary>Every analytic Greek against a central finite difference of the price, both conventions.</summary>
public class GreeksTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        foreach (var conv in new[] { SettlementConvention.Linear, SettlementConvention.Inverse })
        foreach (var (f, k, vol, t) in new[] { (65_000.0, 60_000.0, 0.6, 0.25), (65_000.0, 80_000.0, 0.9, 0.04), (100.0, 100.0, 0.2, 1.5), (2.0, 1.5, 1.2, 0.5) })
            yield return new object[] { type, conv, f, k, vol, t };
    }

    private static double P(OptionType ty, SettlementConvention c, double f, double k, double v, double t, double r) =>
        Black76.Price(ty, f, k, v, t, r, c);

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGreeksMatchFiniteDifferences(OptionType type, SettlementConvention conv, double f, double k, double vol, double t)
    {
        const double r = 0.03;
        var g = Black76.Greeks(type, f, k, vol, t, r, conv);
        Assert.Equal(P(type, conv, f, k, vol, t, r), g.Price, 12);

        double hf = f * 1e-4, hv = 1e-4, ht = t * 1e-4;
        double up = P(type, conv, f + hf, k, vol, t, r), dn = P(type, conv, f - hf, k, vol, t, r), mid = g.Price;
        double delta = (up - dn) / (2 * hf);
        double gamma = (up - 2 * mid + dn) / (hf * hf);
        double vega = (P(type, conv, f, k, vol + hv, t, r) - P(type, conv, f, k, vol - hv, t, r)) / (2 * hv);
        double volga = (P(type, conv, f, k, vol + hv, t, r) - 2 * mid + P(type, conv, f, k, vol - hv, t, r)) / (hv * hv);
        double theta = -(P(type, conv, f, k, vol, t + ht, r) - P(type, conv, f, k, vol, t - ht, r)) / (2 * ht);
        double vanna = (P(type, conv, f + hf, k, vol + hv, t, r) - P(type, conv, f + hf, k, vol - hv, t, r)
                      - P(type, conv, f - hf, k, vol + hv, t, r) + P(type, conv, f - hf, k, vol - hv, t, r)) / (4 * hf * hv);

        AssertClose(delta, g.Delta, "delta");
        AssertClose(gamma, g.Gamma, "gamma", 1e-4);
        AssertClose(vega, g.Vega, "vega");
        AssertClose(volga, g.Volga, "volga", 1e-4);
        AssertClose(theta, g.Theta, "theta");
        AssertClose(vanna, g.Vanna, "vanna", 1e-4);
    }

    private static void AssertClose(double fd, double analytic, string what, double rel = 1e-6)
    {
        double scale = Math.Max(Math.Abs(fd), Math.Abs(analytic));
        double tol = rel * scale + 1e-10;
        Assert.True(Math.Abs(fd - analytic) <= tol, $"{what}: finite difference {fd:R} vs analytic {analytic:R}");
    }

    [Fact]
    public void DeltaParityAndGammaVegaEqualForCallAndPut()
    {
        double f = 65_000, k = 70_000, v = 0.55, t = 0.3, r = 0.02;
        var c = Black76.Greeks(OptionType.Call, f, k, v, t, r);
        var p = Black76.Greeks(OptionType.Put, f, k, v, t, r);
        Assert.Equal(Math.Exp(-r * t), c.Delta - p.Delta, 12);   // d(C - P)/dF = e^{-rT}
        Assert.Equal(c.Gamma, p.Gamma, 15);
        Assert.Equal(c.Vega, p.Vega, 9);
        Assert.Equal(c.Vanna, p.Vanna, 12);
        Assert.Equal(c.Volga, p.Volga, 6);
    }

    [Fact]
    public void InverseDeltaIsLinearDeltaMinusPriceOverForward()
    {
        // W = V/F  =>  F dW/dF = dV/dF - W: the coin delta Deribit reports is Delta_lin - W.
        double f = 65_000, k = 60_000, v = 0.6, t = 0.2;
        var lin = Black76.Greeks(OptionType.Put, f, k, v, t);
        var inv = Black76.Greeks(OptionType.Put, f, k, v, t, 0, SettlementConvention.Inverse);
        Assert.Equal(lin.Delta - inv.Price, f * inv.Delta, 12);
    }
}
