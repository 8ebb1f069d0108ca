namespace DVV.ZkRisk.Risk;

/// <summary>
/// Price and sensitivities of one contract, all partial derivatives of the price in the contract's
/// own currency (USD for linear, coin for inverse) with respect to the forward F, the Black
/// volatility sigma and time to expiry T, rate held fixed:
/// Delta = dV/dF, Gamma = d2V/dF2, Vega = dV/dsigma (per 1.00 of vol, not per vol point),
/// Theta = -dV/dT (per year; divide by 365 for a calendar day), Vanna = d2V/dF dsigma,
/// Volga = d2V/dsigma2.
/// </summary>
public readonly record struct Greeks(double Price, double Delta, double Gamma, double Vega, double Theta, double Vanna, double Volga);
