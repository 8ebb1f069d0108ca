using System.Globalization;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Position sizes are held as signed integers in units of 10^-4 contract ("E4" units): band
/// exposures S_ib and L_ib are u64 in contracts x 10^4 (DESIGN.md 2), and keeping the book in the
/// same integer unit makes the trader's committed values exact, not a rounding of a double.
/// </summary>
public static class Quantity
{
    /// <summary>10^4: integer units per contract.</summary>
    public const long UnitsPerContract = 10_000;

    /// <summary>
    /// Converts a size in contracts to E4 units; throws when the size is not a whole multiple of
    /// 0.0001 contract, not finite, or too large to hold.
    /// </summary>
    public static long FromContracts(double contracts)
    {
        if (!double.IsFinite(contracts))
            throw new RiskInputException($"position size must be a finite number (got {RiskInputException.Fmt(contracts)})");
        double scaled = contracts * UnitsPerContract;
        // 9e14 E4 units = 9e10 contracts: far beyond any book, and every integer below 2^53 is exact.
        if (Math.Abs(scaled) > 9e14)
            throw new RiskInputException($"position size {RiskInputException.Fmt(contracts)} is out of range");
        double rounded = Math.Round(scaled);
        if (Math.Abs(scaled - rounded) > 1e-6 * Math.Max(1.0, Math.Abs(scaled)))
            throw new RiskInputException($"position size {contracts.ToString("R", CultureInfo.InvariantCulture)} is not a multiple of 0.0001 contract");
        return (long)rounded;
    }

    /// <summary>E4 units back to contracts.</summary>
    public static double ToContracts(long unitsE4) => unitsE4 / (double)UnitsPerContract;
}
