using System.Globalization;

namespace DVV.ZkRisk.Risk;

/// <summary>One SPAN-style scenario: a relative price move, a vol direction and the weight of its loss.</summary>
/// <param name="PriceMove">relative move of spot and every forward, e.g. -0.10</param>
/// <param name="VolDirection">+1 vol up, -1 vol down, 0 unchanged</param>
/// <param name="Weight">fraction of the loss that counts (1, or 0.35 for the extreme moves)</param>
/// <param name="Label">e.g. "-2/3 range, vol up"</param>
public readonly record struct Scenario(double PriceMove, int VolDirection, double Weight, string Label);

/// <summary>
/// The initial-margin scenario grid of DESIGN.md 4 (after CME SPAN's 16 risk-array scenarios):
/// price moves 0, +-1/3, +-2/3, +-1 of the scan range, each with vol up and vol down (14), plus
/// two extreme moves of +-ExtremeMoveMultiple x range with vol unchanged whose loss counts at
/// ExtremeMoveWeight (35%). Vol shocks are relative and scaled per expiry:
/// <code>
///   scale(T) = (VegaReferenceDays / max(DTE, MinDteDays))^p
///   up:   sigma' = sigma (1 + VolScanUp scale(T))
///   down: sigma' = sigma max(VolScanFloor, 1 - VolScanDown scale(T))
/// </code>
/// so a 1-day option's vol moves (30/1)^0.3 = 2.8 times as much as a 30-day option's, as short-dated
/// implied vol does.
/// </summary>
public sealed class ScenarioGrid
{
    private readonly Scenario[] _scenarios;
    private readonly ParameterSet _p;

    public ScenarioGrid(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _p = parameters;
        double r = parameters.PriceScanRange;
        var list = new List<Scenario>(16);
        (double f, string name)[] moves = { (0, "0"), (1.0 / 3, "+1/3"), (-1.0 / 3, "-1/3"), (2.0 / 3, "+2/3"), (-2.0 / 3, "-2/3"), (1, "+1"), (-1, "-1") };
        foreach (var (f, name) in moves)
        {
            list.Add(new Scenario(f * r, +1, 1.0, $"{name} range, vol up"));
            list.Add(new Scenario(f * r, -1, 1.0, $"{name} range, vol down"));
        }
        double x = parameters.ExtremeMoveMultiple;
        string xs = x.ToString("G", CultureInfo.InvariantCulture);
        list.Add(new Scenario(x * r, 0, parameters.ExtremeMoveWeight, $"+{xs}x range extreme"));
        list.Add(new Scenario(-x * r, 0, parameters.ExtremeMoveWeight, $"-{xs}x range extreme"));
        _scenarios = list.ToArray();
    }

    public int Count => _scenarios.Length;
    public Scenario this[int i] => _scenarios[i];
    public IReadOnlyList<Scenario> Scenarios => _scenarios;

    /// <summary>scale(T) = (ref / max(DTE, min))^p.</summary>
    public double VolShockScale(double daysToExpiry) =>
        Math.Pow(_p.VegaReferenceDays / Math.Max(daysToExpiry, _p.MinDteDays), _p.VegaPower);

    /// <summary>Multiplier applied to an option's vol in scenario <paramref name="i"/> for its days to expiry.</summary>
    public double VolMultiplier(int i, double daysToExpiry)
    {
        int dir = _scenarios[i].VolDirection;
        if (dir == 0) return 1.0;
        double scale = VolShockScale(daysToExpiry);
        return dir > 0 ? 1 + _p.VolScanUp * scale : Math.Max(_p.VolScanFloor, 1 - _p.VolScanDown * scale);
    }
}
