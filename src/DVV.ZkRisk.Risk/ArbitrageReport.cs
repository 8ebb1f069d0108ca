using System.Globalization;
using System.Text;

namespace DVV.ZkRisk.Risk;

/// <summary>A log-moneyness interval of one slice where Durrleman's g(k) is negative (butterfly arbitrage).</summary>
/// <param name="ExpiryYears">slice expiry</param>
/// <param name="KFrom">first grid point of the interval</param>
/// <param name="KTo">last grid point of the interval</param>
/// <param name="MinG">most negative g(k) found</param>
/// <param name="KAtMin">where it was found</param>
public sealed record ButterflyViolation(double ExpiryYears, double KFrom, double KTo, double MinG, double KAtMin);

/// <summary>A log-moneyness interval where total variance decreases from one expiry to the next (calendar arbitrage).</summary>
/// <param name="EarlierExpiryYears">T1</param>
/// <param name="LaterExpiryYears">T2 &gt; T1</param>
/// <param name="KFrom">first grid point of the interval</param>
/// <param name="KTo">last grid point of the interval</param>
/// <param name="MaxDeficit">largest w(k, T1) - w(k, T2) found (&gt; 0)</param>
/// <param name="KAtMax">where it was found</param>
public sealed record CalendarViolation(double EarlierExpiryYears, double LaterExpiryYears, double KFrom, double KTo, double MaxDeficit, double KAtMax);

/// <summary>
/// Where a volatility surface admits static arbitrage on a log-moneyness grid: butterfly
/// (Durrleman g(k) &lt; 0 within a slice) and calendar (w(k, t) not increasing in t at fixed k,
/// Gatheral-Jacquier 2014 Lemma 2.1; k is forward log-moneyness, so this is the right test).
/// </summary>
public sealed class ArbitrageReport
{
    public ArbitrageReport(IReadOnlyList<ButterflyViolation> butterfly, IReadOnlyList<CalendarViolation> calendar, double kMin, double kMax, double kStep)
    {
        Butterfly = butterfly; Calendar = calendar; KMin = kMin; KMax = kMax; KStep = kStep;
    }

    public IReadOnlyList<ButterflyViolation> Butterfly { get; }
    public IReadOnlyList<CalendarViolation> Calendar { get; }
    public double KMin { get; }
    public double KMax { get; }
    public double KStep { get; }
    public bool IsArbitrageFree => Butterfly.Count == 0 && Calendar.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"arbitrage check on k in [{KMin:G4}, {KMax:G4}] step {KStep:G4}: ");
        if (IsArbitrageFree) return sb.Append("no arbitrage found").ToString();
        sb.AppendLine();
        foreach (var b in Butterfly)
            sb.AppendLine(string.Create(ci, $"  butterfly: T={b.ExpiryYears:G6} k in [{b.KFrom:F3}, {b.KTo:F3}] min g={b.MinG:G4} at k={b.KAtMin:F3}"));
        foreach (var c in Calendar)
            sb.AppendLine(string.Create(ci, $"  calendar: T={c.EarlierExpiryYears:G6} -> {c.LaterExpiryYears:G6} k in [{c.KFrom:F3}, {c.KTo:F3}] total variance falls by up to {c.MaxDeficit:G4} at k={c.KAtMax:F3}"));
        return sb.ToString().TrimEnd();
    }
}
