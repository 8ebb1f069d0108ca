namespace DVV.ZkRisk.Risk;

/// <summary>Historical VaR and expected shortfall of one book (USD, losses positive).</summary>
/// <param name="ValueAtRisk">the k-th largest loss, k = ceil((1 - confidence) N), floored at 0</param>
/// <param name="ExpectedShortfall">mean of the k largest losses, floored at 0</param>
/// <param name="Scenarios">N, the number of historical scenarios</param>
/// <param name="WorstScenario">index of the largest loss</param>
public readonly record struct HistoricalVarResult(double ValueAtRisk, double ExpectedShortfall, int Scenarios, int WorstScenario);

/// <summary>
/// Historical-simulation VaR, the optional alternative IM measure of DESIGN.md 4 ("a historical
/// 99% VaR mode is a plus"): every day of a history of spot returns and vol changes is replayed on
/// today's market by full Black-76 revaluation of every instrument (same valuation as the SPAN grid:
/// sticky moneyness, inverse contracts in USD at the shocked spot), and the book's loss quantile
/// is read off the empirical distribution:
/// <code>
///   L_k = -Sum_u q_u (V_u(day k) - V_u(today)),   VaR_c = k-th largest L, k = ceil((1 - c) N),
///   ES_c = mean of the k largest L
/// </code>
/// One day's move, no time decay, positions only (collateral is not revalued). The engine is
/// separate from <see cref="InitialMarginEngine"/>; it is not yet selectable through the parameter
/// set, so the published IM remains the SPAN-style grid.
/// </summary>
public sealed class HistoricalVarEngine
{
    private readonly MarginContext _ctx;
    private readonly double[] _pnl;   // [u * N + k]
    private readonly int _n;

    public HistoricalVarEngine(MarginContext context, IReadOnlyList<HistoricalScenario> history, double confidence = 0.99)
    {
        _ctx = context ?? throw new ArgumentNullException(nameof(context));
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new RiskInputException("historical VaR needs at least one scenario");
        if (!(confidence > 0 && confidence < 1)) throw new RiskInputException($"confidence must lie in (0, 1) (got {RiskInputException.Fmt(confidence)})");
        foreach (var h in history)
        {
            if (!double.IsFinite(h.SpotReturn) || h.SpotReturn <= -1) throw new RiskInputException("historical spot returns must be finite and > -100%");
            if (!double.IsFinite(h.VolChange) || h.VolChange <= -1) throw new RiskInputException("historical vol changes must be finite and > -100%");
        }
        Confidence = confidence;
        _n = history.Count;
        Tail = Math.Max(1, (int)Math.Ceiling((1 - confidence) * _n - 1e-9));
        _pnl = new double[context.Instruments.Count * _n];
        for (int u = 0; u < context.Instruments.Count; u++)
        {
            var ins = context.Instruments[u];
            double v0 = context.Value0[u];
            for (int k = 0; k < _n; k++)
                _pnl[u * _n + k] = context.Value(ins, 1 + history[k].SpotReturn, 1 + history[k].VolChange, -1) - v0;
        }
    }

    public double Confidence { get; }
    /// <summary>k = ceil((1 - confidence) N): how many of the largest losses define VaR and ES.</summary>
    public int Tail { get; }

    public HistoricalVarResult Compute(ResolvedBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (!ReferenceEquals(book.Context, _ctx)) throw new RiskInputException("book was resolved against a different margin context");
        var loss = new double[_n];
        for (int i = 0; i < book.Index.Length; i++)
        {
            double q = book.Contracts[i];
            var row = _pnl.AsSpan(book.Index[i] * _n, _n);
            for (int k = 0; k < _n; k++) loss[k] -= q * row[k];
        }
        int worst = 0;
        for (int k = 1; k < _n; k++) if (loss[k] > loss[worst]) worst = k;
        Array.Sort(loss);                       // ascending: the largest losses are at the end
        double sum = 0;
        for (int j = 0; j < Tail; j++) sum += loss[_n - 1 - j];
        return new HistoricalVarResult(Math.Max(0, loss[_n - Tail]), Math.Max(0, sum / Tail), _n, worst);
    }
}
