using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Flags;

/// <summary>
/// A book's collateral as the integers the submission commits to (circuits/flag.v1.json): E_usd = round(collateralUsd 10^8)
/// in 10^-8 USD and E_coin = round(collateralCoin 10^8) in 10^-8 coin. The trader SDK and the gateway both compute them
/// here, from the same double of the book, so they agree to the unit. Each must be below 2^63 (about 9.2e10 USD or coin):
/// the distance to liquidation d_s starts from them and must fit the sign proof's [-2^63, 2^63).
/// </summary>
internal static class CollateralUnits
{
    private const double Limit = 9_223_372_036_854_775_808.0;   // 2^63

    /// <summary>The two integers, or false and the field and reason when the collateral is negative, not finite or too large.</summary>
    public static bool TryOf(PositionBook book, out ulong usd, out ulong coin, out string? field, out string? reason)
    {
        usd = coin = 0;
        field = reason = null;
        if (!TryUnits(book.CollateralUsd, out usd)) { field = "collateralUsd"; reason = Why(book.CollateralUsd, "USD"); return false; }
        if (!TryUnits(book.CollateralCoin, out coin)) { field = "collateralCoin"; reason = Why(book.CollateralCoin, "coin"); return false; }
        return true;
    }

    private static bool TryUnits(double x, out ulong units)
    {
        units = 0;
        double u = Math.Round(x * FlagModel.UsdUnits, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(u) || u < 0 || u >= Limit) return false;
        units = (ulong)u;
        return true;
    }

    private static string Why(double x, string unit) =>
        $"{x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} {unit} cannot be committed: the proven flags need collateral in [0, 2^63) x 10^-8 {unit} (about 9.2e10)";
}
