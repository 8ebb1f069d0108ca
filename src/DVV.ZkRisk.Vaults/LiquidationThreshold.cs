namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The vaults' liquidation threshold engine:
/// <code>
///   capital adequacy = available collateral / potential maximum loss on the IM grid (+ the venue's add-on, which it must post)
///   safe limit       = 1 + k sqrt(T_liq / 60 s),   T_liq = block time x blocks to finality + liquidation window
/// </code>
/// The square root is the diffusion of the price over the time it takes to get out: the longer a liquidation takes to
/// land, the more capital a vault must hold per unit of worst loss. Below the safe limit the vault deleverages: it buys
/// back options so that its adequacy returns to the safe limit times (1 + headroom), the level it writes at.
/// </summary>
internal sealed class LiquidationThreshold(double safeLimit, double headroom)
{
    public double SafeLimit { get; } = safeLimit;
    public double TargetAdequacy { get; } = safeLimit * (1 + headroom);

    public static double Adequacy(double equity, double requirement) =>
        requirement > 0 ? Math.Max(0, equity) / requirement : double.PositiveInfinity;

    /// <summary>The fraction of the options to keep (1: no deleveraging). The requirement is close to linear in the size,
    /// so keeping adequacy / target restores the target.</summary>
    public double KeepFraction(double equity, double requirement)
    {
        double a = Adequacy(equity, requirement);
        if (a >= SafeLimit) return 1;
        return Math.Clamp(a / TargetAdequacy, 0, 1);
    }
}
