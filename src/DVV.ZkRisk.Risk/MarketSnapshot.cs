namespace DVV.ZkRisk.Risk;

/// <summary>
/// Public market state of one epoch: valuation time, spot, rates, the implied-vol surface, the
/// order-book depth D from the oracle and the clearing-fund balance F (DESIGN.md 4). Everything
/// here is public; nothing trader-specific.
/// Forward of expiry T (years): F(T) = S0 exp(carry T); discount factor exp(-rate T).
/// Time is ACT/365: T = (expiry - asOf) in days / 365.
/// </summary>
public sealed class MarketSnapshot
{
    public MarketSnapshot(DateTimeOffset asOf, double spot, VolSurface surface, double rate = 0.0, double carry = 0.0,
                          double depthCoins = 1_000, double clearingFundUsd = 100_000_000)
    {
        RiskInputException.RequirePositive(spot, "spot");
        RiskInputException.RequireFinite(rate, "rate");
        RiskInputException.RequireFinite(carry, "carry");
        RiskInputException.RequirePositive(depthCoins, "order-book depth D (coins)");
        RiskInputException.RequireNonNegative(clearingFundUsd, "clearing fund balance (USD)");
        if (Math.Abs(rate) > 5 || Math.Abs(carry) > 5) throw new RiskInputException("rate and carry must be annual fractions within +-5");
        AsOf = asOf.ToUniversalTime();
        Spot = spot;
        Surface = surface ?? throw new RiskInputException("market snapshot needs a volatility surface");
        Rate = rate;
        Carry = carry;
        DepthCoins = depthCoins;
        ClearingFundUsd = clearingFundUsd;
    }

    public DateTimeOffset AsOf { get; }
    /// <summary>Spot (index) price S0, USD per coin.</summary>
    public double Spot { get; }
    public VolSurface Surface { get; }
    /// <summary>Continuously compounded USD discount rate.</summary>
    public double Rate { get; }
    /// <summary>Annualised basis: F(T) = S0 exp(carry T).</summary>
    public double Carry { get; }
    /// <summary>D: volume in coins that moves the underlying by X% (TWAP of the depth oracle).</summary>
    public double DepthCoins { get; }
    /// <summary>F: clearing-fund balance in USD.</summary>
    public double ClearingFundUsd { get; }

    public double YearFraction(DateTimeOffset expiry) => (expiry - AsOf).TotalDays / 365.0;
    public double DaysToExpiry(DateTimeOffset expiry) => (expiry - AsOf).TotalDays;
    public double Forward(double expiryYears) => Spot * Math.Exp(Carry * expiryYears);
    public double DiscountFactor(double expiryYears) => Math.Exp(-Rate * expiryYears);

    /// <summary>Surface vol of strike K at expiry T (years), read at k = ln(K / F(T)).</summary>
    public double ImpliedVol(double strike, double expiryYears) =>
        Surface.ImpliedVol(Math.Log(strike / Forward(expiryYears)), expiryYears);

    /// <summary>A copy with a different clearing-fund balance (what-if and tests).</summary>
    public MarketSnapshot WithClearingFund(double clearingFundUsd) =>
        new(AsOf, Spot, Surface, Rate, Carry, DepthCoins, clearingFundUsd);

    /// <summary>A copy with a different order-book depth.</summary>
    public MarketSnapshot WithDepth(double depthCoins) =>
        new(AsOf, Spot, Surface, Rate, Carry, depthCoins, ClearingFundUsd);
}
