namespace DVV.ZkRisk.Risk;

/// <summary>
/// The whole pipeline for one epoch: IM grid -> liquidation flags -> band exposure -> CAVB ->
/// total = IM + CAVB (DESIGN.md 4). Linked accounts (declared or detected clusters) are margined as
/// one: IM and flags on the merged book, band exposure = sum of the members' own exposures (what
/// each member committed; never less than the merged book's), CAVB from that. Splitting a book
/// across linked accounts therefore cannot lower the total. The epoch sealer must give every
/// member account the cluster's flags so that LSV counts them consistently.
/// </summary>
public sealed class MarginCalculator
{
    public MarginCalculator(MarginContext context)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        InitialMargin = new InitialMarginEngine(context);
        Cavb = new CavbEngine(context);
    }

    public MarginContext Context { get; }
    public InitialMarginEngine InitialMargin { get; }
    public CavbEngine Cavb { get; }

    /// <summary>A trader's own data for the epoch: its band exposure and its liquidation flags.</summary>
    public TraderOwnData OwnData(PositionBook book) => ClusterOwnData(new[] { book }).Own;

    /// <summary>A cluster's own data: flags of the merged book, exposure summed over members.</summary>
    public (TraderOwnData Own, ResolvedBook Merged) ClusterOwnData(IReadOnlyList<PositionBook> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0) throw new RiskInputException("a cluster needs at least one account");
        var dup = accounts.GroupBy(a => a.AccountId).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new RiskInputException($"account '{dup.Key}' appears twice in the cluster");
        var merged = accounts.Count == 1 ? accounts[0] : PositionBook.Merge(string.Join("+", accounts.Select(a => a.AccountId)), accounts);
        var resolved = Context.Resolve(merged);
        var risk = InitialMargin.Evaluate(resolved);
        var exposure = BandExposure.Sum(accounts.Select(a => Context.ExposureOf(Context.Resolve(a))), Context.Bands.Count);
        return (new TraderOwnData(exposure, risk.Flags), resolved);
    }

    /// <summary>Margin notice of a single account.</summary>
    public MarginNotice Margin(PositionBook book, ProvenAggregates aggregates) =>
        MarginCluster(book.AccountId, new[] { book }, aggregates);

    /// <summary>Margin notice of a linked-account cluster, margined as one.</summary>
    public MarginNotice MarginCluster(string clusterId, IReadOnlyList<PositionBook> accounts, ProvenAggregates aggregates)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        var (own, merged) = ClusterOwnData(accounts);
        var report = InitialMargin.Report(merged);
        var cavb = Cavb.Explain(aggregates, own);
        double im = report.Risk.InitialMargin;
        return new MarginNotice(clusterId, accounts.Select(a => a.AccountId).ToArray(), aggregates.Epoch, aggregates.RiskParameterHash,
            im, report.Risk.MaintenanceMargin, cavb.Result.Cavb, im + cavb.Result.Cavb, report, own.Exposure, cavb);
    }

    /// <summary>
    /// Pass 1 of an epoch for many traders: IM, flags and band exposures. <paramref name="shortE4"/>
    /// and <paramref name="longE4"/> are flat [trader x bands] arrays and are overwritten.
    /// Allocation-free per trader; <paramref name="degreeOfParallelism"/> &gt; 1 splits the traders
    /// into that many contiguous ranges.
    /// </summary>
    public void EvaluateBatch(ResolvedBook[] books, TraderRisk[] risk, ulong[] shortE4, ulong[] longE4, int degreeOfParallelism = 1)
    {
        int bands = Context.Bands.Count;
        if (risk.Length < books.Length || shortE4.Length < books.Length * bands || longE4.Length < books.Length * bands)
            throw new ArgumentException("output arrays are too short");
        Array.Clear(shortE4, 0, books.Length * bands);
        Array.Clear(longE4, 0, books.Length * bands);
        ForRanges(books.Length, degreeOfParallelism, (from, to) =>
        {
            Span<double> acc = stackalloc double[Context.Stride];
            for (int i = from; i < to; i++)
            {
                risk[i] = InitialMargin.Evaluate(books[i], acc);
                Context.AccumulateExposure(books[i], shortE4.AsSpan(i * bands, bands), longE4.AsSpan(i * bands, bands));
            }
        });
    }

    /// <summary>Pass 2 of an epoch: CAVB per trader from the proven aggregates and that trader's own data.</summary>
    public void CavbBatch(ProvenAggregates aggregates, TraderRisk[] risk, ulong[] shortE4, CavbResult[] cavb, int degreeOfParallelism = 1)
    {
        int bands = Context.Bands.Count;
        int n = risk.Length;
        if (cavb.Length < n || shortE4.Length < n * bands) throw new ArgumentException("output arrays are too short");
        Cavb.Compute(aggregates, new ulong[bands], LiquidationFlags.None(Context.Shocks.Count)); // validate once, warm the cache
        ForRanges(n, degreeOfParallelism, (from, to) =>
        {
            for (int i = from; i < to; i++)
                cavb[i] = Cavb.Compute(aggregates, shortE4.AsSpan(i * bands, bands), risk[i].Flags);
        });
    }

    private static void ForRanges(int count, int dop, Action<int, int> body)
    {
        if (dop <= 1 || count < 2 * dop) { body(0, count); return; }
        int chunk = (count + dop - 1) / dop;
        Parallel.For(0, dop, new ParallelOptions { MaxDegreeOfParallelism = dop }, k =>
        {
            int from = k * chunk, to = Math.Min(count, from + chunk);
            if (from < to) body(from, to);
        });
    }
}
