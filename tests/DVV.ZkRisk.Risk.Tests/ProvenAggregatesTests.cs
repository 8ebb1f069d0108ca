using System.Reflection;

namespace DVV.ZkRisk.Risk.Tests;

public class ProvenAggregatesTests
{
    private static readonly ParameterSet P = ParameterSet.Default;

    [Fact]
    public void CannotBeBuiltByAnEngineCaller()
    {
        var t = typeof(ProvenAggregates);
        Assert.Empty(t.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.DoesNotContain(t.GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.ReturnType == t);
        var factory = t.GetMethod("FromVerifiedTotals", BindingFlags.NonPublic | BindingFlags.Static);
        Assert.NotNull(factory);
        Assert.True(factory!.IsAssembly);      // internal
        Assert.True(t.IsSealed);
    }

    [Fact]
    public void DimensionsMustMatchTheParameterSet()
    {
        var e = Assert.Throws<RiskInputException>(() => ProvenAggregates.FromVerifiedTotals(1, P, new ulong[12, 31], new int[12, 31]));
        Assert.Contains("12 x 32", e.Message);
        Assert.Throws<RiskInputException>(() => ProvenAggregates.FromVerifiedTotals(1, P, new ulong[12, 32], new int[11, 32]));
        var lsv = new ulong[12, 32];
        lsv[0, 0] = 5;
        Assert.Throws<RiskInputException>(() => ProvenAggregates.FromVerifiedTotals(1, P, lsv, new int[12, 32]));  // value without contributor
    }

    [Fact]
    public void CarriesGridsAndParameterHash()
    {
        var lsv = new ulong[12, 32];
        var cnt = new int[12, 32];
        lsv[3, 7] = 123_456; cnt[3, 7] = 9;
        lsv[4, 8] = 999; cnt[4, 8] = 2;     // below k_min: withheld
        var a = ProvenAggregates.FromVerifiedTotals(42, P, lsv, cnt);
        Assert.Equal(42, a.Epoch);
        Assert.Equal(P.HashHex, a.RiskParameterHash);
        Assert.Equal(32, a.BandCount);
        Assert.Equal(12, a.ShockCount);
        Assert.Equal(123_456UL, a.Lsv(3, 7));
        Assert.True(a.IsPublished(3, 7));
        Assert.Equal(0UL, a.Lsv(4, 8));
        Assert.False(a.IsPublished(4, 8));
        Assert.Equal(2, a.Contributors(4, 8));
        Assert.True(a.IsPublished(0, 0));
    }

    [Fact]
    public void EngineRejectsAggregatesOfAnotherParameterSet()
    {
        var other = P with { Kappa = 3 };
        var agg = ProvenAggregates.FromVerifiedTotals(1, other, new ulong[12, 32], new int[12, 32]);
        var calc = new MarginCalculator(MarginContext.Create(P, Fixtures.Market(), Fixtures.Universe()));
        var e = Assert.Throws<RiskInputException>(() => calc.Cavb.Compute(agg, BandExposure.Zero(32).Short, LiquidationFlags.None(12)));
        Assert.Contains("parameter set", e.Message);
    }

    [Fact]
    public void AccumulatorSumsFlaggedShortExposureOnly()
    {
        var acc = new LsvAccumulator(P);
        var s1 = new ulong[32]; s1[5] = 10; s1[6] = 20;
        var s2 = new ulong[32]; s2[5] = 1;
        acc.Add(new LiquidationFlags(0b101, 12), s1);   // flagged under shocks 0 and 2
        acc.Add(new LiquidationFlags(0b001, 12), s2);   // flagged under shock 0
        acc.Add(LiquidationFlags.None(12), s1);          // never flagged: contributes nothing
        var t = acc.Totals();
        var c = acc.ContributorCounts();
        Assert.Equal(11UL, t[0, 5]); Assert.Equal(2, c[0, 5]);
        Assert.Equal(20UL, t[0, 6]); Assert.Equal(1, c[0, 6]);
        Assert.Equal(10UL, t[2, 5]); Assert.Equal(0UL, t[1, 5]);
        var over = new ulong[32]; over[0] = ulong.MaxValue;
        acc.Add(LiquidationFlags.All(12), over);
        Assert.Throws<OverflowException>(() => acc.Add(LiquidationFlags.All(12), over));
    }
}
