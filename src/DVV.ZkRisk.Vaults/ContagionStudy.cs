namespace DVV.ZkRisk.Vaults;

/// <summary>One scenario run under several regimes and seeds: every regime of a seed sees the same exogenous path and
/// the same population. Runs are independent and deterministic, so they run in parallel without changing a byte.</summary>
public sealed class ContagionStudy
{
    public ContagionStudy(SimulationConfig config, IReadOnlyList<MarginRegime> regimes, IReadOnlyList<int> seeds, Func<IAggregateSource>? source = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (regimes.Count == 0) throw new ArgumentException("at least one regime");
        if (seeds.Count == 0) throw new ArgumentException("at least one seed");
        Config = config; Regimes = regimes; Seeds = seeds;
        _source = source ?? (() => new ClearAggregates());
    }

    private readonly Func<IAggregateSource> _source;
    public SimulationConfig Config { get; }
    public IReadOnlyList<MarginRegime> Regimes { get; }
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Results [seed][regime]. <paramref name="progress"/> receives the number of runs finished.</summary>
    public StudyResult Run(int degreeOfParallelism = 0, IProgress<int>? progress = null)
    {
        int runs = Seeds.Count * Regimes.Count;
        var results = new RegimeResult[runs];
        string description = _source().Description;
        bool proven = _source().Proven;
        var paths = Seeds.Select(s => new ExogenousPath(Config with { Seed = s })).ToArray();
        int done = 0;
        var opts = new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount };
        Parallel.For(0, runs, opts, r =>
        {
            int s = r / Regimes.Count, g = r % Regimes.Count;
            results[r] = new Simulation(Config with { Seed = Seeds[s] }, Regimes[g], _source(), paths[s]).Run();
            progress?.Report(Interlocked.Increment(ref done));
        });
        var bySeed = new List<IReadOnlyList<RegimeResult>>();
        for (int s = 0; s < Seeds.Count; s++) bySeed.Add(results.Skip(s * Regimes.Count).Take(Regimes.Count).ToArray());
        return new StudyResult(Config, Regimes, Seeds, bySeed, paths, description, proven);
    }
}

/// <summary>The runs of a study and their statistics per regime over seeds.</summary>
public sealed record StudyResult(SimulationConfig Config, IReadOnlyList<MarginRegime> Regimes, IReadOnlyList<int> Seeds,
    IReadOnlyList<IReadOnlyList<RegimeResult>> Runs, IReadOnlyList<ExogenousPath> Paths, string AggregatesDescription, bool AggregatesProven)
{
    /// <summary>Mean, min and max of a headline figure of a regime over the seeds.</summary>
    public Spread Stat(int regime, Func<RegimeHeadline, double> figure)
    {
        var xs = Runs.Select(r => figure(r[regime].Headline)).ToArray();
        return new Spread(xs.Average(), xs.Min(), xs.Max());
    }
}

public readonly record struct Spread(double Mean, double Min, double Max);
