using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using ScottPlot;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// The LSF curve of a verified epoch (DESIGN.md 4, risk-model.md): per shock s the forced volume V(s) in coins from the
/// proven aggregates (published cells plus the proven remainder of the withheld ones), the impact I(s) = V(s) / D, and the
/// multiplier P(I) = min(P_max, exp(kappa_eff I) - 1); drawn as two SVG charts (ScottPlot) that read without colour: V(s)
/// as bars, I(s) as a dashed line with markers, P(I) as the curve with each shock's point on it. The page shows the same
/// numbers in a table beside them.
/// </summary>
internal sealed class LsfCurve
{
    private LsfCurve(VerifiedEpoch v, CavbBreakdown b) { Epoch = v; Breakdown = b; }

    public VerifiedEpoch Epoch { get; }
    public CavbBreakdown Breakdown { get; }

    /// <summary>The crowd's curve, as a trader with no position of its own sees it.</summary>
    public static LsfCurve Of(VerifiedEpoch v)
    {
        var engine = new CavbEngine(MarginContext.ForBooks(v.RiskParameters, v.Market, []));
        var none = new TraderOwnData(BandExposure.Zero(v.Context.BandCount), LiquidationFlags.None(v.RiskParameters.ShockCount));
        return new LsfCurve(v, engine.Explain(v.Aggregates, none));
    }

    /// <summary>V(s) (bars, left axis, coins) and I(s) (dashed line, right axis) against the spot shock.</summary>
    public string VolumeSvg(int width = 720, int height = 360)
    {
        var lines = Breakdown.Lines;
        var plt = new Plot();
        double[] xs = lines.Select(l => l.Shock.SpotShock * 100).ToArray();
        var bars = plt.Add.Bars(xs, lines.Select(l => l.ForcedVolume).ToArray());
        foreach (var bar in bars.Bars) { bar.Size = 3.5; bar.FillColor = new Color("#4a6fa5"); bar.LineColor = Colors.Black; bar.LineWidth = 1; }
        bars.LegendText = "V(s), coins (left axis)";
        var impact = plt.Add.Scatter(xs, lines.Select(l => l.Impact).ToArray());
        impact.Axes.YAxis = plt.Axes.Right;
        impact.LinePattern = LinePattern.Dashed; impact.LineWidth = 2; impact.MarkerSize = 7; impact.MarkerShape = MarkerShape.OpenCircle;
        impact.Color = Colors.Black;
        impact.LegendText = "I(s) = V(s) / D (right axis)";
        plt.Title($"Epoch {Epoch.Epoch}: forced volume V(s) and impact I(s) per shock");
        plt.XLabel("spot shock (%)");
        plt.YLabel("V(s), coins");
        plt.Axes.Right.Label.Text = $"I(s), D = {Epoch.Market.DepthCoins:0.##} coins";
        plt.Axes.Margins(bottom: 0);
        plt.ShowLegend(Alignment.UpperCenter);
        return plt.GetSvgXml(width, height);
    }

    /// <summary>The multiplier curve P(I) with each shock's (I(s), P(I(s))) on it.</summary>
    public string MultiplierSvg(int width = 720, int height = 360)
    {
        var lines = Breakdown.Lines;
        double pMax = Epoch.RiskParameters.PMax, kappa = Breakdown.KappaEffective;
        // P reaches P_max at I* = ln(1 + P_max) / kappa_eff; the x range shows the epoch's points spread out, and the
        // saturation when it is near them
        double saturation = double.IsFinite(kappa) && kappa > 0 ? Math.Log(1 + pMax) / kappa : double.PositiveInfinity;
        double iMax = Math.Min(saturation * 1.15, Math.Max(lines.Max(l => l.Impact) * 4, 0.1 * saturation));
        if (!(iMax > 0) || double.IsInfinity(iMax)) iMax = Math.Max(1e-6, lines.Max(l => l.Impact) * 4);
        const int n = 200;
        double[] ix = Enumerable.Range(0, n + 1).Select(k => iMax * k / n).ToArray();
        double[] py = ix.Select(i => double.IsPositiveInfinity(kappa) ? (i > 0 ? pMax : 0) : Math.Min(pMax, Math.Exp(kappa * i) - 1)).ToArray();
        var plt = new Plot();
        var curve = plt.Add.Scatter(ix, py);
        curve.MarkerSize = 0; curve.LineWidth = 2; curve.Color = Colors.Black;
        curve.LegendText = double.IsFinite(saturation)
            ? $"P(I) = min(P_max, exp(kappa_eff I) - 1), P_max = {pMax:0.##} from I = {saturation:0.###}"
            : $"P(I) = P_max = {pMax:0.##} for any I > 0 (no clearing fund)";
        var pts = plt.Add.Scatter(lines.Select(l => l.Impact).ToArray(), lines.Select(l => l.Multiplier).ToArray());
        pts.LineWidth = 0; pts.MarkerSize = 9; pts.MarkerShape = MarkerShape.FilledSquare; pts.Color = new Color("#4a6fa5");
        pts.LegendText = "the epoch's shocks (I(s), P(I(s)))";
        plt.Title($"Epoch {Epoch.Epoch}: liquidation-spiral multiplier P(I)");
        plt.XLabel("impact I = V / D");
        plt.YLabel("P(I)");
        plt.ShowLegend(Alignment.UpperLeft);
        return plt.GetSvgXml(width, height);
    }
}
