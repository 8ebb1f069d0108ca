namespace DVV.ZkRisk.Risk.Tests;

public class HistoricalVarTests
{
    private static readonly MarginContext Ctx = MarginContext.Create(ParameterSet.Default, Fixtures.Market(), Fixtures.Universe());

    private static IReadOnlyList<HistoricalScenario> History(int n, int seed = 3)
    {
        // A fat-tailed daily history: 4% daily vol, occasional crashes, vol up when spot falls.
        var rng = new Random(seed);
        var list = new List<HistoricalScenario>();
        for (int i = 0; i < n; i++)
        {
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double r = 0.04 * z * (rng.NextDouble() < 0.05 ? 3 : 1);
            list.Add(new HistoricalScenario(Math.Max(r, -0.5), Math.Max(-0.5, -1.5 * r + 0.02 * z)));
        }
        return list;
    }

    [Fact]
    public void LinearPerpVarIsTheReturnQuantile()
    {
        var h = History(250);
        var engine = new HistoricalVarEngine(Ctx, h, 0.99);
        Assert.Equal(3, engine.Tail);                       // ceil(0.01 x 250)
        var r = engine.Compute(Ctx.Resolve(Fixtures.Book("p", 0, (Fixtures.Perp, 2))));
        var losses = h.Select(x => -2 * Fixtures.Spot * x.SpotReturn).OrderByDescending(x => x).ToArray();
        Assert.Equal(losses[2], r.ValueAtRisk, 6);
        Assert.Equal(losses.Take(3).Average(), r.ExpectedShortfall, 6);
        Assert.Equal(250, r.Scenarios);
    }

    [Fact]
    public void VarPropertiesHold()
    {
        var h = History(500);
        var book = Fixtures.Book("b", 0, (Fixtures.Put(55_250, 45), -3), (Fixtures.Call(74_750, 21), -2), (Fixtures.Perp, 0.4));
        var rb = Ctx.Resolve(book);
        var v99 = new HistoricalVarEngine(Ctx, h, 0.99).Compute(rb);
        var v95 = new HistoricalVarEngine(Ctx, h, 0.95).Compute(rb);
        Assert.True(v99.ValueAtRisk >= v95.ValueAtRisk);
        Assert.True(v99.ExpectedShortfall >= v99.ValueAtRisk);
        Assert.Equal(2 * v99.ValueAtRisk, new HistoricalVarEngine(Ctx, h).Compute(Ctx.Resolve(book.Scale(2))).ValueAtRisk, 6);
        Assert.Equal(0, new HistoricalVarEngine(Ctx, h).Compute(Ctx.Resolve(new PositionBook("flat", Array.Empty<Position>()))).ValueAtRisk);
        // A short option book loses most on the worst crash day.
        Assert.True(h[v99.WorstScenario].SpotReturn < 0);
    }

    [Fact]
    public void ScenariosFromSeries()
    {
        var s = HistoricalScenario.FromSeries(new[] { 100.0, 110, 99 }, new[] { 0.5, 0.4, 0.6 });
        Assert.Equal(2, s.Count);
        Assert.Equal(0.1, s[0].SpotReturn, 12);
        Assert.Equal(-0.2, s[0].VolChange, 12);
        Assert.Equal(-0.1, s[1].SpotReturn, 12);
        Assert.Equal(0.5, s[1].VolChange, 12);
        Assert.Throws<RiskInputException>(() => HistoricalScenario.FromSeries(new[] { 100.0, 0 }, new[] { 0.5, 0.5 }));
        Assert.Throws<RiskInputException>(() => HistoricalScenario.FromSeries(new[] { 100.0 }, new[] { 0.5 }));
        Assert.Throws<RiskInputException>(() => new HistoricalVarEngine(Ctx, s, 1.0));
    }
}
