using System.Globalization;
using System.Text;

namespace DVV.ZkRisk.Vaults;

/// <summary>report.md of a study: what ran, the headline table (mean and the seeds' range), the vaults' PnL by source
/// for the first seed, and the charts.</summary>
public static class StudyReport
{
    private static string F(double v, string fmt) => v.ToString(fmt, CultureInfo.InvariantCulture);

    public static string Markdown(StudyResult r, IReadOnlyList<string> charts, double seconds)
    {
        var c = r.Config;
        var sb = new StringBuilder();
        sb.AppendLine($"# Contagion study: {c.Scenario.ToString().ToLowerInvariant()} scenario");
        sb.AppendLine();
        sb.AppendLine($"{c.Vaults} hedged {c.VaultStrategy.Label()} vaults of {F(c.VaultNavUsd / 1e6, "N1")} M USD{(c.UnhedgedVaults > 0 ? $" and {c.UnhedgedVaults} unhedged" : "")}, " +
                      $"{c.Traders} traders, depth {F(c.DepthCoins, "N0")} coins per {F(c.DepthMove * 100, "0.#")}%, {c.Blocks} blocks of {F(c.BlockSeconds, "0.##")} s, " +
                      $"time to liquidate {F(c.TimeToLiquidateSeconds, "0.#")} s (safe capital ratio {F(c.SafeCapitalRatio, "0.000")}), TWAP {F(c.TwapSeconds, "0.#")} s, " +
                      $"kappa {F(c.RiskParameters.Kappa, "0.##")}, P_max {F(c.RiskParameters.PMax, "0.##")}, alpha {F(c.RiskParameters.Alpha, "0.###")}. " +
                      $"Seeds {string.Join(", ", r.Seeds)}. Aggregates: {r.AggregatesDescription}. {r.Seeds.Count * r.Regimes.Count} runs in {F(seconds, "N1")} s.");
        sb.AppendLine();
        sb.AppendLine("| regime | peak forced coins/block | endogenous drawdown | vault losses (USD m) | safety-fund draw (USD m) | traders liquidated | vaults liquidated | vault contracts written | add-on at start (USD m) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int g = 0; g < r.Regimes.Count; g++)
        {
            string S(Func<RegimeHeadline, double> f, string fmt, double scale = 1)
            {
                var s = r.Stat(g, f);
                return r.Seeds.Count == 1 ? F(s.Mean * scale, fmt) : $"{F(s.Mean * scale, fmt)} ({F(s.Min * scale, fmt)}-{F(s.Max * scale, fmt)})";
            }
            sb.AppendLine($"| {r.Regimes[g].Label()} | {S(h => h.PeakForcedVolume, "N0")} | {S(h => h.EndogenousDrawdown * 100, "0.0")}% | {S(h => h.VaultLosses, "N1", 1e-6)} | " +
                          $"{S(h => h.SafetyFundDraw, "N2", 1e-6)} | {S(h => h.TradersLiquidated, "N0")} | {S(h => h.VaultsLiquidated, "N0")} | {S(h => h.VaultContractsWritten, "N0")} | {S(h => h.InitialAddOn, "N1", 1e-6)} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Vault PnL by source, seed {r.Seeds[0]}, all vaults summed (USD m):");
        sb.AppendLine();
        sb.AppendLine("| regime | premium | performance fees | options paid | perpetual variation | slippage | funding | liquidation fees | spot-move PnL (options + hedge) | 1/2 Gamma dS^2 |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in r.Runs[0])
        {
            double Sum(Func<VaultOutcome, double> f) => run.Vaults.Sum(f) / 1e6;
            sb.AppendLine($"| {run.Regime.Label()} | {F(Sum(v => v.Premium), "N2")} | {F(Sum(v => v.PerformanceFees), "N2")} | {F(Sum(v => v.OptionCashPaid), "N2")} | " +
                          $"{F(Sum(v => v.PerpVariation), "N2")} | {F(Sum(v => v.Slippage), "N2")} | {F(Sum(v => v.Funding), "N3")} | {F(Sum(v => v.LiquidationFees), "N2")} | " +
                          $"{F(Sum(v => v.GammaPnl), "N2")} | {F(Sum(v => v.HalfGammaDs2), "N2")} |");
        }
        sb.AppendLine();
        foreach (var chart in charts) sb.AppendLine($"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
        return sb.ToString();
    }
}
