namespace DVV.ZkRisk.Vaults;

/// <summary>
/// A decentralized volatility vault: pooled collateral owned by depositors through shares, NAV per share = NAV / shares.
/// Each round it writes options (<see cref="VaultStrategy"/>) to the option buyers for premium, pays the performance
/// fee on that premium to the stakers, and (hedged strategies) keeps its net delta in the band through
/// <see cref="DeltaHedger"/>. Its PnL is recorded by source so that the attribution can be checked against the NAV:
/// <code>
///   NAV_end - NAV_0 = premium - performance fees - option buybacks and settlements + option value change
///                     + perpetual variation - slippage - funding - liquidation fees + deposits - withdrawals
/// </code>
/// </summary>
internal sealed class Vault(SimAccount account, VaultStrategy strategy, double shares)
{
    public SimAccount Account { get; } = account;
    public VaultStrategy Strategy { get; } = strategy;
    public double Shares { get; set; } = shares;
    public int LastRehedgeBlock { get; set; } = -1;
    public double InitialNav { get; set; }

    // attribution (USD, cumulative)
    public double Premium { get; set; }
    public double PerformanceFees { get; set; }
    public double OptionCashPaid { get; set; }      // buybacks, settlements, liquidation closes
    public double PerpVariation { get; set; }
    public double Slippage { get; set; }            // perpetual fills vs mark, and the dealer's option spread
    public double Funding { get; set; }
    public double LiquidationFees { get; set; }
    public double Deposits { get; set; }
    public double Withdrawals { get; set; }
    public double SafetyFundCover { get; set; }
    /// <summary>Spot-move PnL of options plus hedge at fixed time and vol, per block: the gamma-scalping PnL (about 1/2 Gamma dS^2 when hedged).</summary>
    public double GammaPnl { get; set; }
    /// <summary>1/2 Gamma dS^2 summed over blocks, Gamma at the block's start (the textbook estimate the tests compare with).</summary>
    public double HalfGammaDs2 { get; set; }
    public double ThetaPnl { get; set; }
    public double ContractsWritten { get; set; }
    public double ContractsBoughtBack { get; set; }
    public int Rehedges { get; set; }
    public double MaxAbsDeltaAfterHedge { get; set; }

    public bool IsHedged => Strategy.IsHedged();
}
