using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DVV.ZkRisk.Vaults;

namespace DVV.ZkRisk.Benchmarks.Vaults;

/// <summary>Issue 14's performance goal: a 1,000-block crash run with 20 hedged vaults and 1,000 traders, aggregates in the
/// clear (no proofs), one regime per run on one core (the CLI runs regimes and seeds in parallel).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private SimulationConfig _cfg = null!;
    private ExogenousPath _path = null!;

    [Params(MarginRegime.ImOnly, MarginRegime.ImPlusCavb, MarginRegime.ImPlusLinearOi)]
    public MarginRegime Regime { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cfg = SimulationConfig.Headline with { Vaults = 20, Traders = 1_000 };
        _path = new ExogenousPath(_cfg);
    }

    [Benchmark(Description = "1,000 blocks, 20 vaults, 1,000 traders")]
    public RegimeHeadline Run() => new Simulation(_cfg, Regime, path: _path).Run().Headline;
}
