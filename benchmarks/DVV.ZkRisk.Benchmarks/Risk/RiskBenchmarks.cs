using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Benchmarks.Risk;

/// <summary>
/// Margining a whole epoch and single books. Short runs (3 warm-ups, 7 measured iterations):
/// the machine's two cores are shared with other engineers' builds.
/// Run: dotnet run -c Release --project benchmarks/DVV.ZkRisk.Benchmarks -- --filter '*Risk*'
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 7)]
[MemoryDiagnoser]
[MedianColumn]
public class RiskMarginBenchmarks
{
    private MarketSnapshot _market = null!;
    private List<Instrument> _universe = null!;
    private MarginContext _ctx = null!;
    private MarginCalculator _calc = null!;
    private List<PositionBook> _traders = null!;
    private ResolvedBook[] _resolved = null!;
    private TraderRisk[] _risk = null!;
    private ulong[] _short = null!, _long = null!;
    private CavbResult[] _cavb = null!;
    private PositionBook _big = null!;
    private ResolvedBook _bigResolved = null!;
    private ProvenAggregates _aggregates = null!;
    private ulong[] _bigShort = null!, _bigLong = null!;

    public const int Traders = 10_000;

    [GlobalSetup]
    public void Setup()
    {
        _market = RiskPopulation.Market();
        _universe = RiskPopulation.Universe();
        _ctx = MarginContext.Create(ParameterSet.Default, _market, _universe);
        _calc = new MarginCalculator(_ctx);
        _traders = RiskPopulation.Traders(_ctx, Traders);
        _resolved = _traders.Select(_ctx.Resolve).ToArray();
        int bands = _ctx.Bands.Count;
        _risk = new TraderRisk[Traders];
        _short = new ulong[Traders * bands];
        _long = new ulong[Traders * bands];
        _cavb = new CavbResult[Traders];
        _aggregates = Epoch(1);   // also warms everything up once
        _big = RiskPopulation.BigBook(_ctx, 200);
        _bigResolved = _ctx.Resolve(_big);
        _bigShort = new ulong[bands];
        _bigLong = new ulong[bands];
        int flagged = _risk.Count(r => r.Flags.Any), charged = _cavb.Count(c => c.Cavb > 0);
        Console.WriteLine($"// population: {Traders} traders, {_resolved.Sum(b => b.PositionCount)} positions, {flagged} flagged under some shock, {charged} with CAVB > 0");
    }

    /// <summary>One epoch for every trader: IM + flags + band exposure, LSV sums, then CAVB.</summary>
    private ProvenAggregates Epoch(int dop)
    {
        _calc.EvaluateBatch(_resolved, _risk, _short, _long, dop);
        int bands = _ctx.Bands.Count;
        var acc = new LsvAccumulator(ParameterSet.Default);
        for (int i = 0; i < Traders; i++) acc.Add(_risk[i].Flags, _short.AsSpan(i * bands, bands));
        var agg = ProvenAggregates.FromVerifiedTotals(1, ParameterSet.Default, acc.Totals(), acc.ContributorCounts());
        _calc.CavbBatch(agg, _risk, _short, _cavb, dop);
        return agg;
    }

    [Benchmark(Description = "10k traders: IM+flags+exposure, LSV, CAVB (1 thread)")]
    public ProvenAggregates Epoch10k_OneThread() => Epoch(1);

    [Benchmark(Description = "10k traders: IM+flags+exposure, LSV, CAVB (2 threads)")]
    public ProvenAggregates Epoch10k_TwoThreads() => Epoch(2);

    [Benchmark(Description = "10k traders incl. risk arrays of 401 instruments (1 thread)")]
    public ProvenAggregates Epoch10k_WithContextBuild()
    {
        _ctx = MarginContext.Create(ParameterSet.Default, _market, _universe);
        _calc = new MarginCalculator(_ctx);
        _resolved = _traders.Select(_ctx.Resolve).ToArray();
        return Epoch(1);
    }

    [Benchmark(Description = "risk arrays of 401 instruments (context build)")]
    public MarginContext ContextBuild401() => MarginContext.Create(ParameterSet.Default, _market, _universe);

    [Benchmark(Description = "200-option book: IM+flags+exposure+CAVB, warm context")]
    public double Book200_Warm()
    {
        var r = _calc.InitialMargin.Evaluate(_bigResolved);
        Array.Clear(_bigShort); Array.Clear(_bigLong);
        _ctx.AccumulateExposure(_bigResolved, _bigShort, _bigLong);
        return r.InitialMargin + _calc.Cavb.Compute(_aggregates, _bigShort, r.Flags).Cavb;
    }

    [Benchmark(Description = "200-option book: full notice incl. pricing its 201 risk arrays")]
    public MarginNotice Book200_Cold()
    {
        var ctx = MarginContext.ForBooks(ParameterSet.Default, _market, new[] { _big });
        var agg = ProvenAggregates.FromVerifiedTotals(1, ParameterSet.Default, new ulong[12, 32], new int[12, 32]);
        return new MarginCalculator(ctx).Margin(_big, agg);
    }
}
