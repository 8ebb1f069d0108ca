namespace DVV.ZkRisk.Risk;

/// <summary>
/// The bounds every book file must keep (issue 17 item 7). A venue values every live book each epoch and the trader
/// commits u64 band exposures: a book inside these bounds cannot overflow any later computation (the u64 band sums in
/// contracts x 10^4, the IM grid's doubles, the collateral sums of a cluster), so the gateway can refuse the rest at the
/// door and no accepted book can stop a seal.
/// </summary>
public static class BookLimits
{
    /// <summary>Positions per account.</summary>
    public const int MaxPositions = 10_000;
    /// <summary>Sum of |size| over an account, in contracts: 10^13 units of 10^-4, far below 2^64.</summary>
    public const double MaxTotalContracts = 1e9;
    /// <summary>USD collateral of an account.</summary>
    public const double MaxCollateralUsd = 1e15;
    /// <summary>Coin collateral of an account.</summary>
    public const double MaxCollateralCoin = 1e12;
    /// <summary>Option strike, USD.</summary>
    public const double MaxStrike = 1e12;
}
