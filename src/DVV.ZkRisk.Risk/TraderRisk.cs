namespace DVV.ZkRisk.Risk;

/// <summary>
/// Per-trader output of <see cref="InitialMarginEngine.Evaluate"/> (a struct: the hot path
/// allocates nothing).
/// </summary>
/// <param name="InitialMargin">IM = max(scan risk, short-option minimum) (USD), as SPAN combines them</param>
/// <param name="MaintenanceMargin">MM = maintenance ratio x IM</param>
/// <param name="ScanRisk">max(0, worst weighted scenario loss)</param>
/// <param name="ShortOptionCharge">short-option minimum: fraction x spot x short option contracts</param>
/// <param name="Equity">collateral (coin at spot) + mark-to-market of the positions, USD</param>
/// <param name="WorstScenario">index of the scenario that set the scan risk (-1 if no loss)</param>
/// <param name="Flags">lam_is over the LSF shocks</param>
public readonly record struct TraderRisk(
    double InitialMargin,
    double MaintenanceMargin,
    double ScanRisk,
    double ShortOptionCharge,
    double Equity,
    int WorstScenario,
    LiquidationFlags Flags);
