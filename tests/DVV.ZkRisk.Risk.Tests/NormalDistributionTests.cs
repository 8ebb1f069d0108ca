namespace DVV.ZkRisk.Risk.Tests;

public class NormalDistributionTests
{
    [Theory]
    // Reference values of Phi (well-known quantiles; tails computed with mpmath at 40 digits).
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-2.3263478740408408, 0.01)]
    [InlineData(3.0, 0.9986501019683699)]
    public void CdfMatchesReferenceValues(double x, double expected) =>
        Assert.Equal(expected, NormalDistribution.Cdf(x), 14);

    [Theory]
    [InlineData(-10.0, 7.6198530241605261e-24)]
    [InlineData(-20.0, 2.7536241186062337e-89)]
    [InlineData(-37.5, 4.6053530095819548e-308)]
    public void LowerTailKeepsRelativePrecision(double x, double expected) =>
        Assert.InRange(NormalDistribution.Cdf(x) / expected, 1 - 1e-9, 1 + 1e-9);

    [Fact]
    public void PdfIsDerivativeOfCdf()
    {
        for (double x = -6; x <= 6; x += 0.25)
        {
            double h = 1e-5;
            double fd = (NormalDistribution.Cdf(x + h) - NormalDistribution.Cdf(x - h)) / (2 * h);
            Assert.Equal(fd, NormalDistribution.Pdf(x), 9);
        }
    }
}
