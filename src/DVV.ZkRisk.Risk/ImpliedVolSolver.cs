namespace DVV.ZkRisk.Risk;

/// <summary>
/// Black-76 implied volatility. Robust at the wings and deep in/out of the money because it:
/// (1) moves to the out-of-the-money side by put-call parity (an ITM price is intrinsic plus the
///     OTM option's value; solving on the OTM value avoids dividing a tiny time value by a large
///     price), (2) solves for the total deviation s = sigma sqrt T on ln(price): far OTM the price
///     is ~exp(-k^2/(2 s^2)), so ln(price) is close to a smooth function of s where Newton
///     converges in a few steps, while price itself spans hundreds of orders of magnitude, and
///     (3) keeps a bracket [lo, hi] and falls back to bisection whenever a Newton step leaves it.
/// Prices that carry no volatility information (at or below intrinsic, at or above the upper
/// bound, or an OTM value lost to rounding) are rejected with a message, not answered with noise.
/// </summary>
public static class ImpliedVolSolver
{
    private const int MaxIterations = 200;

    /// <summary>Implied Black volatility of a contract price (USD for linear, coins for inverse).</summary>
    /// <exception cref="RiskInputException">the price admits no volatility.</exception>
    public static double Solve(OptionType type, double price, double forward, double strike, double expiryYears,
                               double rate = 0.0, SettlementConvention convention = SettlementConvention.Linear)
    {
        if (!TrySolve(type, price, forward, strike, expiryYears, out double vol, out string? error, rate, convention))
            throw new RiskInputException(error!);
        return vol;
    }

    /// <summary>As <see cref="Solve"/>, returning false and a reason instead of throwing.</summary>
    public static bool TrySolve(OptionType type, double price, double forward, double strike, double expiryYears,
                                out double vol, out string? error, double rate = 0.0,
                                SettlementConvention convention = SettlementConvention.Linear)
    {
        vol = double.NaN;
        error = null;
        if (!(forward > 0) || !double.IsFinite(forward)) { error = "forward must be a finite number > 0"; return false; }
        if (!(strike > 0) || !double.IsFinite(strike)) { error = "strike must be a finite number > 0"; return false; }
        if (!(expiryYears > 0) || !double.IsFinite(expiryYears)) { error = "expiry (years) must be a finite number > 0"; return false; }
        if (!double.IsFinite(rate)) { error = "rate must be finite"; return false; }
        if (!(price >= 0) || !double.IsFinite(price)) { error = "price must be a finite number >= 0"; return false; }

        double F = forward, K = strike;
        double df = Math.Exp(-rate * expiryYears);
        // Undiscounted linear price.
        double p = (convention == SettlementConvention.Inverse ? price * F : price) / df;
        bool call = type == OptionType.Call;
        double intrinsic = call ? Math.Max(F - K, 0) : Math.Max(K - F, 0);
        double upper = call ? F : K;
        if (p >= upper) { error = $"price is at or above the no-arbitrage upper bound ({(call ? "forward" : "strike")} discounted): no volatility"; return false; }
        if (p <= intrinsic) { error = "price is at or below intrinsic value: no volatility"; return false; }

        // OTM side: a call with K >= F, a put with K < F.
        bool otmCall = K >= F;
        double q = (otmCall == call) ? p : p - intrinsic;
        // After subtracting intrinsic, q carries an absolute error of about eps * p; below 1e-12 p
        // fewer than four significant digits of the time value are left.
        if (!(q > 0) || q < 1e-12 * p)
        { error = "time value is below the precision of the price: volatility not resolvable"; return false; }
        if (q < 1e-300)
        { error = "price is too small to resolve (underflow): volatility not resolvable"; return false; }

        double k = Math.Log(K / F);
        double lnQ = Math.Log(q);

        // Bracket: f(s) = ln B(s) - ln q is increasing in s; B(0) = 0 (OTM), B(inf) = upper.
        double lo = 0, hi = Math.Max(1.0, 2 * Math.Sqrt(2 * Math.Abs(k)));
        for (int i = 0; Black76.Undiscounted(otmCall, F, K, hi) <= q; i++)
        {
            lo = hi;
            hi *= 2;
            if (i > 10) { error = "price is too close to the upper bound: volatility not resolvable"; return false; }
        }

        // Start at the inflection point of B(s) (s* = sqrt(2|k|)) or from the ATM approximation
        // B ~ F s / sqrt(2 pi), whichever is larger, clamped into the bracket.
        double s = Math.Max(Math.Sqrt(2 * Math.Abs(k)), q / F * Math.Sqrt(2 * Math.PI));
        if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);

        for (int it = 0; it < MaxIterations; it++)
        {
            double b = Black76.Undiscounted(otmCall, F, K, s);
            double f = b > 0 ? Math.Log(b) - lnQ : double.NegativeInfinity;
            if (f == 0) break;
            if (f < 0) lo = s; else hi = s;

            double next;
            if (b > 0)
            {
                double d1 = -k / s + 0.5 * s;
                double dBds = F * NormalDistribution.Pdf(d1);       // dB/ds = F phi(d1)
                double dfds = dBds / b;
                next = dfds > 0 ? s - f / dfds : double.NaN;
            }
            else next = double.NaN;

            if (!(next > lo && next < hi))
                next = 0.5 * (lo + hi);            // bisection fallback keeps the bracket
            if (Math.Abs(next - s) <= 1e-15 * s || hi - lo <= 4e-16 * hi)
            {
                s = next;
                break;
            }
            s = next;
        }

        vol = s / Math.Sqrt(expiryYears);
        if (!double.IsFinite(vol) || !(vol > 0)) { error = "volatility not resolvable"; vol = double.NaN; return false; }
        return true;
    }
}
