namespace DVV.ZkRisk.Risk;

/// <summary>
/// One historical day replayed on today's market: spot and every forward move by
/// <paramref name="SpotReturn"/>, every implied vol by <paramref name="VolChange"/> (relative).
/// </summary>
public readonly record struct HistoricalScenario(double SpotReturn, double VolChange)
{
    /// <summary>
    /// Daily scenarios from a history of closing spots and ATM implied vols (oldest first):
    /// r_t = S_t / S_{t-1} - 1, dv_t = sigma_t / sigma_{t-1} - 1.
    /// </summary>
    public static IReadOnlyList<HistoricalScenario> FromSeries(IReadOnlyList<double> spots, IReadOnlyList<double> atmVols)
    {
        ArgumentNullException.ThrowIfNull(spots);
        ArgumentNullException.ThrowIfNull(atmVols);
        if (spots.Count != atmVols.Count) throw new RiskInputException($"history has {spots.Count} spots but {atmVols.Count} vols");
        if (spots.Count < 2) throw new RiskInputException("history needs at least two observations");
        var list = new HistoricalScenario[spots.Count - 1];
        for (int t = 0; t < spots.Count; t++)
        {
            RiskInputException.RequirePositive(spots[t], $"historical spot #{t}");
            RiskInputException.RequirePositive(atmVols[t], $"historical vol #{t}");
            if (t > 0) list[t - 1] = new HistoricalScenario(spots[t] / spots[t - 1] - 1, atmVols[t] / atmVols[t - 1] - 1);
        }
        return list;
    }
}
