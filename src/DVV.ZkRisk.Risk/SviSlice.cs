using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// One expiry of Gatheral's raw SVI parametrisation of total implied variance
/// (Gatheral 2004; Gatheral and Jacquier 2014, "Arbitrage-free SVI volatility surfaces", eq. 3.1):
/// <code>
///   w(k) = a + b ( rho (k - m) + sqrt((k - m)^2 + sigma^2) ),   k = ln(K / F_T),  w = sigma_BS^2 T
/// </code>
/// Valid parameters: b &gt;= 0, |rho| &lt; 1, sigma &gt; 0 and a + b sigma sqrt(1 - rho^2) &gt;= 0 (the minimum of w,
/// so variance is never negative). Butterfly arbitrage is absent where Durrleman's condition
/// g(k) &gt;= 0 holds (Gatheral-Jacquier eq. 2.1, see <see cref="Durrleman"/>).
/// </summary>
public sealed record SviSlice
{
    public SviSlice(double expiryYears, double a, double b, double rho, double m, double sigma)
    {
        RiskInputException.RequirePositive(expiryYears, "SVI slice expiry (years)");
        RiskInputException.RequireFinite(a, "SVI a");
        RiskInputException.RequireNonNegative(b, "SVI b");
        RiskInputException.RequireFinite(m, "SVI m");
        RiskInputException.RequirePositive(sigma, "SVI sigma");
        if (!(Math.Abs(rho) < 1)) throw new RiskInputException($"SVI rho must lie in (-1, 1) (got {RiskInputException.Fmt(rho)})");
        double minW = a + b * sigma * Math.Sqrt(1 - rho * rho);
        if (minW < -1e-12)
            throw new RiskInputException($"SVI slice at T={RiskInputException.Fmt(expiryYears)} has negative total variance (a + b sigma sqrt(1-rho^2) = {RiskInputException.Fmt(minW)})");
        ExpiryYears = expiryYears; A = a; B = b; Rho = rho; M = m; Sigma = sigma;
    }

    public double ExpiryYears { get; }
    public double A { get; }
    public double B { get; }
    public double Rho { get; }
    public double M { get; }
    public double Sigma { get; }

    /// <summary>A flat smile: constant Black volatility <paramref name="vol"/> at expiry T (b = 0).</summary>
    public static SviSlice Flat(double expiryYears, double vol)
    {
        RiskInputException.RequirePositive(vol, "flat volatility");
        return new SviSlice(expiryYears, vol * vol * expiryYears, 0, 0, 0, 0.1);
    }

    /// <summary>Total implied variance w(k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double TotalVariance(double k)
    {
        double x = k - M;
        return A + B * (Rho * x + Math.Sqrt(x * x + Sigma * Sigma));
    }

    /// <summary>w'(k) = b (rho + (k - m) / sqrt((k - m)^2 + sigma^2)).</summary>
    public double FirstDerivative(double k)
    {
        double x = k - M;
        return B * (Rho + x / Math.Sqrt(x * x + Sigma * Sigma));
    }

    /// <summary>w''(k) = b sigma^2 / ((k - m)^2 + sigma^2)^{3/2}.</summary>
    public double SecondDerivative(double k)
    {
        double x = k - M;
        double r = x * x + Sigma * Sigma;
        return B * Sigma * Sigma / (r * Math.Sqrt(r));
    }

    /// <summary>Black implied volatility sqrt(w(k) / T).</summary>
    public double ImpliedVol(double k) => Math.Sqrt(Math.Max(TotalVariance(k), 0) / ExpiryYears);

    /// <summary>
    /// Durrleman's function (Gatheral-Jacquier 2014, eq. 2.1):
    /// <code>g(k) = (1 - k w'/(2w))^2 - (w'^2 / 4)(1/w + 1/4) + w''/2</code>
    /// The risk-neutral density is p(k) = g(k)/sqrt(2 pi w) exp(-d2^2/2); g &lt; 0 anywhere means a
    /// negative density, i.e. a butterfly spread with negative price.
    /// </summary>
    public double Durrleman(double k)
    {
        double w = TotalVariance(k);
        double w1 = FirstDerivative(k);
        double w2 = SecondDerivative(k);
        if (!(w > 0)) return double.NegativeInfinity;
        double t = 1 - k * w1 / (2 * w);
        return t * t - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
    }
}
