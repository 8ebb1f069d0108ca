namespace DVV.ZkRisk.Risk;

/// <summary>
/// How a contract pays. <see cref="Linear"/>: USD payoff per coin of notional (a USDC-settled option,
/// a linear perpetual). <see cref="Inverse"/>: coin-settled, the USD payoff divided by the
/// underlying price (a Deribit-style BTC option pays (S_T - K)^+ / S_T coins; its price is quoted in
/// coins and equals the linear Black-76 price divided by the forward of that expiry).
/// </summary>
public enum SettlementConvention
{
    Linear,
    Inverse,
}
