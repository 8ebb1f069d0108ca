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
        // Through decimal: (decimal)x keeps 15 significant digits, which removes binary representation noise
        // (0.1 + 0.2 is 0.3) yet keeps every digit a size can have (|size| < 9e10 with 4 decimals: at most 15 digits), so
        // 12.00001 is refused exactly. A relative tolerance on the double would accept it (issue 12).
        if (Math.Abs(contracts) > 9e10)
            throw new RiskInputException($"position size {RiskInputException.Fmt(contracts)} is out of range");
        decimal scaled = (decimal)contracts * UnitsPerContract;
        if (scaled != decimal.Truncate(scaled))
            throw new RiskInputException($"position size {contracts.ToString("R", CultureInfo.InvariantCulture)} is not a multiple of 0.0001 contract");
        return (long)scaled;
    }

    /// <summary>E4 units back to contracts.</summary>
    public static double ToContracts(long unitsE4) => unitsE4 / (double)UnitsPerContract;
}
