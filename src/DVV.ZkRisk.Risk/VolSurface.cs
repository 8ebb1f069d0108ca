namespace DVV.ZkRisk.Risk;

/// <summary>
/// Implied volatility surface: one raw SVI slice per listed expiry, interpolated linearly in total
/// variance across expiries at fixed forward log-moneyness k = ln(K/F_T):
/// <code>
///   w(k, t) = w_j(k) + (t - t_j)/(t_{j+1} - t_j) (w_{j+1}(k) - w_j(k))   for t_j &lt;= t &lt;= t_{j+1}
///   w(k, t) = w_1(k) t / t_1   before the first slice,   w_N(k) t / t_N   after the last
/// </code>
/// Linear interpolation of total variance keeps w increasing in t whenever the slices are
/// (no calendar arbitrage is introduced between slices), and the extrapolations keep the implied
/// vol of the nearest slice constant.
/// </summary>
public sealed class VolSurface
{
    private readonly SviSlice[] _slices;
    private readonly double[] _t;

    public VolSurface(IEnumerable<SviSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        _slices = slices.OrderBy(s => s.ExpiryYears).ToArray();
        if (_slices.Length == 0) throw new RiskInputException("a volatility surface needs at least one SVI slice");
        for (int i = 1; i < _slices.Length; i++)
            if (_slices[i].ExpiryYears == _slices[i - 1].ExpiryYears)
                throw new RiskInputException($"two SVI slices share the expiry T={RiskInputException.Fmt(_slices[i].ExpiryYears)}");
        _t = _slices.Select(s => s.ExpiryYears).ToArray();
    }

    /// <summary>A surface with the same Black vol everywhere (one flat slice).</summary>
    public static VolSurface Flat(double vol) => new(new[] { SviSlice.Flat(1.0, vol) });

    public IReadOnlyList<SviSlice> Slices => _slices;

    /// <summary>Total implied variance w(k, t).</summary>
    public double TotalVariance(double k, double t)
    {
        var s = _slices;
        if (t <= _t[0]) return s[0].TotalVariance(k) * (t / _t[0]);
        int last = s.Length - 1;
        if (t >= _t[last]) return s[last].TotalVariance(k) * (t / _t[last]);
        int j = Array.BinarySearch(_t, t);
        if (j >= 0) return s[j].TotalVariance(k);
        j = ~j - 1;                                   // t_j < t < t_{j+1}
        double x = (t - _t[j]) / (_t[j + 1] - _t[j]);
        double w0 = s[j].TotalVariance(k), w1 = s[j + 1].TotalVariance(k);
        return w0 + x * (w1 - w0);
    }

    /// <summary>Black implied vol sqrt(w(k, t)/t) at forward log-moneyness k and expiry t (years).</summary>
    public double ImpliedVol(double k, double t)
    {
        if (!(t > 0)) throw new RiskInputException($"implied vol needs t > 0 (got {RiskInputException.Fmt(t)})");
        return Math.Sqrt(Math.Max(TotalVariance(k, t), 0) / t);
    }

    /// <summary>
    /// Checks the surface for static arbitrage on the grid k = kMin, kMin + step, ..., kMax:
    /// butterfly (Durrleman g(k) &lt; -tolerance on a slice) and calendar (w(k, t_{j+1}) &lt;
    /// w(k, t_j) - tolerance between consecutive slices). Returns every violating interval.
    /// </summary>
    public ArbitrageReport CheckArbitrage(double kMin = -1.5, double kMax = 1.5, double step = 0.005, double tolerance = 1e-10)
    {
        if (!(kMax > kMin) || !(step > 0) || (kMax - kMin) / step > 1e6)
            throw new RiskInputException("arbitrage check needs kMin < kMax and a step > 0 giving at most 10^6 points");
        int n = (int)Math.Floor((kMax - kMin) / step + 1e-9) + 1;
        var butterfly = new List<ButterflyViolation>();
        var calendar = new List<CalendarViolation>();

        foreach (var s in _slices)
        {
            int runStart = -1; double minG = 0, kAt = 0;
            for (int i = 0; i <= n; i++)
            {
                double k = kMin + i * step;
                double g = i < n ? s.Durrleman(k) : double.PositiveInfinity;
                if (g < -tolerance)
                {
                    if (runStart < 0) { runStart = i; minG = g; kAt = k; }
                    else if (g < minG) { minG = g; kAt = k; }
                }
                else if (runStart >= 0)
                {
                    butterfly.Add(new ButterflyViolation(s.ExpiryYears, kMin + runStart * step, kMin + (i - 1) * step, minG, kAt));
                    runStart = -1;
                }
            }
        }

        for (int j = 0; j + 1 < _slices.Length; j++)
        {
            var s0 = _slices[j]; var s1 = _slices[j + 1];
            int runStart = -1; double maxDef = 0, kAt = 0;
            for (int i = 0; i <= n; i++)
            {
                double k = kMin + i * step;
                double deficit = i < n ? s0.TotalVariance(k) - s1.TotalVariance(k) : double.NegativeInfinity;
                if (deficit > tolerance)
                {
                    if (runStart < 0) { runStart = i; maxDef = deficit; kAt = k; }
                    else if (deficit > maxDef) { maxDef = deficit; kAt = k; }
                }
                else if (runStart >= 0)
                {
                    calendar.Add(new CalendarViolation(s0.ExpiryYears, s1.ExpiryYears, kMin + runStart * step, kMin + (i - 1) * step, maxDef, kAt));
                    runStart = -1;
                }
            }
        }
        return new ArbitrageReport(butterfly, calendar, kMin, kMax, step);
    }
}
