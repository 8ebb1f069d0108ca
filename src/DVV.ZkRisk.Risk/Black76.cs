using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Black (1976), "The pricing of commodity contracts", J. Financial Economics 3: European options
/// on the forward F of the option's expiry, discounted at the continuously compounded rate r:
/// <code>
///   d1 = (ln(F/K) + sigma^2 T / 2) / (sigma sqrt T),  d2 = d1 - sigma sqrt T
///   call = e^{-rT} (F N(d1) - K N(d2)),   put = e^{-rT} (K N(-d2) - F N(-d1))
/// </code>
/// Inverse (coin-settled) contracts: price in coins = linear price / F (Deribit convention), so
/// inverse put-call parity reads C - P = e^{-rT} (1 - K/F). Greeks of the inverse price follow by
/// the quotient rule from the linear ones (see <see cref="Greeks"/> for the definitions).
/// </summary>
public static class Black76
{
    /// <summary>Price of one contract (USD for linear, coins for inverse). Validates inputs.</summary>
    public static double Price(OptionType type, double forward, double strike, double vol, double expiryYears,
                               double rate = 0.0, SettlementConvention convention = SettlementConvention.Linear)
    {
        Validate(forward, strike, vol, expiryYears, rate);
        double df = Math.Exp(-rate * expiryYears);
        double v = df * Undiscounted(type == OptionType.Call, forward, strike, vol * Math.Sqrt(expiryYears));
        return convention == SettlementConvention.Inverse ? v / forward : v;
    }

    /// <summary>Price and analytic Greeks (delta, gamma, vega, theta, vanna, volga). Validates inputs.</summary>
    public static Greeks Greeks(OptionType type, double forward, double strike, double vol, double expiryYears,
                                double rate = 0.0, SettlementConvention convention = SettlementConvention.Linear)
    {
        Validate(forward, strike, vol, expiryYears, rate);
        double F = forward, K = strike, T = expiryYears;
        double sqrtT = Math.Sqrt(T);
        double s = vol * sqrtT;
        double df = Math.Exp(-rate * T);
        double d1 = Math.Log(F / K) / s + 0.5 * s;
        double d2 = d1 - s;
        double pdf1 = NormalDistribution.Pdf(d1);
        bool call = type == OptionType.Call;

        // Linear Greeks (Hull, "Options, Futures and Other Derivatives", futures-option Greeks;
        // vanna and volga by differentiating vega).
        double price = df * Undiscounted(call, F, K, s);
        double delta = call ? df * NormalDistribution.Cdf(d1) : -df * NormalDistribution.Cdf(-d1);
        double gamma = df * pdf1 / (F * s);
        double vega = df * F * pdf1 * sqrtT;
        // V = e^{-rT} B(T):  -dV/dT = rV - e^{-rT} F phi(d1) sigma / (2 sqrt T)
        double theta = rate * price - df * F * pdf1 * vol / (2.0 * sqrtT);
        double vanna = -df * pdf1 * d2 / vol;
        double volga = vega * d1 * d2 / vol;

        if (convention == SettlementConvention.Linear)
            return new Greeks(price, delta, gamma, vega, theta, vanna, volga);

        // Inverse: W = V / F.  dW/dF = V'/F - V/F^2;  d2W/dF2 = V''/F - 2V'/F^2 + 2V/F^3;
        // dW/dsigma = vega/F;  d2W/dF dsigma = vanna/F - vega/F^2;  d2W/dsigma2 = volga/F.
        double f2 = F * F;
        return new Greeks(
            price / F,
            delta / F - price / f2,
            gamma / F - 2.0 * delta / f2 + 2.0 * price / (f2 * F),
            vega / F,
            theta / F,
            vanna / F - vega / f2,
            volga / F);
    }

    /// <summary>
    /// Undiscounted linear Black price with total standard deviation s = sigma sqrt T; no input
    /// checks (hot path). s == 0 gives intrinsic value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Undiscounted(bool call, double F, double K, double s)
    {
        if (!(s > 0))
            return call ? Math.Max(F - K, 0.0) : Math.Max(K - F, 0.0);
        double d1 = Math.Log(F / K) / s + 0.5 * s;
        double d2 = d1 - s;
        double v = call
            ? F * NormalDistribution.Cdf(d1) - K * NormalDistribution.Cdf(d2)
            : K * NormalDistribution.Cdf(-d2) - F * NormalDistribution.Cdf(-d1);
        // Rounding can leave a deep-OTM difference a few ulps below zero, or an ITM price a few ulps
        // below intrinsic; neither is a price.
        double intrinsic = call ? F - K : K - F;
        return Math.Max(v, Math.Max(intrinsic, 0.0));
    }

    /// <summary>Undiscounted forward delta of the linear price (call: N(d1), put: -N(-d1)); hot path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double UndiscountedDelta(bool call, double F, double K, double s)
    {
        if (!(s > 0))
            return call ? (F > K ? 1.0 : 0.0) : (F < K ? -1.0 : 0.0);
        double d1 = Math.Log(F / K) / s + 0.5 * s;
        return call ? NormalDistribution.Cdf(d1) : -NormalDistribution.Cdf(-d1);
    }

    internal static void Validate(double forward, double strike, double vol, double expiryYears, double rate)
    {
        RiskInputException.RequirePositive(forward, "forward");
        RiskInputException.RequirePositive(strike, "strike");
        RiskInputException.RequirePositive(vol, "volatility");
        RiskInputException.RequirePositive(expiryYears, "expiry (years)");
        RiskInputException.RequireFinite(rate, "rate");
        if (vol > 10) throw new RiskInputException($"volatility {RiskInputException.Fmt(vol)} is not plausible (expected a fraction, e.g. 0.65 for 65%; at most 10)");
        if (expiryYears > 100) throw new RiskInputException($"expiry {RiskInputException.Fmt(expiryYears)} years is out of range");
    }
}
