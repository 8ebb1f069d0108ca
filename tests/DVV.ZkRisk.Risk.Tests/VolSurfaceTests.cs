namespace DVV.ZkRisk.Risk.Tests;

public class VolSurfaceTests
{
    [Fact]
    public void InterpolatesLinearlyInTotalVarianceBetweenSlices()
    {
        var s1 = Fixtures.Slice(0.1);
        var s2 = Fixtures.Slice(0.3, 0.5);
        var surf = new VolSurface(new[] { s2, s1 });  // order does not matter
        foreach (double k in new[] { -0.5, 0.0, 0.3 })
        {
            Assert.Equal(s1.TotalVariance(k), surf.TotalVariance(k, 0.1), 15);
            Assert.Equal(s2.TotalVariance(k), surf.TotalVariance(k, 0.3), 15);
            Assert.Equal(0.5 * (s1.TotalVariance(k) + s2.TotalVariance(k)), surf.TotalVariance(k, 0.2), 14);
            Assert.Equal(s1.ImpliedVol(k), surf.ImpliedVol(k, 0.05), 14);      // flat vol before the first slice
            Assert.Equal(s2.ImpliedVol(k), surf.ImpliedVol(k, 2.0), 14);       // and after the last
        }
    }

    [Fact]
    public void TotalVarianceIsIncreasingInTimeOnTheTestSurface()
    {
        var surf = Fixtures.Surface();
        for (double k = -1; k <= 1; k += 0.1)
        {
            double prev = 0;
            for (double t = 0.5 / 365; t < 2; t *= 1.3)
            {
                double w = surf.TotalVariance(k, t);
                Assert.True(w > prev, $"k={k} t={t}");
                prev = w;
            }
        }
    }

    [Fact]
    public void SkewMakesDownsidePutsDearer()
    {
        var surf = Fixtures.Surface();
        Assert.True(surf.ImpliedVol(-0.2, 0.1) > surf.ImpliedVol(0.2, 0.1));
    }

    [Fact]
    public void RejectsEmptyOrDuplicateSlices()
    {
        Assert.Throws<RiskInputException>(() => new VolSurface(Array.Empty<SviSlice>()));
        Assert.Throws<RiskInputException>(() => new VolSurface(new[] { Fixtures.Slice(0.1), Fixtures.Slice(0.1) }));
    }
}
