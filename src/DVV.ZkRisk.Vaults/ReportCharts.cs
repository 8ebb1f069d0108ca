using ScottPlot;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// PNG charts of a study (ScottPlot 5): one line per regime on the first seed's run: price path (with the exogenous
/// path), forced perpetual volume per block, total vault NAV, safety fund, and the population's margin requirement.
/// Sweeps get one chart per headline figure against the swept parameter. Lines differ by pattern as well as colour,
/// so the charts read in grey.
/// </summary>
public static class ReportCharts
{
    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>Writes the five charts into <paramref name="dir"/>; returns their file names.</summary>
    public static IReadOnlyList<string> Write(StudyResult r, string dir)
    {
        Directory.CreateDirectory(dir);
        var runs = r.Runs[0];
        double bt = r.Config.BlockSeconds;
        var files = new List<string>();
        void Chart(string file, string title, string y, Func<RegimeSeries, double[]> series, double scale = 1, double[]? reference = null, string? refLabel = null)
        {
            var plt = new Plot();
            if (reference != null)
            {
                var s = plt.Add.Signal(reference.Select(v => v * scale).ToArray());
                s.LegendText = refLabel ?? "reference"; s.Color = Colors.Gray; s.LineWidth = 2; s.LinePattern = LinePattern.Dotted;
            }
            for (int g = 0; g < runs.Count; g++)
            {
                var s = plt.Add.Signal(series(runs[g].Series).Select(v => v * scale).ToArray());
                s.LegendText = runs[g].Regime.Label();
                s.LineWidth = 2;
                s.LinePattern = Patterns[g % Patterns.Length];
                s.Color = Palette[g % Palette.Length];
            }
            plt.Title(title);
            plt.XLabel($"block ({bt:0.##} s each)");
            plt.YLabel(y);
            plt.ShowLegend(Alignment.LowerLeft);
            plt.SavePng(Path.Combine(dir, file), 1000, 480);
            files.Add(file);
        }
        string seed = $"seed {r.Seeds[0]}";
        Chart("price.png", $"Mark price per regime and the exogenous path ({seed})", "USD per coin", s => s.Mark, 1, r.Paths[0].Prices.ToArray(), "exogenous");
        Chart("forced-volume.png", $"Forced perpetual volume per block: liquidations, dealer and vault hedges ({seed})", "coins per block", s => s.ForcedVolume);
        Chart("vault-nav.png", $"Total NAV of the vaults ({seed})", "USD million", s => s.VaultNav, 1e-6);
        Chart("safety-fund.png", $"Safety fund ({seed})", "USD million", s => s.SafetyFund, 1e-6);
        Chart("margin.png", $"Population's margin requirement, IM + add-on, per epoch ({seed})", "USD million", s => s.Requirement, 1e-6);
        return files;
    }

    /// <summary>One chart of a headline figure (mean over seeds, with min-max bars) against a swept parameter, a line per regime.</summary>
    public static void WriteSweep(IReadOnlyList<(double X, StudyResult Result)> points, string parameter, string figureName,
                                  Func<RegimeHeadline, double> figure, string yLabel, string path, double scale = 1)
    {
        var plt = new Plot();
        var regimes = points[0].Result.Regimes;
        for (int g = 0; g < regimes.Count; g++)
        {
            double[] xs = points.Select(p => p.X).ToArray();
            var stats = points.Select(p => p.Result.Stat(g, figure)).ToArray();
            var sc = plt.Add.Scatter(xs, stats.Select(s => s.Mean * scale).ToArray());
            sc.LegendText = regimes[g].Label();
            sc.LineWidth = 2; sc.MarkerSize = 8;
            sc.LinePattern = Patterns[g % Patterns.Length];
            sc.Color = Palette[g % Palette.Length];
            for (int i = 0; i < xs.Length; i++)   // the seeds' range as a vertical bar at each point
            {
                var bar = plt.Add.Line(xs[i], stats[i].Min * scale, xs[i], stats[i].Max * scale);
                bar.Color = Palette[g % Palette.Length];
                bar.LineWidth = 1;
            }
        }
        plt.Title($"{figureName} against {parameter} (mean, min-max over seeds)");
        plt.XLabel(parameter);
        plt.YLabel(yLabel);
        plt.ShowLegend(Alignment.UpperLeft);
        plt.SavePng(path, 900, 480);
    }

    private static readonly Color[] Palette = [new("#1f77b4"), new("#d62728"), new("#2ca02c"), new("#9467bd")];
}
