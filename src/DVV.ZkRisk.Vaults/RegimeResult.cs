namespace DVV.ZkRisk.Vaults;

/// <summary>The headline figures of one regime's run (what `dvv-zk simulate --json` prints per regime).</summary>
/// <param name="PeakForcedVolume">largest forced perpetual volume in one block, coins: venue liquidations' perpetual closes, the
/// dealer's hedges of the options it took over, and the vaults' delta rehedges (every trade a risk rule required)</param>
/// <param name="EndogenousDrawdown">maximum drawdown of the mark minus that of the exogenous path (fraction of price): the part of
/// the fall that the market's own forced flows added</param>
/// <param name="VaultLosses">sum over vaults of max(0, NAV_0 + deposits - withdrawals - NAV_end), USD</param>
/// <param name="SafetyFundDraw">shortfalls of liquidated accounts the safety fund covered, USD</param>
/// <param name="TradersLiquidated">non-vault accounts liquidated</param>
public sealed record RegimeHeadline(
    double PeakForcedVolume,
    double EndogenousDrawdown,
    double VaultLosses,
    double SafetyFundDraw,
    int TradersLiquidated,
    int VaultsLiquidated,
    double ForcedVolumeTotal,
    double HedgeVolumeTotal,
    double LiquidationVolumeTotal,
    double DealerVolumeTotal,
    double MarkDrawdown,
    double ExogenousDrawdown,
    double VaultContractsWritten,
    double HerdContracts,
    double LeveredLongCoins,
    double InitialRequirement,
    double InitialAddOn,
    double PremiumIncome,
    double VaultGammaPnl,
    double VaultHalfGammaDs2,
    double MaxAbsVaultDeltaAfterHedge,
    double ContractsBoughtBack,
    int EpochsMargined,
    double LiquidationFeesTotal,
    double SafetyFundEnd);

/// <summary>Per-block series of one regime's run (the charts).</summary>
public sealed class RegimeSeries(int blocks)
{
    public double[] Mark { get; } = new double[blocks + 1];
    public double[] Oracle { get; } = new double[blocks + 1];
    public double[] ForcedVolume { get; } = new double[blocks + 1];
    public double[] HedgeVolume { get; } = new double[blocks + 1];
    public double[] VaultNav { get; } = new double[blocks + 1];
    public double[] SafetyFund { get; } = new double[blocks + 1];
    /// <summary>Total venue requirement (IM + add-on) of the population, set at each epoch and carried between them.</summary>
    public double[] Requirement { get; } = new double[blocks + 1];
    public double[] AddOn { get; } = new double[blocks + 1];
    public int[] Liquidations { get; } = new int[blocks + 1];
}

/// <summary>One regime's run: the headline, the series, the vaults' end state.</summary>
public sealed record RegimeResult(MarginRegime Regime, RegimeHeadline Headline, RegimeSeries Series, IReadOnlyList<VaultOutcome> Vaults, IReadOnlyList<EpochMargin> Epochs);

/// <summary>A vault at the end of a run, with its PnL by source (USD).</summary>
public sealed record VaultOutcome(string Name, string Strategy, double InitialNav, double FinalNav, double NavPerShare, bool Liquidated,
    double Premium, double PerformanceFees, double OptionCashPaid, double PerpVariation, double Slippage, double Funding,
    double LiquidationFees, double Deposits, double Withdrawals, double SafetyFundCover, double GammaPnl, double HalfGammaDs2,
    double ThetaPnl, double ContractsWritten, double ContractsBoughtBack, int Rehedges, double MaxAbsDeltaAfterHedge, double CashChange);
