using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>The skewed raw-SVI surface the demo and the simulator price on (7, 30 and 90 days, put skew steepening with
/// tenor), and the same surface with every vol scaled by m (a, b times m^2: total variance w scales by m^2, so every
/// vol scales by m; calendar order is kept, w increasing in t stays increasing).</summary>
public static class SkewedSurface
{
    public static VolSurface Create(double atmVol = 0.6) => new(new[]
    {
        Slice(7 / 365.0, atmVol * 1.05, 0.012, -0.35),
        Slice(30 / 365.0, atmVol, 0.035, -0.40),
        Slice(90 / 365.0, atmVol * 0.95, 0.08, -0.45),
    });

    /// <summary>Every implied vol of <paramref name="surface"/> multiplied by <paramref name="m"/>.</summary>
    public static VolSurface Scaled(VolSurface surface, double m)
    {
        ArgumentNullException.ThrowIfNull(surface);
        if (m == 1) return surface;
        double m2 = m * m;
        return new VolSurface(surface.Slices.Select(s => new SviSlice(s.ExpiryYears, s.A * m2, s.B * m2, s.Rho, s.M, s.Sigma)));
    }

    private static SviSlice Slice(double t, double atm, double b, double rho)
    {
        const double sigma = 0.1;
        double a = atm * atm * t - b * sigma;   // w(0) = a + b sigma (m = 0)
        return new SviSlice(t, a, b, rho, 0, sigma);
    }
}
