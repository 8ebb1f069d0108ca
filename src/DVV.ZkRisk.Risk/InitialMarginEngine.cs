using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// SPAN-style initial margin by full revaluation (DESIGN.md 4), and the liquidation flags lam_is:
/// <code>
///   scan risk  = max(0, max_j weight_j x (-PnL_j))             over the 16 scenarios of ScenarioGrid
///   IM         = max(scan risk, ShortOptionMinimum x S x (short option contracts))   (InitialMarginRule "max")
///   MM         = MaintenanceRatio x IM                          (0.8)
///   lam_is     = 1  iff  equity + PnL_i(s) &lt; MM_i(s)             MM_i(s): the IM grid re-run on the market shocked by s
/// </code>
/// The short-option minimum is a floor, not an add-on: CME SPAN takes the larger of the scan risk and the
/// short-option minimum (CME, "SPAN methodology overview": the requirement is the greater of the risk and the
/// minimum), so a book whose scan risk already exceeds the minimum pays no more for it; the floor keeps a deep-OTM
/// short from ever margining at zero. Until issue 15 the two were added, which charged every short book the minimum on
/// top of its risk; parameter sets of that time (no initialMarginRule key) keep that rule so their epochs re-check.
/// Equity = USD collateral + coin collateral x S + mark-to-market of the positions; under a shock,
/// coin collateral is revalued at the shocked spot. IM scenarios revalue positions only.
/// The hot path (<see cref="Evaluate"/>) is one SIMD multiply-add of each position's risk array
/// into a stack buffer plus O(scenarios x shocks) comparisons; it allocates nothing.
/// </summary>
public sealed class InitialMarginEngine
{
    private readonly MarginContext _ctx;
    private readonly double[] _weights;
    private readonly double[] _shockSpotMultiplier;
    private readonly bool _maxRule;

    public InitialMarginEngine(MarginContext context)
    {
        _ctx = context ?? throw new ArgumentNullException(nameof(context));
        _weights = context.Scenarios.Scenarios.Select(s => s.Weight).ToArray();
        _shockSpotMultiplier = context.Shocks.Shocks.Select(s => 1 + s.SpotShock).ToArray();
        _maxRule = context.Parameters.InitialMarginRule == InitialMarginRules.Max;
    }

    public MarginContext Context => _ctx;

    /// <summary>IM, MM, equity and liquidation flags of a book. Allocation-free.</summary>
    [SkipLocalsInit]
    public TraderRisk Evaluate(ResolvedBook book)
    {
        Span<double> acc = _ctx.Stride <= 2048 ? stackalloc double[_ctx.Stride] : new double[_ctx.Stride];
        return Evaluate(book, acc);
    }

    /// <summary>As <see cref="Evaluate(ResolvedBook)"/>, leaving the book's summed risk array in <paramref name="acc"/>.</summary>
    public TraderRisk Evaluate(ResolvedBook book, Span<double> acc)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (!ReferenceEquals(book.Context, _ctx)) throw new RiskInputException("book was resolved against a different margin context");
        if (acc.Length < _ctx.Stride) throw new ArgumentException("accumulator shorter than the risk-array stride", nameof(acc));
        acc = acc[.._ctx.Stride];
        acc.Clear();

        var rows = _ctx.Rows;
        int stride = _ctx.Stride;
        var idx = book.Index;
        var q = book.Contracts;
        double equity = book.CollateralUsd + book.CollateralCoin * _ctx.Market.Spot;
        double shortOptions = 0;
        var value0 = _ctx.Value0;
        var isOption = _ctx.IsOption;
        for (int i = 0; i < idx.Length; i++)
        {
            int u = idx[i];
            double qi = q[i];
            equity += qi * value0[u];
            if (qi < 0 && isOption[u]) shortOptions -= qi;
            MultiplyAdd(qi, rows.AsSpan(u * stride, stride), acc);
        }

        var p = _ctx.Parameters;
        double spot = _ctx.Market.Spot;
        int n = _weights.Length;
        double scan = ScanRisk(acc[..n], out int worst);
        double som = p.ShortOptionMinimum * spot * shortOptions;
        double im = Combine(scan, som);
        double mm = p.MaintenanceRatio * im;

        uint mask = 0;
        int shocks = _shockSpotMultiplier.Length;
        for (int s = 0; s < shocks; s++)
        {
            int b = n + s * (n + 1);
            double m = _shockSpotMultiplier[s];
            double pnl = acc[b] + book.CollateralCoin * spot * (m - 1);
            double imS = Combine(ScanRisk(acc.Slice(b + 1, n), out _), p.ShortOptionMinimum * spot * m * shortOptions);
            if (equity + pnl < p.MaintenanceRatio * imS) mask |= 1u << s;
        }
        return new TraderRisk(im, mm, scan, som, equity, worst, new LiquidationFlags(mask, shocks));
    }

    /// <summary>Full breakdown per scenario and per shock (allocating).</summary>
    public InitialMarginReport Report(ResolvedBook book)
    {
        var acc = new double[_ctx.Stride];
        var risk = Evaluate(book, acc);
        var p = _ctx.Parameters;
        int n = _weights.Length;
        var scenarios = new List<ScenarioLine>(n);
        for (int j = 0; j < n; j++)
            scenarios.Add(new ScenarioLine(j, _ctx.Scenarios[j], acc[j], _weights[j] * -acc[j]));
        double shortOptions = 0;
        for (int i = 0; i < book.Index.Length; i++)
            if (book.Contracts[i] < 0 && _ctx.IsOption[book.Index[i]]) shortOptions -= book.Contracts[i];
        var shocks = new List<ShockLine>(_shockSpotMultiplier.Length);
        for (int s = 0; s < _shockSpotMultiplier.Length; s++)
        {
            int b = n + s * (n + 1);
            double m = _shockSpotMultiplier[s];
            double pnl = acc[b] + book.CollateralCoin * _ctx.Market.Spot * (m - 1);
            double imS = Combine(ScanRisk(acc.AsSpan(b + 1, n), out _), p.ShortOptionMinimum * _ctx.Market.Spot * m * shortOptions);
            double mmS = p.MaintenanceRatio * imS;
            shocks.Add(new ShockLine(s, _ctx.Shocks[s], pnl, risk.Equity + pnl, imS, mmS, risk.Flags[s]));
        }
        return new InitialMarginReport(risk, scenarios, shocks);
    }

    /// <summary>IM from its two parts under the parameter set's rule: the larger of scan risk and short-option minimum (SPAN),
    /// or their sum for a v1 parameter set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Combine(double scanRisk, double shortOptionMinimum) => _maxRule ? Math.Max(scanRisk, shortOptionMinimum) : scanRisk + shortOptionMinimum;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ScanRisk(ReadOnlySpan<double> pnl, out int worst)
    {
        double best = 0;
        worst = -1;
        var w = _weights;
        for (int j = 0; j < w.Length; j++)
        {
            double loss = -pnl[j] * w[j];
            if (loss > best) { best = loss; worst = j; }
        }
        return best;
    }

    /// <summary>acc += q * row, SIMD; both spans have the padded stride length (a multiple of 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAdd(double q, ReadOnlySpan<double> row, Span<double> acc)
    {
        if (Vector.IsHardwareAccelerated && row.Length % Vector<double>.Count == 0)
        {
            var vr = MemoryMarshal.Cast<double, Vector<double>>(row);
            var va = MemoryMarshal.Cast<double, Vector<double>>(acc);
            var vq = new Vector<double>(q);
            for (int i = 0; i < vr.Length; i++) va[i] += vq * vr[i];
        }
        else
        {
            for (int i = 0; i < row.Length; i++) acc[i] += q * row[i];
        }
    }
}
