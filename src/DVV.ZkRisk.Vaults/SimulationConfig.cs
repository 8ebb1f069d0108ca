using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>The exogenous scenario a run follows (the fundamental price path; see <see cref="ExogenousPath"/>).</summary>
public enum Scenario
{
    /// <summary>GBM with jumps, then a scripted crash of <see cref="SimulationConfig.CrashMove"/> over <see cref="SimulationConfig.CrashSeconds"/>.</summary>
    Crash,
    /// <summary>GBM with jumps only.</summary>
    Calm,
    /// <summary>Calm, plus a manipulator who sells <see cref="SimulationConfig.ManipulationCoins"/> on the perpetual and buys them back later.</summary>
    Manipulation,
}

/// <summary>
/// Every parameter of one contagion run. Defaults are the headline scenario (README): a -30% crash over 600 s
/// (300 blocks of 2 s) with 10 identical hedged strangle vaults and 1,000 leveraged traders on one perpetual
/// book of 400 coins per 2% depth. Times are in seconds; sizes in coins (one option contract is one coin).
/// A record: build variants with <c>SimulationConfig.Headline with { Vaults = 20 }</c>.
/// </summary>
public sealed record SimulationConfig
{
    public Scenario Scenario { get; init; } = Scenario.Crash;
    public int Seed { get; init; } = 1;

    // ---- time ----
    /// <summary>Seconds per block of the chain the venue settles on (1 s, 2 s, 12 s chains).</summary>
    public double BlockSeconds { get; init; } = 2;
    /// <summary>Length of the run in seconds (blocks = duration / block time).</summary>
    public double DurationSeconds { get; init; } = 2_000;
    /// <summary>Blocks until a liquidation transaction is final.</summary>
    public int BlocksToFinality { get; init; } = 2;
    /// <summary>Time the venue's liquidation engine takes to act once an account is below maintenance (auction, keepers).</summary>
    public double LiquidationWindowSeconds { get; init; } = 20;
    /// <summary>The venue margins (IM, flags, aggregates, CAVB) once per epoch.</summary>
    public double EpochSeconds { get; init; } = 30;

    // ---- exogenous price ----
    public double InitialSpot { get; init; } = 100_000;
    /// <summary>Annualised volatility of the exogenous (fundamental) GBM.</summary>
    public double ExogenousVol { get; init; } = 0.5;
    /// <summary>Jumps per year (Poisson) and their log-size mean and deviation.</summary>
    public double JumpsPerYear { get; init; } = 20;
    public double JumpMean { get; init; } = -0.01;
    public double JumpStdDev { get; init; } = 0.02;
    /// <summary>Scripted crash: total fundamental move (-0.30 = -30%), its start and its duration.</summary>
    public double CrashMove { get; init; } = -0.30;
    public double CrashStartSeconds { get; init; } = 400;
    public double CrashSeconds { get; init; } = 600;
    /// <summary>Manipulation scenario: coins the manipulator sells at the start, held for the hold time, then bought back.</summary>
    public double ManipulationCoins { get; init; } = 1_500;
    public double ManipulationStartSeconds { get; init; } = 600;
    public double ManipulationHoldSeconds { get; init; } = 10;

    // ---- perpetual order book ----
    /// <summary>D: coins that move the mark by <see cref="DepthMove"/> (square-root impact), when the book is full.</summary>
    public double DepthCoins { get; init; } = 400;
    public double DepthMove { get; init; } = 0.02;
    /// <summary>Fraction of traded volume that is taken out of the book's depth (it refills with <see cref="DepthRefillHalfLifeSeconds"/>).</summary>
    public double DepthConsumption { get; init; } = 0.25;
    public double DepthRefillHalfLifeSeconds { get; init; } = 60;
    /// <summary>Share of each trade's impact that is permanent; the rest decays with <see cref="ImpactHalfLifeSeconds"/> (resilience).</summary>
    public double PermanentImpactShare { get; init; } = 0.5;
    public double ImpactHalfLifeSeconds { get; init; } = 40;
    /// <summary>Perpetual funding per 8 hours (longs pay shorts when positive), paid to the book's liquidity providers.</summary>
    public double FundingRatePer8h { get; init; } = 0.0001;

    // ---- oracle and vol ----
    /// <summary>TWAP window of the mark that drives the vaults' pricing and the venue's margins (one block = no TWAP).</summary>
    public double TwapSeconds { get; init; } = 30;
    /// <summary>At-the-money implied vol of the surface at the start.</summary>
    public double ImpliedVol { get; init; } = 0.6;
    /// <summary>The implied-vol surface at the start; null: <see cref="SkewedSurface.Create"/> at <see cref="ImpliedVol"/>.</summary>
    public VolSurface? Surface { get; init; }
    /// <summary>Implied vols scale by 1 + beta max(0, -ln(oracle / initial spot)): vol rises as the price falls.</summary>
    public double VolSpotBeta { get; init; } = 1.5;
    /// <summary>Dealer's spread on options it buys back or takes over, as a fraction of model value.</summary>
    public double OptionSpread { get; init; } = 0.02;

    // ---- vaults ----
    public int Vaults { get; init; } = 10;
    public VaultStrategy VaultStrategy { get; init; } = VaultStrategy.ShortStrangle;
    /// <summary>Unhedged vaults (covered calls and cash-secured puts, alternating) besides the hedged ones.</summary>
    public int UnhedgedVaults { get; init; } = 0;
    public double VaultNavUsd { get; init; } = 5_000_000;
    /// <summary>Round length (the written options' tenor); deposits and withdrawals happen between rounds.</summary>
    public double RoundSeconds { get; init; } = 14 * 86_400;
    /// <summary>Log-moneyness of the strangle's put and call (straddles sell at the money).</summary>
    public double StrangleWidth { get; init; } = 0.10;
    public double PerformanceFee { get; init; } = 0.10;
    /// <summary>Largest fraction of shares deposited and withdrawn per round (uniform between 0 and it, by seed).</summary>
    public double MaxDepositFraction { get; init; } = 0.10;
    public double MaxWithdrawFraction { get; init; } = 0.10;
    /// <summary>Delta band (net delta x spot / NAV) and the longest time between rehedges.</summary>
    public double DeltaBand { get; init; } = 0.05;
    public double RehedgeIntervalSeconds { get; init; } = 60;
    /// <summary>Headroom over the safe capital ratio that a vault keeps when it writes: adequacy = safe limit x (1 + headroom).</summary>
    public double WriteHeadroom { get; init; } = 0.10;
    /// <summary>Safe capital ratio = 1 + k sqrt(time to liquidate / 60 s): price diffusion over the time to liquidate.</summary>
    public double SafeLimitPerSqrtMinute { get; init; } = 0.10;

    // ---- traders ----
    public int Traders { get; init; } = 1_000;
    /// <summary>Shares of the trader population: herd (short the same OTM puts, levered), levered perpetual longs; the rest are hedgers.</summary>
    public double HerdShare { get; init; } = 0.45;
    public double LeveredLongShare { get; init; } = 0.30;
    public double TraderCollateralUsd { get; init; } = 60_000;

    // ---- venue ----
    public double LiquidationFee { get; init; } = 0.005;
    public double SafetyFundUsd { get; init; } = 20_000_000;
    /// <summary>Risk parameters (CAVB alpha, kappa, P_max live here); FundTargetUsd is set to the initial safety fund.</summary>
    public ParameterSet RiskParameters { get; init; } = ParameterSet.Default;
    /// <summary>The linear OI add-on (dYdX-style increasing IMF): add-on = S q inc max(0, q - baseline) / step, q = short option contracts.</summary>
    public double LinearOiBaseline { get; init; } = 25;
    public double LinearOiStep { get; init; } = 25;
    public double LinearOiIncrement { get; init; } = 0.005;

    /// <summary>The headline crash scenario (the defaults).</summary>
    public static SimulationConfig Headline { get; } = new();

    public int Blocks => (int)Math.Round(DurationSeconds / BlockSeconds);
    /// <summary>Block time x blocks to finality + liquidation window.</summary>
    public double TimeToLiquidateSeconds => BlockSeconds * BlocksToFinality + LiquidationWindowSeconds;
    public int LiquidationDelayBlocks => Math.Max(1, (int)Math.Ceiling(TimeToLiquidateSeconds / BlockSeconds));
    public double SafeCapitalRatio => 1 + SafeLimitPerSqrtMinute * Math.Sqrt(TimeToLiquidateSeconds / 60.0);
    public int BlocksPer(double seconds) => Math.Max(1, (int)Math.Round(seconds / BlockSeconds));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter out of range.</summary>
    public void Validate()
    {
        static void Pos(double v, string n) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{n} must be a positive number (got {v})"); }
        static void NonNeg(double v, string n) { if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"{n} must be zero or positive (got {v})"); }
        static void Frac(double v, string n) { if (!(v >= 0 && v <= 1)) throw new ArgumentException($"{n} must lie in [0, 1] (got {v})"); }
        Pos(BlockSeconds, "block time"); Pos(DurationSeconds, "duration"); Pos(EpochSeconds, "epoch length");
        if (Blocks < 1 || Blocks > 2_000_000) throw new ArgumentException($"the run must have between 1 and 2,000,000 blocks (got {Blocks})");
        if (BlocksToFinality < 0) throw new ArgumentException("blocks to finality must be >= 0");
        NonNeg(LiquidationWindowSeconds, "liquidation window");
        Pos(InitialSpot, "initial spot"); NonNeg(ExogenousVol, "exogenous vol"); NonNeg(JumpsPerYear, "jumps per year"); NonNeg(JumpStdDev, "jump deviation");
        if (!(CrashMove > -0.95 && CrashMove < 5)) throw new ArgumentException($"crash move must lie in (-0.95, 5) (got {CrashMove})");
        NonNeg(CrashSeconds, "crash duration"); NonNeg(CrashStartSeconds, "crash start");
        NonNeg(ManipulationCoins, "manipulation size"); NonNeg(ManipulationHoldSeconds, "manipulation hold");
        Pos(DepthCoins, "depth"); Pos(DepthMove, "depth move"); Frac(DepthConsumption, "depth consumption"); Pos(DepthRefillHalfLifeSeconds, "depth refill half-life");
        Frac(PermanentImpactShare, "permanent impact share"); Pos(ImpactHalfLifeSeconds, "impact half-life");
        if (!double.IsFinite(FundingRatePer8h) || Math.Abs(FundingRatePer8h) > 0.01) throw new ArgumentException("funding per 8 h must lie within +-1%");
        Pos(TwapSeconds, "TWAP window"); Pos(ImpliedVol, "implied vol"); NonNeg(VolSpotBeta, "vol-spot beta"); Frac(OptionSpread, "option spread");
        if (Vaults < 0 || Vaults > 1_000 || UnhedgedVaults < 0 || UnhedgedVaults > 1_000) throw new ArgumentException("vault counts must lie in [0, 1000]");
        Pos(VaultNavUsd, "vault NAV"); Pos(RoundSeconds, "round length");
        if (RoundSeconds < 2 * 86_400) throw new ArgumentException("the round (option tenor) must be at least 2 days: the band grid's shortest bucket is 1 day");
        if (!(StrangleWidth >= 0 && StrangleWidth < 1)) throw new ArgumentException("strangle width must lie in [0, 1)");
        Frac(PerformanceFee, "performance fee"); Frac(MaxDepositFraction, "deposit fraction"); Frac(MaxWithdrawFraction, "withdraw fraction");
        NonNeg(DeltaBand, "delta band"); Pos(RehedgeIntervalSeconds, "rehedge interval"); NonNeg(WriteHeadroom, "write headroom"); NonNeg(SafeLimitPerSqrtMinute, "safe-limit slope");
        if (Traders < 0 || Traders > 100_000) throw new ArgumentException("traders must lie in [0, 100000]");
        Frac(HerdShare, "herd share"); Frac(LeveredLongShare, "levered-long share");
        if (HerdShare + LeveredLongShare > 1) throw new ArgumentException("herd and levered-long shares add up to more than 1");
        Pos(TraderCollateralUsd, "trader collateral"); Frac(LiquidationFee, "liquidation fee"); Pos(SafetyFundUsd, "safety fund");
        NonNeg(LinearOiBaseline, "linear OI baseline"); Pos(LinearOiStep, "linear OI step"); NonNeg(LinearOiIncrement, "linear OI increment");
        ArgumentNullException.ThrowIfNull(RiskParameters);
        RiskParameters.Validate();
    }
}
