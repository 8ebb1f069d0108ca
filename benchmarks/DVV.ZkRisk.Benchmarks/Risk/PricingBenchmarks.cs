using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Benchmarks.Risk;

/// <summary>Single-option pricing primitives.</summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 7)]
[MemoryDiagnoser]
[MedianColumn]
public class RiskPricingBenchmarks
{
    private double[] _k = null!, _vols = null!;
    private double _price;

    [GlobalSetup]
    public void Setup()
    {
        var truth = new SviSlice(0.25, 0.02, 0.25, -0.5, 0.03, 0.15);
        var rng = new Random(1);
        _k = Enumerable.Range(0, 61).Select(i => -0.6 + 0.02 * i).ToArray();
        _vols = _k.Select(x => truth.ImpliedVol(x) + 0.002 * (rng.NextDouble() - 0.5)).ToArray();
        _price = Black76.Price(OptionType.Put, 65_000, 52_000, 0.8, 0.05);
    }

    [Benchmark(Description = "Black-76 price")]
    public double Price() => Black76.Price(OptionType.Put, 65_000, 60_000, 0.6, 0.1);

    [Benchmark(Description = "Black-76 price + 6 Greeks")]
    public Greeks PriceAndGreeks() => Black76.Greeks(OptionType.Put, 65_000, 60_000, 0.6, 0.1, 0.01, SettlementConvention.Inverse);

    [Benchmark(Description = "implied vol (OTM put, 18 days)")]
    public double ImpliedVol() => ImpliedVolSolver.Solve(OptionType.Put, _price, 65_000, 52_000, 0.05);

    [Benchmark(Description = "SVI calibration, 61 quotes")]
    public SviFit Calibrate() => SviCalibrator.Calibrate(0.25, _k, _vols);
}
