namespace DVV.ZkRisk.Risk.Tests;

public class SviTests
{
    [Fact]
    public void DerivativesMatchFiniteDifferences()
    {
        var s = new SviSlice(0.5, 0.04, 0.4, -0.4, 0.05, 0.2);
        for (double k = -1; k <= 1; k += 0.1)
        {
            double h = 1e-5;
            Assert.Equal((s.TotalVariance(k + h) - s.TotalVariance(k - h)) / (2 * h), s.FirstDerivative(k), 8);
            Assert.Equal((s.FirstDerivative(k + h) - s.FirstDerivative(k - h)) / (2 * h), s.SecondDerivative(k), 6);
        }
    }

    [Fact]
    public void DurrlemanMatchesDensityOfCallPrices()
    {
        // g(k) is, up to a positive factor, d2C/dK2 (the risk-neutral density). Check its sign and
        // shape against a finite-difference second derivative of undiscounted Black call prices.
        var s = new SviSlice(1.0, -0.0410, 0.1331, 0.3060, 0.3586, 0.4153);   // Vogt's example, see below
        for (double k = -1.0; k <= 2.0; k += 0.05)
        {
            double K = Math.Exp(k), h = 1e-3 * K;
            double C(double x) => Black76.Price(OptionType.Call, 1.0, x, s.ImpliedVol(Math.Log(x)), 1.0);
            double density = (C(K + h) - 2 * C(K) + C(K - h)) / (h * h);
            double g = s.Durrleman(k);
            if (Math.Abs(g) > 1e-3) Assert.Equal(Math.Sign(g), Math.Sign(density));
        }
    }

    [Fact]
    public void InvalidParametersAreRejected()
    {
        Assert.Throws<RiskInputException>(() => new SviSlice(1, 0.04, -0.1, 0, 0, 0.1));   // b < 0
        Assert.Throws<RiskInputException>(() => new SviSlice(1, 0.04, 0.1, 1.0, 0, 0.1));   // |rho| = 1
        Assert.Throws<RiskInputException>(() => new SviSlice(1, 0.04, 0.1, 0, 0, 0));       // sigma = 0
        Assert.Throws<RiskInputException>(() => new SviSlice(1, -0.5, 0.1, 0, 0, 0.1));     // negative variance
        Assert.Throws<RiskInputException>(() => new SviSlice(0, 0.04, 0.1, 0, 0, 0.1));     // T = 0
    }

    [Fact]
    public void CalibrationRecoversExactParametersFromCleanQuotes()
    {
        var truth = new SviSlice(0.5, 0.04, 0.4, -0.4, 0.05, 0.2);
        var k = Enumerable.Range(0, 41).Select(i => -0.8 + 0.04 * i).ToArray();
        var vols = k.Select(truth.ImpliedVol).ToArray();
        var fit = SviCalibrator.Calibrate(0.5, k, vols);
        Assert.Equal(truth.A, fit.Slice.A, 5);
        Assert.Equal(truth.B, fit.Slice.B, 5);
        Assert.Equal(truth.Rho, fit.Slice.Rho, 4);
        Assert.Equal(truth.M, fit.Slice.M, 4);
        Assert.Equal(truth.Sigma, fit.Slice.Sigma, 4);
        Assert.True(fit.RmseVol < 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CalibrationRecoversKnownParametersFromNoisyQuotes(int seed)
    {
        // 61 quotes, Black vols perturbed by Gaussian noise of 0.2 vol points.
        var truth = new SviSlice(0.25, 0.02, 0.25, -0.5, 0.03, 0.15);
        var rng = new Random(seed);
        var k = Enumerable.Range(0, 61).Select(i => -0.6 + 0.02 * i).ToArray();
        var vols = k.Select(x => truth.ImpliedVol(x) + 0.002 * Gaussian(rng)).ToArray();
        var fit = SviCalibrator.Calibrate(0.25, k, vols);
        var s = fit.Slice;
        Assert.InRange(s.A, truth.A - 0.01, truth.A + 0.01);
        Assert.InRange(s.B, truth.B - 0.04, truth.B + 0.04);
        Assert.InRange(s.Rho, truth.Rho - 0.08, truth.Rho + 0.08);
        Assert.InRange(s.M, truth.M - 0.04, truth.M + 0.04);
        Assert.InRange(s.Sigma, truth.Sigma - 0.05, truth.Sigma + 0.05);
        Assert.InRange(fit.RmseVol, 0.001, 0.003);              // at the noise level, not below (no overfit) nor above
        for (int i = 0; i < k.Length; i++)
            Assert.True(Math.Abs(s.ImpliedVol(k[i]) - truth.ImpliedVol(k[i])) < 0.004);
    }

    [Fact]
    public void CalibrationRejectsBadQuotes()
    {
        Assert.Throws<RiskInputException>(() => SviCalibrator.Calibrate(0.5, new double[] { 0, 0.1 }, new double[] { 0.5, 0.5 }));
        Assert.Throws<RiskInputException>(() => SviCalibrator.Calibrate(0.5, new double[] { -0.2, -0.1, 0, 0.1, 0.2 }, new double[] { 0.5, 0.5, -0.5, 0.5, 0.5 }));
        Assert.Throws<RiskInputException>(() => SviCalibrator.Calibrate(0.5, new double[] { -0.2, -0.1, 0, 0.1, 0.2 }, new double[] { 0.5, 0.5, 0.5 }));
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    // Axel Vogt's example (Gatheral and Jacquier 2014, section 5.1): a raw SVI slice at T = 1 with
    // butterfly arbitrage: (a, b, rho, m, sigma) = (-0.0410, 0.1331, 0.3060, 0.3586, 0.4153).
    [Fact]
    public void VogtSliceIsReportedAsButterflyArbitrage()
    {
        var surface = new VolSurface(new[] { new SviSlice(1.0, -0.0410, 0.1331, 0.3060, 0.3586, 0.4153) });
        var report = surface.CheckArbitrage();
        Assert.False(report.IsArbitrageFree);
        var v = Assert.Single(report.Butterfly);
        Assert.True(v.MinG < 0);
        Assert.InRange(v.KAtMin, 0.0, 1.5);          // the density goes negative on the right of the money
        Assert.Empty(report.Calendar);
        Assert.Contains("butterfly", report.ToString());
    }

    [Fact]
    public void CrossingSlicesAreReportedAsCalendarArbitrage()
    {
        // The later slice has lower total variance in the left wing: w(k, 0.5) < w(k, 0.25) for k << 0.
        var early = new SviSlice(0.25, 0.01, 0.3, -0.9, 0.0, 0.1);
        var late = new SviSlice(0.5, 0.04, 0.1, 0.5, 0.0, 0.1);
        var report = new VolSurface(new[] { early, late }).CheckArbitrage();
        Assert.False(report.IsArbitrageFree);
        var c = Assert.Single(report.Calendar);
        Assert.Equal(0.25, c.EarlierExpiryYears);
        Assert.Equal(0.5, c.LaterExpiryYears);
        Assert.Equal(report.KMin, c.KFrom, 9);           // violation runs in from the left edge ...
        Assert.True(c.KTo < 0);                           // ... and stops before the money
        Assert.True(early.TotalVariance(c.KAtMax) - late.TotalVariance(c.KAtMax) > 0);
        Assert.Contains("calendar", report.ToString());
    }

    [Fact]
    public void TestSurfaceIsArbitrageFree()
    {
        var report = Fixtures.Surface().CheckArbitrage(-2, 2, 0.01);
        Assert.True(report.IsArbitrageFree, report.ToString());
    }
}
