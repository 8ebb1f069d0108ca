namespace DVV.ZkRisk.Risk;

/// <summary>PnL of a book in one IM scenario.</summary>
public sealed record ScenarioLine(int Index, Scenario Scenario, double Pnl, double WeightedLoss);

/// <summary>A book under one LSF shock: PnL, the IM/MM re-run from the shocked market, the liquidation decision.</summary>
/// <param name="Index">shock index s</param>
/// <param name="Shock">spot and vol shock</param>
/// <param name="Pnl">PnL_i(s), including coin collateral revaluation (USD)</param>
/// <param name="EquityAfter">equity + PnL_i(s)</param>
/// <param name="InitialMarginAfter">IM evaluated on the shocked market</param>
/// <param name="MaintenanceMarginAfter">MM_i(s) = ratio x IM_i(s)</param>
/// <param name="Liquidated">lam_is: EquityAfter &lt; MaintenanceMarginAfter</param>
public sealed record ShockLine(int Index, LsfShock Shock, double Pnl, double EquityAfter, double InitialMarginAfter, double MaintenanceMarginAfter, bool Liquidated);

/// <summary>Full initial-margin breakdown of one book (allocating; for notices, the CLI and tests).</summary>
public sealed record InitialMarginReport(TraderRisk Risk, IReadOnlyList<ScenarioLine> Scenarios, IReadOnlyList<ShockLine> Shocks);
