using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Flags;

/// <summary>One shock of <see cref="FlagModelComparison"/>: how many books each model flags and where they disagree.</summary>
/// <param name="FullRevaluation">flagged by full revaluation (equity + PnL(s) &lt; MM(s), the v1 flags)</param>
/// <param name="BandModel">flagged by the band model (d_s &lt; 0, the provable v2 flags)</param>
/// <param name="OnlyFullRevaluation">flagged by full revaluation only: the band model misses them</param>
/// <param name="OnlyBandModel">flagged by the band model only</param>
internal sealed record ShockAgreement(int Shock, double SpotShock, int FullRevaluation, int BandModel, int OnlyFullRevaluation, int OnlyBandModel);

/// <summary>The two flag definitions side by side on a population (README: "the model choice must be visible").</summary>
internal sealed record FlagModelComparison(int Books, int OutOfRange, IReadOnlyList<ShockAgreement> Shocks, IReadOnlyDictionary<string, (int Books, int Differ)> ByKind)
{
    /// <summary>Books whose flags differ in at least one shock, over every kind.</summary>
    public int BooksThatDiffer => ByKind.Values.Sum(k => k.Differ);

    /// <summary>
    /// Values every book both ways under one parameter set and market. <paramref name="kinds"/> names each book's kind
    /// (vault, herd, hedger) for the per-kind count. A book whose band-model distance leaves [-2^63, 2^63), or whose collateral is negative, is
    /// counted in <see cref="OutOfRange"/> and left out of the shock rows.
    /// </summary>
    public static FlagModelComparison Run(DVV.ZkRisk.Risk.ParameterSet parameters, MarketSnapshot market, IReadOnlyList<PositionBook> books, IReadOnlyList<string> kinds)
    {
        if (books.Count != kinds.Count) throw new ArgumentException($"{books.Count} books but {kinds.Count} kinds");
        var model = FlagModel.Compute(parameters, market);
        var ctx = MarginContext.ForBooks(parameters, market, books);
        var engine = new InitialMarginEngine(ctx);
        int shocks = model.Shocks;
        var full = new int[shocks]; var band = new int[shocks]; var onlyFull = new int[shocks]; var onlyBand = new int[shocks];
        var byKind = new Dictionary<string, (int Books, int Differ)>(StringComparer.Ordinal);
        int outOfRange = 0;
        for (int i = 0; i < books.Count; i++)
        {
            var resolved = ctx.Resolve(books[i]);
            var flags = engine.Evaluate(resolved).Flags;
            var e = ctx.ExposureOf(resolved);
            ulong? usd = Units(books[i].CollateralUsd, FlagModel.UsdUnits), coin = Units(books[i].CollateralCoin, FlagModel.CoinUnits);
            var (n, d) = byKind.GetValueOrDefault(kinds[i]);
            bool differs = false, inRange = usd.HasValue && coin.HasValue;
            var bandFlags = new bool[shocks];
            for (int s = 0; s < shocks && inRange; s++)
            {
                if (model.Distance(s, e.Short, e.Long, usd!.Value, coin!.Value) is { } ds) bandFlags[s] = ds < 0;
                else inRange = false;
            }
            if (!inRange) { outOfRange++; byKind[kinds[i]] = (n + 1, d + 1); continue; }
            for (int s = 0; s < shocks; s++)
            {
                bool f = flags[s], b = bandFlags[s];
                if (f) full[s]++;
                if (b) band[s]++;
                if (f && !b) onlyFull[s]++;
                if (b && !f) onlyBand[s]++;
                differs |= f != b;
            }
            byKind[kinds[i]] = (n + 1, d + (differs ? 1 : 0));
        }
        var rows = new ShockAgreement[shocks];
        for (int s = 0; s < shocks; s++) rows[s] = new ShockAgreement(s, ctx.Shocks[s].SpotShock, full[s], band[s], onlyFull[s], onlyBand[s]);
        return new FlagModelComparison(books.Count, outOfRange, rows, byKind);
    }

    /// <summary>A collateral amount in the flag model's fixed-point units; null when it is negative or at least 2^63 units
    /// (the committed collateral is range-proven non-negative, and d_s must stay a 64-bit signed value).</summary>
    public static ulong? Units(double amount, long unitsPer)
    {
        double x = Math.Round(amount * unitsPer);
        return x >= 0 && x < 9.2e18 ? (ulong)x : null;
    }
}
