namespace DVV.ZkRisk.Risk.Tests;

public class InitialMarginTests
{
    private static readonly ParameterSet P = ParameterSet.Default;
    private static readonly MarketSnapshot M = Fixtures.Market();
    private static readonly MarginContext Ctx = MarginContext.Create(P, M, Fixtures.Universe());
    private static readonly InitialMarginEngine Engine = new(Ctx);

    private static TraderRisk Im(PositionBook b) => Engine.Evaluate(Ctx.Resolve(b));

    [Fact]
    public void ScenarioGridIsTheDesignGrid()
    {
        var g = new ScenarioGrid(P);
        Assert.Equal(16, g.Count);
        var moves = g.Scenarios.Select(s => Math.Round(s.PriceMove / P.PriceScanRange, 6)).Distinct().OrderBy(x => x);
        Assert.Equal(new[] { -2, -1, -0.666667, -0.333333, 0, 0.333333, 0.666667, 1, 2 }, moves);
        Assert.Equal(14, g.Scenarios.Count(s => s.Weight == 1.0 && s.VolDirection != 0));
        Assert.All(g.Scenarios.Where(s => Math.Abs(s.PriceMove) > P.PriceScanRange * 1.5), s =>
        {
            Assert.Equal(0.35, s.Weight);
            Assert.Equal(0, s.VolDirection);
        });
    }

    [Fact]
    public void VolShockIsScaledPerExpiry()
    {
        var g = new ScenarioGrid(P);
        int up = 0, down = 1;
        Assert.Equal(1 + 0.45, g.VolMultiplier(up, 30), 12);
        Assert.Equal(1 - 0.30, g.VolMultiplier(down, 30), 12);
        Assert.Equal(1 + 0.45 * Math.Pow(30, 0.3), g.VolMultiplier(up, 1), 12);
        Assert.Equal(1 + 0.45 * Math.Pow(30, 0.3), g.VolMultiplier(up, 0.1), 12);     // DTE floored at 1 day
        Assert.Equal(1 + 0.45 * Math.Pow(0.25, 0.3), g.VolMultiplier(up, 120), 12);
        Assert.Equal(Math.Max(0.1, 1 - 0.3 * Math.Pow(30, 0.3)), g.VolMultiplier(down, 1), 12);
    }

    [Fact]
    public void RiskArraysAreFullRevaluation()
    {
        // Independent recomputation of two risk-array entries with the public Black76 and surface.
        var opt = Fixtures.Put(55_250, 45);
        var arr = Ctx.RiskArray(opt);
        double t = 45 / 365.0, f = M.Forward(t);
        double v0 = Black76.Price(OptionType.Put, f, opt.Strike, M.ImpliedVol(opt.Strike, t), t);
        Assert.Equal(v0, Ctx.ValueOf(opt), 9);
        var g = new ScenarioGrid(P);
        int j = 13; // -1 range, vol down (order: 0, +1/3, -1/3, +2/3, -2/3, +1, -1, each vol up then down)
        Assert.Equal(-1.0 * P.PriceScanRange, g[j].PriceMove, 12);
        double f1 = f * (1 + g[j].PriceMove);
        double vol1 = M.Surface.ImpliedVol(Math.Log(opt.Strike / f1), t) * g.VolMultiplier(j, 45);
        Assert.Equal(Black76.Price(OptionType.Put, f1, opt.Strike, vol1, t) - v0, arr[j], 8);
        // LSF shock 0 (-30%, vol +45%) then scenario 0 (0, vol up), relative to the shocked value.
        double fs = f * 0.7, vs = M.Surface.ImpliedVol(Math.Log(opt.Strike / fs), t) * 1.45;
        double vS = Black76.Price(OptionType.Put, fs, opt.Strike, vs, t);
        Assert.Equal(vS - v0, arr[16], 8);
        Assert.Equal(Black76.Price(OptionType.Put, fs, opt.Strike, vs * g.VolMultiplier(0, 45), t) - vS, arr[17], 8);
    }

    [Fact]
    public void FlatBookHasZeroMargin()
    {
        var r = Im(new PositionBook("flat", Array.Empty<Position>(), 1000));
        Assert.Equal(0, r.InitialMargin);
        Assert.Equal(0, r.MaintenanceMargin);
        Assert.Equal(1000, r.Equity);
        Assert.False(r.Flags.Any);
    }

    [Fact]
    public void LinearPerpetualMarginIsTheScanRange()
    {
        // Worst case of a long perp: -1 range (100% of 15%) beats -2 ranges at 35% (10.5%).
        var r = Im(Fixtures.Book("perp", 0, (Fixtures.Perp, 2)));
        Assert.Equal(2 * 0.15 * Fixtures.Spot, r.InitialMargin, 6);
        Assert.Equal(0.8 * r.InitialMargin, r.MaintenanceMargin, 9);
        var s = Im(Fixtures.Book("perp", 0, (Fixtures.Perp, -2)));
        Assert.Equal(r.InitialMargin, s.InitialMargin, 6);
    }

    [Fact]
    public void InversePerpetualMatchesLinearOfSameNotional()
    {
        // 6,500 contracts of 10 USD face = 65,000 USD = 1 coin at spot.
        var inv = Im(Fixtures.Book("i", 0, (new PerpetualFuture(SettlementConvention.Inverse, 10), 6_500)));
        var lin = Im(Fixtures.Book("l", 0, (Fixtures.Perp, 1)));
        Assert.Equal(lin.InitialMargin, inv.InitialMargin, 6);
    }

    [Fact]
    public void InverseOptionsMarginLikeLinearWithZeroCarry()
    {
        // With zero carry F = S, so an inverse contract's USD value V_coin S equals the linear price.
        var lin = Im(Fixtures.Book("l", 0, (Fixtures.Put(55_250, 45), -3), (Fixtures.Call(74_750, 21), 2)));
        var inv = Im(Fixtures.Book("i", 0, (Fixtures.Put(55_250, 45, SettlementConvention.Inverse), -3), (Fixtures.Call(74_750, 21, SettlementConvention.Inverse), 2)));
        Assert.Equal(lin.InitialMargin, inv.InitialMargin, 6);
    }

    [Fact]
    public void LongOptionMarginNeverExceedsPremium()
    {
        foreach (var ins in Fixtures.Universe().OfType<OptionContract>().Where((_, i) => i % 7 == 0))
        {
            var r = Im(Fixtures.Book("long", 0, (ins, 1)));
            Assert.True(r.InitialMargin <= Ctx.ValueOf(ins) + 1e-9, $"{ins.Id}: IM {r.InitialMargin} > premium {Ctx.ValueOf(ins)}");
            Assert.Equal(0, r.ShortOptionCharge);
        }
    }

    [Fact]
    public void ShortOptionMinimumApplies()
    {
        // Deep OTM short call, 2 days: scan risk tiny, IM dominated by the 0.5% x spot minimum.
        var r = Im(Fixtures.Book("s", 0, (Fixtures.Call(97_500, 2), -4)));
        Assert.Equal(0.005 * Fixtures.Spot * 4, r.ShortOptionCharge, 9);
        Assert.True(r.ShortOptionCharge > r.ScanRisk);
        Assert.Equal(r.ShortOptionCharge, r.InitialMargin, 9);   // SPAN: the larger of the two, not their sum
    }

    [Fact]
    public void ScanRiskAboveTheMinimumIsNotChargedTheMinimumOnTop()
    {
        // At-the-money short put, 21 days: the scan risk is far above 0.5% x spot per contract, so IM is the scan risk
        // alone (CME SPAN takes the greater of scan risk and short-option minimum; adding them charged every short twice).
        var r = Im(Fixtures.Book("s", 0, (Fixtures.Put(65_000, 21), -4)));
        Assert.True(r.ScanRisk > r.ShortOptionCharge && r.ShortOptionCharge > 0);
        Assert.Equal(r.ScanRisk, r.InitialMargin, 9);
        Assert.Equal(0.8 * r.ScanRisk, r.MaintenanceMargin, 9);
        // the shocked requirement used by the flags follows the same rule: an unhedged short is flagged under the crash
        var rep = Engine.Report(Ctx.Resolve(Fixtures.Book("s", 0, (Fixtures.Put(65_000, 21), -4))));
        Assert.All(rep.Shocks, l => Assert.True(l.InitialMarginAfter >= 0.005 * Fixtures.Spot * (1 + l.Shock.SpotShock) * 4 - 1e-6));
    }

    [Fact]
    public void AV1ParameterSetKeepsTheSumRule()
    {
        var v1 = P with { InitialMarginRule = InitialMarginRules.Sum };
        var ctx = MarginContext.Create(v1, M, Fixtures.Universe());
        var book = Fixtures.Book("s", 0, (Fixtures.Put(65_000, 21), -4));
        var r = new InitialMarginEngine(ctx).Evaluate(ctx.Resolve(book));
        Assert.Equal(r.ScanRisk + r.ShortOptionCharge, r.InitialMargin, 9);
        Assert.True(r.InitialMargin > Im(book).InitialMargin);
    }

    [Fact]
    public void MarginIsPositivelyHomogeneousAndSubadditive()
    {
        var a = Fixtures.Book("a", 0, (Fixtures.Put(55_250, 45), -3), (Fixtures.Call(74_750, 21), -2));
        var b = Fixtures.Book("b", 0, (Fixtures.Call(68_250, 45), -1), (Fixtures.Perp, 0.5), (Fixtures.Put(61_750, 10), 4));
        var ra = Im(a); var rb = Im(b);
        Assert.Equal(3 * ra.InitialMargin, Im(a.Scale(3)).InitialMargin, 6);
        var ab = Im(PositionBook.Merge("ab", new[] { a, b }));
        Assert.True(ab.InitialMargin <= ra.InitialMargin + rb.InitialMargin + 1e-6);
    }

    [Fact]
    public void DeltaHedgeLowersMargin()
    {
        var call = Fixtures.Call(65_000, 45);
        double delta = Black76.Greeks(OptionType.Call, M.Forward(45 / 365.0), 65_000, M.ImpliedVol(65_000, 45 / 365.0), 45 / 365.0).Delta;
        var naked = Im(Fixtures.Book("n", 0, (call, -10)));
        var hedged = Im(Fixtures.Book("h", 0, (call, -10), (Fixtures.Perp, Math.Round(10 * delta, 4))));
        Assert.True(hedged.InitialMargin < 0.6 * naked.InitialMargin, $"hedged {hedged.InitialMargin} vs naked {naked.InitialMargin}");
    }

    [Fact]
    public void ShortStraddleWorstCaseIsALargeMove()
    {
        var r = Im(Fixtures.Book("s", 0, (Fixtures.Call(65_000, 21), -1), (Fixtures.Put(65_000, 21), -1)));
        var g = new ScenarioGrid(P);
        Assert.True(Math.Abs(g[r.WorstScenario].PriceMove) >= P.PriceScanRange - 1e-12);
    }

    [Fact]
    public void ReportMatchesEvaluate()
    {
        var book = Fixtures.Book("a", 20_000, (Fixtures.Put(55_250, 45), -3), (Fixtures.Call(74_750, 21), -2));
        var rb = Ctx.Resolve(book);
        var rep = Engine.Report(rb);
        var r = Engine.Evaluate(rb);
        Assert.Equal(r, rep.Risk);
        Assert.Equal(16, rep.Scenarios.Count);
        Assert.Equal(12, rep.Shocks.Count);
        Assert.Equal(r.ScanRisk, Math.Max(0, rep.Scenarios.Max(s => s.WeightedLoss)), 9);
        for (int s = 0; s < 12; s++) Assert.Equal(rep.Shocks[s].EquityAfter < rep.Shocks[s].MaintenanceMarginAfter, r.Flags[s]);
    }

    [Fact]
    public void UnknownInstrumentOrExpiredOptionIsABookError()
    {
        var stranger = Fixtures.Book("x", 0, (Fixtures.Call(12_345, 45), -1));
        var e = Assert.Throws<RiskInputException>(() => Ctx.Resolve(stranger));
        Assert.Contains("not in this epoch's universe", e.Message);
        var expired = Fixtures.Book("y", 0, (Fixtures.Call(65_000, -2), -1));
        Assert.Throws<RiskInputException>(() => MarginContext.ForBooks(P, M, new[] { expired }));
    }

    [Fact]
    public void EvaluateAllocatesNothing()
    {
        var book = Ctx.Resolve(Fixtures.Book("a", 20_000, (Fixtures.Put(55_250, 45), -3), (Fixtures.Call(74_750, 21), -2), (Fixtures.Perp, 1)));
        Engine.Evaluate(book);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sink = 0;
        for (int i = 0; i < 1000; i++) sink += Engine.Evaluate(book).InitialMargin;
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(sink > 0);
        Assert.Equal(0, after - before);
    }
}
