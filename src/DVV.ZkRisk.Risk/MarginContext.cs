using System.Numerics;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Everything about one epoch's margining that does not depend on a trader: parameters, market,
/// scenario and shock grids, band grid, and a SPAN-style risk array per instrument of the
/// universe. Margining a trader is then a weighted sum of risk arrays (one fused multiply-add per
/// number), which is how 10,000 traders fit in well under a second.
///
/// Risk array of instrument u (USD per contract), for N IM scenarios and S LSF shocks:
/// <code>
///   [j]                 = V(scenario j) - V0                          j &lt; N
///   [N + s(N+1)]        = V(shock s) - V0                             PnL under shock s
///   [N + s(N+1) + 1 + j]= V(shock s then scenario j) - V(shock s)     IM grid re-run from the shocked market
/// </code>
/// V is full Black-76 revaluation (no Greeks approximation) at the shocked forward F(T)(1+m) and
/// the surface vol read at the shocked moneyness ln(K/F') (sticky moneyness), times the scenario's
/// vol multipliers, floored at MinVol. Time does not pass within a scenario. Inverse contracts are
/// valued in USD at the (shocked) spot: V_usd = V_coin S'. Perpetuals: linear size (S' - S0),
/// inverse face (S'/S0 - 1).
/// </summary>
public sealed class MarginContext
{
    private readonly Instrument[] _instruments;
    private readonly Dictionary<Instrument, int> _index;

    private MarginContext(ParameterSet p, MarketSnapshot market, Instrument[] instruments)
    {
        Parameters = p;
        Market = market;
        Scenarios = new ScenarioGrid(p);
        Shocks = new LsfGrid(p);
        Bands = new BandGrid(p);
        RiskParameterHash = p.HashHex;
        _instruments = instruments;
        _index = new Dictionary<Instrument, int>(instruments.Length);
        for (int i = 0; i < instruments.Length; i++) _index[instruments[i]] = i;

        int n = Scenarios.Count, s = Shocks.Count;
        RowLength = n + s * (n + 1);
        // Pad to a multiple of 8 doubles so SIMD loops need no scalar tail on any vector width.
        Stride = (RowLength + 7) & ~7;
        Rows = new double[instruments.Length * Stride];
        Value0 = new double[instruments.Length];
        BandOf = new int[instruments.Length];
        IsOption = new bool[instruments.Length];
        for (int u = 0; u < instruments.Length; u++) FillRow(u);
    }

    // the context of `from` with `added` appended: the rows already valued are copied, only the new ones are filled
    private MarginContext(MarginContext from, Instrument[] added)
    {
        Parameters = from.Parameters; Market = from.Market; Scenarios = from.Scenarios; Shocks = from.Shocks; Bands = from.Bands;
        RiskParameterHash = from.RiskParameterHash;
        int old = from._instruments.Length;
        _instruments = [.. from._instruments, .. added];
        _index = new Dictionary<Instrument, int>(from._index);
        for (int i = 0; i < added.Length; i++) _index[added[i]] = old + i;
        RowLength = from.RowLength;
        Stride = from.Stride;
        Rows = new double[_instruments.Length * Stride];
        Value0 = new double[_instruments.Length];
        BandOf = new int[_instruments.Length];
        IsOption = new bool[_instruments.Length];
        from.Rows.AsSpan().CopyTo(Rows);
        from.Value0.AsSpan().CopyTo(Value0);
        from.BandOf.AsSpan().CopyTo(BandOf);
        from.IsOption.AsSpan().CopyTo(IsOption);
        for (int u = old; u < _instruments.Length; u++) FillRow(u);
    }

    /// <summary>This context with the instruments of <paramref name="more"/> it lacks added (same parameters and market):
    /// the risk arrays already computed are reused, only new instruments are valued. Lets a venue value each listed
    /// instrument once per epoch however many books hold it.</summary>
    public MarginContext Extend(IEnumerable<Instrument> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var added = new List<Instrument>();
        var seen = new HashSet<Instrument>();
        foreach (var i in more)
        {
            if (i is null) throw new RiskInputException("the instrument universe contains a null instrument");
            if (!_index.ContainsKey(i) && seen.Add(i)) added.Add(i);
        }
        return added.Count == 0 ? this : new MarginContext(this, added.ToArray());
    }

    /// <summary>Builds the context for a universe of instruments (duplicates are ignored).</summary>
    public static MarginContext Create(ParameterSet parameters, MarketSnapshot market, IEnumerable<Instrument> universe)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(universe);
        parameters.Validate();
        var distinct = new List<Instrument>();
        var seen = new HashSet<Instrument>();
        foreach (var i in universe)
        {
            if (i is null) throw new RiskInputException("the instrument universe contains a null instrument");
            if (seen.Add(i)) distinct.Add(i);
        }
        return new MarginContext(parameters, market, distinct.ToArray());
    }

    /// <summary>A context for exactly the instruments of the given books.</summary>
    public static MarginContext ForBooks(ParameterSet parameters, MarketSnapshot market, IEnumerable<PositionBook> books) =>
        Create(parameters, market, books.SelectMany(b => b.Positions.Select(p => p.Instrument)));

    public ParameterSet Parameters { get; }
    /// <summary><see cref="ParameterSet.HashHex"/> of <see cref="Parameters"/> (see <see cref="ProvenAggregates.RiskParameterHash"/>).</summary>
    public string RiskParameterHash { get; }
    public MarketSnapshot Market { get; }
    public ScenarioGrid Scenarios { get; }
    public LsfGrid Shocks { get; }
    public BandGrid Bands { get; }
    public IReadOnlyList<Instrument> Instruments => _instruments;

    internal int RowLength { get; }
    internal int Stride { get; }
    internal double[] Rows { get; }
    internal double[] Value0 { get; }
    internal int[] BandOf { get; }
    internal bool[] IsOption { get; }

    /// <summary>Offset of shock s's block in a risk array.</summary>
    internal int ShockBase(int s) => Scenarios.Count + s * (Scenarios.Count + 1);

    public bool TryGetIndex(Instrument instrument, out int index) => _index.TryGetValue(instrument, out index);

    /// <summary>Current USD value of one contract of the instrument.</summary>
    public double ValueOf(Instrument instrument) => Value0[IndexOrThrow(instrument)];

    /// <summary>Band of an option in the universe, -1 for perpetuals.</summary>
    public int BandIndexOf(Instrument instrument) => BandOf[IndexOrThrow(instrument)];

    /// <summary>A copy of instrument u's risk array (see the class summary for the layout).</summary>
    public double[] RiskArray(Instrument instrument) =>
        Rows.AsSpan(IndexOrThrow(instrument) * Stride, RowLength).ToArray();

    private int IndexOrThrow(Instrument instrument) =>
        _index.TryGetValue(instrument, out int i) ? i : throw new RiskInputException($"instrument {instrument.Id} is not in this epoch's universe");

    /// <summary>Binds a book to this context's risk arrays; every instrument must be in the universe.</summary>
    public ResolvedBook Resolve(PositionBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        var idx = new int[book.Positions.Count];
        var q = new long[idx.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            var p = book.Positions[i];
            if (!_index.TryGetValue(p.Instrument, out idx[i]))
                throw new RiskInputException($"account '{book.AccountId}' holds {p.Instrument.Id}, which is not in this epoch's universe");
            q[i] = p.QuantityE4;
        }
        return new ResolvedBook(this, book.AccountId, idx, q, book.CollateralUsd, book.CollateralCoin);
    }

    /// <summary>
    /// Adds the book's short and long open interest per band (contracts x 10^4) into the spans
    /// (length <see cref="BandGrid.Count"/>); allocation-free.
    /// </summary>
    public void AccumulateExposure(ResolvedBook book, Span<ulong> shortE4, Span<ulong> longE4)
    {
        if (shortE4.Length < Bands.Count || longE4.Length < Bands.Count) throw new ArgumentException("exposure spans are shorter than the band count");
        if (!ReferenceEquals(book.Context, this)) throw new RiskInputException("book was resolved against a different margin context");
        var idx = book.Index; var q = book.QuantityE4;
        for (int i = 0; i < idx.Length; i++)
        {
            int b = BandOf[idx[i]];
            if (b < 0) continue;
            long v = q[i];
            if (v < 0) shortE4[b] = checked(shortE4[b] + (ulong)(-v));
            else longE4[b] = checked(longE4[b] + (ulong)v);
        }
    }

    /// <summary>Band exposure S_ib, L_ib of a book.</summary>
    public BandExposure ExposureOf(ResolvedBook book)
    {
        var e = BandExposure.Zero(Bands.Count);
        AccumulateExposure(book, e.Short, e.Long);
        return e;
    }

    // ---------------------------------------------------------------------------------------------

    private void FillRow(int u)
    {
        var ins = _instruments[u];
        var row = Rows.AsSpan(u * Stride, Stride);
        int n = Scenarios.Count;
        if (ins is OptionContract o)
        {
            double days = Market.DaysToExpiry(o.Expiry);
            if (!(days > 0)) throw new RiskInputException($"option {o.Id} has expired (market as of {Market.AsOf:yyyy-MM-ddTHH:mm:ssZ})");
            IsOption[u] = true;
            BandOf[u] = Bands.BandOf(o, Market);
        }
        else
        {
            BandOf[u] = -1;
        }

        double v0 = Value(ins, 1.0, 1.0, -1);
        Value0[u] = v0;
        for (int j = 0; j < n; j++)
            row[j] = Value(ins, 1 + Scenarios[j].PriceMove, 1.0, j) - v0;
        for (int s = 0; s < Shocks.Count; s++)
        {
            var sh = Shocks[s];
            double ms = 1 + sh.SpotShock, vs = 1 + sh.VolShock;
            double vsS = Value(ins, ms, vs, -1);
            int b = ShockBase(s);
            row[b] = vsS - v0;
            for (int j = 0; j < n; j++)
                row[b + 1 + j] = Value(ins, ms * (1 + Scenarios[j].PriceMove), vs, j) - vsS;
        }
    }

    /// <summary>USD value of one contract at spot multiplier m, LSF vol multiplier vm, IM scenario j (-1: none).</summary>
    internal double Value(Instrument ins, double m, double vm, int scenario)
    {
        double s0 = Market.Spot;
        switch (ins)
        {
            case PerpetualFuture pf:
                return pf.Convention == SettlementConvention.Linear
                    ? pf.ContractSize * s0 * (m - 1)
                    : pf.ContractSize * (m - 1);
            case OptionContract o:
            {
                double days = Market.DaysToExpiry(o.Expiry);
                double t = days / 365.0;
                double f = Market.Forward(t) * m;
                double vol = Market.Surface.ImpliedVol(Math.Log(o.Strike / f), t) * vm;
                if (scenario >= 0) vol *= Scenarios.VolMultiplier(scenario, days);
                vol = Math.Max(vol, Parameters.MinVol);
                double lin = Market.DiscountFactor(t) * Black76.Undiscounted(o.Type == OptionType.Call, f, o.Strike, vol * Math.Sqrt(t));
                return o.Convention == SettlementConvention.Linear ? lin : lin / f * (s0 * m);
            }
            default:
                throw new RiskInputException($"unsupported instrument {ins.GetType().Name}");
        }
    }

    internal static bool SimdAvailable => Vector.IsHardwareAccelerated;
}
