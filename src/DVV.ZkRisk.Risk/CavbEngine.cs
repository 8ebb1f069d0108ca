namespace DVV.ZkRisk.Risk;

/// <summary>
/// Contagion-Adjusted Volatility Buffer, exactly as DESIGN.md 4:
/// <code>
///   h_b(s)    = |delta| of band b's representative OTM option at the shocked spot and vol
///   V(s)      = Sum_b h_b(s) LSV_sb                    forced (hedge) volume of everyone liquidated under s
///   I(s)      = V(s) / D                               D: volume that moves the underlying by X%
///   P(I)      = min(P_max, exp(kappa_eff I) - 1)
///   kappa_eff = kappa max(1, (F_target / F)^gamma)     F: clearing-fund balance (F = 0: P = P_max)
///   v_i(s)    = lam_is Sum_b h_b(s) S_ib               own data only
///   CAVB_i    = max_s alpha S0 v_i(s) P(I(s))
/// </code>
/// Volumes are in coins (exposures in contracts x 10^4 divided by 10^4). The representative
/// option of band (bucket i, moneyness band j) has expiry BandRepresentativeDays[i], strike
/// F(T) exp(k_j) fixed on the unshocked forward (k_j = band centre; a put when k_j &lt; 0, else a
/// call), and is valued at F(T)(1 + s) with the surface vol at the shocked moneyness times
/// (1 + vol shock). The public parts (h, V, I, P) are computed once per aggregates; per trader
/// the cost is shocks x bands multiply-adds.
///
/// The API takes a <see cref="ProvenAggregates"/> and one trader's (or cluster's) own data,
/// nothing else; the engine itself holds only public epoch data (parameters and market).
/// </summary>
public sealed class CavbEngine
{
    private readonly MarginContext _ctx;
    private readonly double[] _h;          // [s * B + b]
    private readonly int _bands, _shocks;
    private volatile AggregateTerms? _cache;

    public CavbEngine(MarginContext context)
    {
        _ctx = context ?? throw new ArgumentNullException(nameof(context));
        _bands = context.Bands.Count;
        _shocks = context.Shocks.Count;
        _h = new double[_shocks * _bands];
        var m = context.Market;
        var grid = context.Bands;
        for (int b = 0; b < _bands; b++)
        {
            var option = grid.RepresentativeOption(b, m);
            double t = grid.RepresentativeDays(b / grid.BandsPerBucket) / 365.0;
            double f0 = m.Forward(t);
            double strike = option.Strike;
            bool call = option.Type == OptionType.Call;
            double df = m.DiscountFactor(t);
            for (int s = 0; s < _shocks; s++)
            {
                var sh = context.Shocks[s];
                double f = f0 * (1 + sh.SpotShock);
                double vol = Math.Max(m.Surface.ImpliedVol(Math.Log(strike / f), t) * (1 + sh.VolShock), context.Parameters.MinVol);
                _h[s * _bands + b] = Math.Abs(df * Black76.UndiscountedDelta(call, f, strike, vol * Math.Sqrt(t)));
            }
        }
    }

    public MarginContext Context => _ctx;

    /// <summary>h_b(s): |delta| of band b's representative option under shock s.</summary>
    public double H(int shock, int band) => _h[shock * _bands + band];

    /// <summary>CAVB of one trader or cluster from the proven aggregates and its own data.</summary>
    public CavbResult Compute(ProvenAggregates aggregates, TraderOwnData own)
    {
        ArgumentNullException.ThrowIfNull(own);
        return Compute(aggregates, own.Exposure.Short, own.Flags);
    }

    /// <summary>Allocation-free form: own short exposure S_ib (contracts x 10^4) and own flags.</summary>
    public CavbResult Compute(ProvenAggregates aggregates, ReadOnlySpan<ulong> shortE4, LiquidationFlags flags)
    {
        var terms = Terms(aggregates);
        CheckOwn(shortE4, flags);
        double best = 0;
        int bindingShock = -1;
        double scale = _ctx.Parameters.Alpha * _ctx.Market.Spot / Quantity.UnitsPerContract;
        for (int s = 0; s < _shocks; s++)
        {
            if (((flags.Mask >> s) & 1) == 0) continue;
            ReadOnlySpan<double> h = _h.AsSpan(s * _bands, _bands);
            double own = 0;
            for (int b = 0; b < h.Length; b++) own += h[b] * shortE4[b];
            if (own <= 0) continue;
            double p = terms.AnyWithheld ? Multiplier(terms, s, h, shortE4) : terms.P[s];
            double c = scale * own * p;
            if (c > best) { best = c; bindingShock = s; }
        }
        return new CavbResult(best, bindingShock);
    }

    /// <summary>Every term of the formula per shock (allocating).</summary>
    public CavbBreakdown Explain(ProvenAggregates aggregates, TraderOwnData own)
    {
        ArgumentNullException.ThrowIfNull(own);
        var terms = Terms(aggregates);
        var shortE4 = own.Exposure.Short;
        CheckOwn(shortE4, own.Flags);
        var lines = new List<CavbLine>(_shocks);
        double alphaS0 = _ctx.Parameters.Alpha * _ctx.Market.Spot;
        for (int s = 0; s < _shocks; s++)
        {
            var h = _h.AsSpan(s * _bands, _bands);
            int lam = own.Flags.Lambda(s);
            double ownVol = 0;
            for (int b = 0; b < _bands; b++) ownVol += h[b] * shortE4[b];
            ownVol = lam * ownVol / Quantity.UnitsPerContract;
            double v = ForcedVolume(terms, s, h, lam == 1 ? shortE4 : default);
            double impact = v / _ctx.Market.DepthCoins;
            double p = MultiplierOf(impact, terms.KappaEffective);
            lines.Add(new CavbLine(s, _ctx.Shocks[s], lam, ownVol, v, impact, p, alphaS0 * ownVol * p));
        }
        return new CavbBreakdown(Compute(aggregates, shortE4, own.Flags), terms.KappaEffective, lines);
    }

    // ---------------------------------------------------------------------------------------------

    private void CheckOwn(ReadOnlySpan<ulong> shortE4, LiquidationFlags flags)
    {
        if (shortE4.Length != _bands) throw new RiskInputException($"own exposure has {shortE4.Length} bands, the epoch has {_bands}");
        if (flags.ShockCount != _shocks) throw new RiskInputException($"own flags cover {flags.ShockCount} shocks, the epoch has {_shocks}");
    }

    private double Multiplier(AggregateTerms t, int s, ReadOnlySpan<double> h, ReadOnlySpan<ulong> ownShort) =>
        MultiplierOf(ForcedVolume(t, s, h, ownShort) / _ctx.Market.DepthCoins, t.KappaEffective);

    /// <summary>V(s) in coins; withheld cells are replaced by the trader's own flagged exposure (if given).</summary>
    private double ForcedVolume(AggregateTerms t, int s, ReadOnlySpan<double> h, ReadOnlySpan<ulong> ownShortIfFlagged)
    {
        double v = t.PublishedVolume[s];
        if (t.AnyWithheld && !ownShortIfFlagged.IsEmpty)
            for (int b = 0; b < _bands; b++)
                if (t.Withheld[s * _bands + b]) v += h[b] * ownShortIfFlagged[b] / Quantity.UnitsPerContract;
        return v;
    }

    private double MultiplierOf(double impact, double kappaEff)
    {
        double pMax = _ctx.Parameters.PMax;
        if (double.IsPositiveInfinity(kappaEff)) return impact > 0 ? pMax : 0;
        return Math.Min(pMax, Math.Exp(kappaEff * impact) - 1);   // expm1 accuracy is not needed at these sizes
    }

    private AggregateTerms Terms(ProvenAggregates agg)
    {
        ArgumentNullException.ThrowIfNull(agg);
        var c = _cache;
        if (c is not null && ReferenceEquals(c.Source, agg)) return c;
        if (agg.RiskParameterHash != _ctx.RiskParameterHash)
            throw new RiskInputException($"aggregates of epoch {agg.Epoch} were proven under parameter set {agg.RiskParameterHash}, this engine runs {_ctx.RiskParameterHash}");
        if (agg.BandCount != _bands || agg.ShockCount != _shocks)
            throw new RiskInputException("aggregates and engine disagree on the band or shock grid");

        var p = _ctx.Parameters;
        double fund = _ctx.Market.ClearingFundUsd;
        double kappaEff = fund > 0
            ? p.Kappa * Math.Max(1.0, Math.Pow(p.FundTargetUsd / fund, p.Gamma))
            : double.PositiveInfinity;

        var vol = new double[_shocks];
        var pm = new double[_shocks];
        var withheld = new bool[_shocks * _bands];
        bool any = false;
        for (int s = 0; s < _shocks; s++)
        {
            double v = 0;
            for (int b = 0; b < _bands; b++)
            {
                if (!agg.IsPublished(s, b)) { withheld[s * _bands + b] = true; any = true; continue; }
                v += _h[s * _bands + b] * agg.Lsv(s, b);
            }
            vol[s] = v / Quantity.UnitsPerContract + (agg.WithheldVolume?[s] ?? 0);
            pm[s] = MultiplierOf(vol[s] / _ctx.Market.DepthCoins, kappaEff);
        }
        // with a proven remainder the withheld cells are already in vol[s]: no fallback to the trader's own exposure
        if (agg.WithheldVolume != null) any = false;
        c = new AggregateTerms(agg, kappaEff, vol, pm, withheld, any);
        _cache = c;
        return c;
    }

    private sealed record AggregateTerms(ProvenAggregates Source, double KappaEffective, double[] PublishedVolume, double[] P, bool[] Withheld, bool AnyWithheld);
}
