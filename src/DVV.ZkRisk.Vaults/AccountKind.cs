namespace DVV.ZkRisk.Vaults;

/// <summary>Who an account is. The first six are the world outside the venue's margined population: they take the
/// other side of trades and hold the cash that leaves the venue, so that value is conserved over the whole run.</summary>
public enum AccountKind
{
    /// <summary>End users who buy the options vaults and the herd write, and never hedge.</summary>
    OptionBuyers,
    /// <summary>The options dealer that takes over liquidated and bought-back options and delta-hedges them on the perpetual.</summary>
    Dealer,
    /// <summary>The perpetual book's liquidity providers: the other side of every perpetual trade.</summary>
    BookLiquidity,
    SafetyFund,
    /// <summary>Receives the vaults' performance fees.</summary>
    Stakers,
    /// <summary>The vault depositors' wallets (deposits come from here, withdrawals go here).</summary>
    Depositors,
    /// <summary>Pushes the mark in the manipulation scenario.</summary>
    Manipulator,
    Vault,
    /// <summary>Levered traders that all sell the same out-of-the-money puts.</summary>
    Herd,
    /// <summary>Levered long perpetual positions.</summary>
    LeveredLong,
    /// <summary>Mixed, well-collateralised books.</summary>
    Hedger,
}
