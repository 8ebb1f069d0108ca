namespace DVV.ZkRisk.Vaults;

/// <summary>How the venue margins the population in a run. The same seed runs under each regime.</summary>
public enum MarginRegime
{
    /// <summary>SPAN-style initial margin only.</summary>
    ImOnly,
    /// <summary>IM plus the Contagion-Adjusted Volatility Buffer, recomputed each epoch from the population's aggregates.</summary>
    ImPlusCavb,
    /// <summary>IM plus a linear open-interest add-on (an increasing initial-margin fraction in the account's own short size, as dYdX's).</summary>
    ImPlusLinearOi,
}

public static class MarginRegimes
{
    public static IReadOnlyList<MarginRegime> All { get; } = [MarginRegime.ImOnly, MarginRegime.ImPlusCavb, MarginRegime.ImPlusLinearOi];

    /// <summary>The regime's name in reports and JSON: im-only, im+cavb, im+linear-oi.</summary>
    public static string Label(this MarginRegime r) => r switch
    {
        MarginRegime.ImOnly => "im-only",
        MarginRegime.ImPlusCavb => "im+cavb",
        MarginRegime.ImPlusLinearOi => "im+linear-oi",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static bool TryParse(string label, out MarginRegime regime)
    {
        foreach (var r in All)
            if (string.Equals(r.Label(), label, StringComparison.OrdinalIgnoreCase)) { regime = r; return true; }
        regime = default;
        return false;
    }
}
