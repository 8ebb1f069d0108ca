namespace DVV.ZkRisk.Vaults;

/// <summary>The sensitivity sweeps of issue 14: one parameter varied around the headline configuration, everything else
/// (seeds included) fixed.</summary>
public static class SensitivitySweep
{
    public static IReadOnlyList<string> Names { get; } = ["vaults", "depth", "block-time", "kappa", "pmax"];

    /// <summary>The swept values and the configuration of each point.</summary>
    public static IReadOnlyList<(double X, SimulationConfig Config)> Points(string name, SimulationConfig c) => name switch
    {
        "vaults" => new double[] { 1, 5, 10, 20 }.Select(x => (x, c with { Vaults = (int)x })).ToArray(),
        "depth" => new double[] { 200, 400, 800, 1600 }.Select(x => (x, c with { DepthCoins = x })).ToArray(),
        "block-time" => new double[] { 1, 2, 12 }.Select(x => (x, c with { BlockSeconds = x })).ToArray(),
        "kappa" => new double[] { 0.25, 0.5, 1, 2, 4 }.Select(x => (x, c with { RiskParameters = c.RiskParameters with { Kappa = x } })).ToArray(),
        "pmax" => new double[] { 1, 2, 5, 10 }.Select(x => (x, c with { RiskParameters = c.RiskParameters with { PMax = x } })).ToArray(),
        _ => throw new ArgumentException($"unknown sweep '{name}' ({string.Join(", ", Names)})"),
    };

    /// <summary>The parameter's label on a chart axis.</summary>
    public static string Axis(string name) => name switch
    {
        "vaults" => "identical hedged vaults",
        "depth" => "book depth D (coins per 2%)",
        "block-time" => "block time (s)",
        "kappa" => "CAVB kappa",
        "pmax" => "CAVB cap P_max",
        _ => name,
    };
}
