using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The listed options of a run and their Black-76 value and Greeks, refreshed once per block at two prices: the mark
/// (what the dealer hedges at and what positions are really worth) and the oracle TWAP (what the vaults price with and
/// what the venue margins at). Implied vol: the surface read at sticky moneyness ln(K/F), times
/// 1 + beta max(0, -ln(oracle / S0)): crypto vols rise as the price falls (DESIGN.md 4's LSF vol shocks do the same).
/// Carry and rate are zero, so F = S.
/// </summary>
internal sealed class OptionMarket
{
    private readonly List<OptionContract> _contracts = [];
    private readonly Dictionary<OptionContract, int> _index = new();
    private Greeks[] _atMark = [], _atOracle = [];
    private readonly VolSurface _base;
    private readonly double _beta, _s0, _minVol;
    private double _mark, _oracle;

    public OptionMarket(VolSurface surface, double volSpotBeta, double initialSpot, double minVol)
    {
        _base = surface; _beta = volSpotBeta; _s0 = initialSpot; _minVol = minVol;
        _mark = _oracle = initialSpot;
        Surface = surface;
    }

    public IReadOnlyList<OptionContract> Contracts => _contracts;
    public DateTimeOffset Now { get; private set; }
    public VolSurface Surface { get; private set; }
    public double VolMultiplier { get; private set; } = 1;

    /// <summary>Lists a contract (once) and values it at the last refresh's mark and oracle.</summary>
    public int Register(OptionContract c)
    {
        if (_index.TryGetValue(c, out int i)) return i;
        _contracts.Add(c);
        i = _contracts.Count - 1;
        _index[c] = i;
        Array.Resize(ref _atMark, _contracts.Count);
        Array.Resize(ref _atOracle, _contracts.Count);
        _atMark[i] = Value(i, _mark);
        _atOracle[i] = Value(i, _oracle);
        return i;
    }

    /// <summary>Revalues every live contract at the block's time, mark and oracle.</summary>
    public void Refresh(DateTimeOffset now, double mark, double oracle)
    {
        Now = now; _mark = mark; _oracle = oracle;
        VolMultiplier = 1 + _beta * Math.Max(0, -Math.Log(oracle / _s0));
        Surface = SkewedSurface.Scaled(_base, VolMultiplier);
        if (_atMark.Length < _contracts.Count) { Array.Resize(ref _atMark, _contracts.Count); Array.Resize(ref _atOracle, _contracts.Count); }
        for (int i = 0; i < _contracts.Count; i++)
        {
            _atMark[i] = Value(i, mark);
            _atOracle[i] = Value(i, oracle);
        }
    }

    public bool IsLive(int i) => _contracts[i].Expiry > Now;
    public Greeks AtMark(int i) => _atMark[i];
    public Greeks AtOracle(int i) => _atOracle[i];

    /// <summary>Value and Greeks of contract i at spot s, now, on the current surface (expired: intrinsic, no Greeks).</summary>
    public Greeks Value(int i, double s) => Value(i, s, Now, Surface);

    public Greeks Value(int i, double s, DateTimeOffset now, VolSurface surface)
    {
        var c = _contracts[i];
        double t = (c.Expiry - now).TotalDays / 365.0;
        bool call = c.Type == OptionType.Call;
        if (t <= 0) return new Greeks(Math.Max(0, call ? s - c.Strike : c.Strike - s), 0, 0, 0, 0, 0, 0);
        double vol = Math.Max(_minVol, surface.ImpliedVol(Math.Log(c.Strike / s), t));
        return Black76.Greeks(c.Type, s, c.Strike, vol, t);
    }

    /// <summary>Payoff of one contract at settlement price s.</summary>
    public double Intrinsic(int i, double s)
    {
        var c = _contracts[i];
        return Math.Max(0, c.Type == OptionType.Call ? s - c.Strike : c.Strike - s);
    }
}
