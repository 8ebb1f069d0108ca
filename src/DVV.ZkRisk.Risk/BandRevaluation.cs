namespace DVV.ZkRisk.Risk;

/// <summary>
/// The band model of a book under the LSF shocks (DESIGN.md 9): every band b is represented by one option, the one
/// the CAVB engine uses for h_b(s) (<see cref="BandGrid.RepresentativeOption"/>), revalued per contract
/// by the IM engine's own risk arrays under each shock s:
/// <code>
///   Value(s, b)        = V0 + PnL(shock s)                        USD per contract after the shock
///   ShortMaintenance   = MaintenanceRatio x IM(short 1 contract)  on the market shocked by s (IM = max(scan, minimum))
///   LongMaintenance    = MaintenanceRatio x IM(long 1 contract)   likewise
///   distance_s         = E_usd + E_coin S0 (1 + s)
///                        + Sum_b Value(s, b) (L_b - S_b) - Sum_b (ShortMaintenance S_b + LongMaintenance L_b)
/// </code>
/// A book is liquidated under s in the band model when distance_s &lt; 0. It is linear in the committed values (S_b, L_b,
/// collateral), which is what lets a proof show it; the price is that it ignores what the band exposure does not
/// carry: strike and type within a band (an in-the-money call in a put band is valued as the band's out-of-the-money
/// put), perpetual hedges and offsets between legs (each leg is margined alone, which only adds maintenance).
/// Positively homogeneous one contract at a time, so per-contract figures scale exactly.
/// </summary>
internal sealed class BandRevaluation
{
    private readonly double[] _value, _shortMm, _longMm;   // [s * B + b]

    public BandRevaluation(ParameterSet parameters, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(market);
        var grid = new BandGrid(parameters);
        Bands = grid.Count;
        var representatives = new OptionContract[Bands];
        for (int b = 0; b < Bands; b++) representatives[b] = grid.RepresentativeOption(b, market);
        var ctx = MarginContext.Create(parameters, market, representatives);
        var engine = new InitialMarginEngine(ctx);
        Shocks = ctx.Shocks.Count;
        SpotMultiplier = ctx.Shocks.Shocks.Select(s => 1 + s.SpotShock).ToArray();
        Spot = market.Spot;
        _value = new double[Shocks * Bands];
        _shortMm = new double[Shocks * Bands];
        _longMm = new double[Shocks * Bands];
        for (int b = 0; b < Bands; b++)
        {
            var ins = representatives[b];
            double v0 = ctx.ValueOf(ins);
            var shortReport = engine.Report(ctx.Resolve(new PositionBook("band-short", [Position.Of(ins, -1)])));
            var longReport = engine.Report(ctx.Resolve(new PositionBook("band-long", [Position.Of(ins, 1)])));
            for (int s = 0; s < Shocks; s++)
            {
                _value[s * Bands + b] = v0 + longReport.Shocks[s].Pnl;
                _shortMm[s * Bands + b] = shortReport.Shocks[s].MaintenanceMarginAfter;
                _longMm[s * Bands + b] = longReport.Shocks[s].MaintenanceMarginAfter;
            }
        }
    }

    public int Bands { get; }
    public int Shocks { get; }
    /// <summary>S0, USD per coin.</summary>
    public double Spot { get; }
    /// <summary>1 + spot shock, per shock.</summary>
    public IReadOnlyList<double> SpotMultiplier { get; }

    /// <summary>USD per contract of band b's representative option after shock s.</summary>
    public double Value(int shock, int band) => _value[shock * Bands + band];
    /// <summary>Maintenance requirement (USD) of one short contract of band b's representative option under shock s.</summary>
    public double ShortMaintenance(int shock, int band) => _shortMm[shock * Bands + band];
    /// <summary>Maintenance requirement (USD) of one long contract likewise.</summary>
    public double LongMaintenance(int shock, int band) => _longMm[shock * Bands + band];
}
