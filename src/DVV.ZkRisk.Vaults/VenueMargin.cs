using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>What one epoch's margining produced (population totals, for the charts and tables).</summary>
public readonly record struct EpochMargin(long Epoch, int Block, double TotalInitialMargin, double TotalAddOn, double MaxMultiplier,
    double WorstForcedVolume, int FlaggedAccounts);

/// <summary>
/// The venue's margining of the population under one <see cref="MarginRegime"/>, with the project's risk engine:
/// <code>
///   requirement_i = IM_i + add-on_i,   maintenance_i = MaintenanceRatio x requirement_i
///   add-on_i      = 0                                          im-only
///                 = CAVB_i = max_s alpha S0 v_i(s) P(I(s))     im+cavb, from the epoch's aggregates (DESIGN.md 4)
///                 = S q_i inc max(0, q_i - base) / step        im+linear-oi, q_i the account's short option contracts
/// </code>
/// IM, flags and exposures come from <see cref="MarginCalculator"/> on the books valued at the oracle TWAP, the
/// scaled surface, the book's current depth D and the safety fund as the clearing fund F (so kappa_eff rises as the
/// fund is drawn). The same code sizes the positions that vaults and traders open (<see cref="Size"/>): a higher
/// requirement per contract means smaller books before any shock, the mechanism the simulator compares.
/// </summary>
internal sealed class VenueMargin
{
    private static readonly PerpetualFuture Perp = new();
    private readonly SimulationConfig _cfg;
    private readonly ParameterSet _params;
    private readonly MarginRegime _regime;
    private readonly IAggregateSource _source;

    public VenueMargin(SimulationConfig cfg, MarginRegime regime, IAggregateSource source)
    {
        _cfg = cfg; _regime = regime; _source = source;
        _params = cfg.RiskParameters with { FundTargetUsd = cfg.SafetyFundUsd };
        _params.Validate();
    }

    public ParameterSet Parameters => _params;

    public MarketSnapshot Snapshot(DateTimeOffset now, double oracle, VolSurface surface, double depth, double fund) =>
        new(now, oracle, surface, depthCoins: Math.Max(depth, 1e-6), clearingFundUsd: Math.Max(0, fund));

    /// <summary>The book the venue sees for an account (sizes rounded to the E4 unit, as committed).</summary>
    public static PositionBook BookOf(SimAccount a, OptionMarket options, IEnumerable<(int Instrument, double Qty)>? extra = null, double scale = 1)
    {
        var pos = new List<Position>(a.Options.Count + 2);
        foreach (var (i, q) in a.Options) Add(pos, options.Contracts[i], q * scale);
        if (extra != null) foreach (var (i, q) in extra) Add(pos, options.Contracts[i], q);
        if (a.Perp != 0) Add(pos, Perp, a.Perp * scale);
        return new PositionBook(a.Name, pos, a.Cash, a.Coins);
    }

    private static void Add(List<Position> pos, Instrument ins, double q)
    {
        q = Math.Round(q, 4);
        if (q != 0) pos.Add(new Position(ins, Quantity.FromContracts(q)));
    }

    /// <summary>A margin context for the live instruments (and the perpetual) at the given market.</summary>
    public MarginContext Context(MarketSnapshot market, OptionMarket options)
    {
        var universe = new List<Instrument>(options.Contracts.Count + 1) { Perp };
        for (int i = 0; i < options.Contracts.Count; i++)
            if (options.Contracts[i].Expiry > market.AsOf) universe.Add(options.Contracts[i]);
        return MarginContext.Create(_params, market, universe);
    }

    /// <summary>Margins every live margined account; sets its requirement and maintenance. Returns the population totals
    /// and the epoch's aggregates (null unless the regime is im+cavb). <paramref name="published"/>: re-margin within the
    /// epoch against its already published aggregates (accounts that changed their book), without a new aggregation.</summary>
    public (EpochMargin Summary, ProvenAggregates? Aggregates) Evaluate(long epoch, int block, MarginContext ctx, IReadOnlyList<SimAccount> margined, OptionMarket options,
                                                                       ProvenAggregates? published = null)
    {
        var calc = new MarginCalculator(ctx);
        int n = margined.Count, bands = ctx.Bands.Count;
        var books = new PositionBook[n];
        var resolved = new ResolvedBook[n];
        for (int i = 0; i < n; i++) { books[i] = BookOf(margined[i], options); resolved[i] = ctx.Resolve(books[i]); }
        var risk = new TraderRisk[n];
        var shortE4 = new ulong[n * bands];
        var longE4 = new ulong[n * bands];
        calc.EvaluateBatch(resolved, risk, shortE4, longE4);
        ProvenAggregates? agg = null;
        var addOn = new double[n];
        double maxP = 0, worstV = 0;
        if (_regime == MarginRegime.ImPlusCavb)
        {
            agg = published ?? _source.Aggregate(epoch, ctx, books, risk, shortE4);
            var cavb = new CavbResult[n];
            calc.CavbBatch(agg, risk, shortE4, cavb);
            for (int i = 0; i < n; i++) addOn[i] = cavb[i].Cavb;
            (maxP, worstV) = CrowdTerms(calc, agg);
        }
        else if (_regime == MarginRegime.ImPlusLinearOi)
        {
            for (int i = 0; i < n; i++) addOn[i] = LinearOi(margined[i].ShortOptionContracts, ctx.Market.Spot);
        }
        double im = 0, add = 0;
        int flagged = 0;
        for (int i = 0; i < n; i++)
        {
            var a = margined[i];
            a.InitialMargin = risk[i].InitialMargin;
            a.AddOn = addOn[i];
            a.Requirement = risk[i].InitialMargin + addOn[i];
            a.Maintenance = _params.MaintenanceRatio * a.Requirement;
            im += a.InitialMargin; add += a.AddOn;
            if (risk[i].Flags.Any) flagged++;
        }
        return (new EpochMargin(epoch, block, im, add, maxP, worstV, flagged), agg);
    }

    /// <summary>max_s P(I(s)) and max_s V(s) of the crowd (a zero own exposure adds nothing to V).</summary>
    private static (double MaxP, double MaxV) CrowdTerms(MarginCalculator calc, ProvenAggregates agg)
    {
        int bands = calc.Context.Bands.Count;
        var own = new TraderOwnData(BandExposure.Zero(bands), LiquidationFlags.None(calc.Context.Shocks.Count));
        double maxP = 0, maxV = 0;
        foreach (var l in calc.Cavb.Explain(agg, own).Lines) { maxP = Math.Max(maxP, l.Multiplier); maxV = Math.Max(maxV, l.ForcedVolume); }
        return (maxP, maxV);
    }

    public double LinearOi(double shortContracts, double spot) =>
        spot * shortContracts * _cfg.LinearOiIncrement * Math.Max(0, shortContracts - _cfg.LinearOiBaseline) / _cfg.LinearOiStep;

    /// <summary>
    /// Largest multiple N of a unit trade (<paramref name="unit"/>: instrument and contracts per unit, added to what the
    /// account already holds, with <paramref name="unitPremium"/> USD of premium received per unit) whose requirement under
    /// the regime is at most <paramref name="target"/> USD. Bisection: the requirement grows with N (IM is homogeneous in
    /// the sizes; CAVB and the OI add-on grow with the own short exposure). <paramref name="aggregates"/>: the crowd's of
    /// the previous sizing pass (im+cavb), null for the first.
    /// </summary>
    public double Size(MarginContext ctx, SimAccount a, OptionMarket options, IReadOnlyList<(int Instrument, double Qty)> unit, double unitPremium,
                       double perpPerUnit, double target, double maxUnits, ProvenAggregates? aggregates)
    {
        var calc = new MarginCalculator(ctx);
        double Requirement(double n)
        {
            var extra = new List<(int, double)>(unit.Count);
            foreach (var (i, q) in unit) extra.Add((i, q * n));
            var book = BookOf(a, options, extra);
            if (perpPerUnit != 0)
                book = new PositionBook(book.AccountId, book.Positions.Append(new Position(Perp, Quantity.FromContracts(Math.Round(perpPerUnit * n, 4)))), book.CollateralUsd + unitPremium * n, book.CollateralCoin);
            else if (unitPremium != 0)
                book = new PositionBook(book.AccountId, book.Positions, book.CollateralUsd + unitPremium * n, book.CollateralCoin);
            var r = ctx.Resolve(book);
            var risk = calc.InitialMargin.Evaluate(r);
            double add = 0;
            if (_regime == MarginRegime.ImPlusCavb && aggregates != null)
            {
                var e = ctx.ExposureOf(r);
                add = calc.Cavb.Compute(aggregates, e.Short, risk.Flags).Cavb;
            }
            else if (_regime == MarginRegime.ImPlusLinearOi)
            {
                double shorts = a.ShortOptionContracts;
                foreach (var (_, q) in unit) if (q < 0) shorts -= q * n;
                add = LinearOi(shorts, ctx.Market.Spot);
            }
            return risk.InitialMargin + add;
        }
        if (target <= 0 || maxUnits <= 0) return 0;
        double lo = 0, hi = maxUnits;
        if (Requirement(hi) <= target) return Math.Floor(hi * 10) / 10;
        for (int it = 0; it < 16; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (Requirement(mid) <= target) lo = mid; else hi = mid;
        }
        return Math.Floor(lo * 10) / 10;   // whole tenths of a unit
    }
}
