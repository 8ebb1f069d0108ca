namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The vaults' delta management engine. Net delta in coins = Sum_i q_i Delta_i + perpetual, read at the oracle (the
/// vault's pricing); as a fraction of NAV: delta x S / NAV. The vault trades the perpetual back to zero delta when the
/// fraction leaves the band (default -0.05..+0.05) or when the rehedge interval has passed. The trade's fill against
/// the mark, the funding and the gamma-scalping PnL are booked separately by <see cref="Simulation"/>.
/// </summary>
internal sealed class DeltaHedger(double band, int intervalBlocks)
{
    public double Band { get; } = band;
    public int IntervalBlocks { get; } = intervalBlocks;

    /// <summary>Net delta as a fraction of NAV (0 when NAV is not positive: nothing left to hedge for).</summary>
    public static double Fraction(double deltaCoins, double spot, double nav) => nav > 0 ? deltaCoins * spot / nav : 0;

    /// <summary>Coins of perpetual to trade now (0: stay), rounded to the 10^-4 contract unit.</summary>
    public double Trade(double deltaCoins, double spot, double nav, int blocksSinceRehedge)
    {
        double f = Fraction(deltaCoins, spot, nav);
        bool outside = Math.Abs(f) > Band;
        bool due = blocksSinceRehedge >= IntervalBlocks;
        if (!outside && !due) return 0;
        return Math.Round(-deltaCoins, 4);
    }
}
