using System.Text;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Risk;
using ParameterSet = DVV.ZkRisk.Risk.ParameterSet;

namespace DVV.ZkRisk.Protocol.RiskBinding;

/// <summary>
/// The seam between the epoch's parameter set and the risk engine: the risk parameter set and market carried in the
/// (hashed, signed) parameter set. Read through <see cref="EpochContext"/>, which decodes them once per epoch.
/// </summary>
internal static class RiskBridge
{
    /// <summary>The risk engine's parameter set of an epoch (the default set when the protobuf carries none).</summary>
    public static ParameterSet RiskParameters(EpochParameters p) =>
        p.RiskParameters.IsEmpty ? ParameterSet.Default : ParameterSet.FromJson(Encoding.UTF8.GetString(p.RiskParameters.Span));

    /// <summary>The public market of an epoch; without one: spot = reference forward, a flat 60% surface, as of the valuation time.</summary>
    public static MarketSnapshot Market(EpochParameters p)
    {
        var m = p.Market;
        var asOf = DateTimeOffset.FromUnixTimeMilliseconds(p.ValuationTimeUnixMs);
        if (m is null) return new MarketSnapshot(asOf, p.ReferenceForward, VolSurface.Flat(0.6));
        var surface = m.Surface.Count == 0 ? VolSurface.Flat(0.6)
            : new VolSurface(m.Surface.Select(s => new SviSlice(s.ExpiryYears, s.A, s.B, s.Rho, s.M, s.Sigma)));
        return new MarketSnapshot(DateTimeOffset.FromUnixTimeMilliseconds(m.AsOfUnixMs), m.Spot, surface, m.Rate, m.Carry, m.DepthCoins, m.ClearingFundUsd);
    }

    /// <summary>The parameter set's form of a market snapshot.</summary>
    public static MarketParameters ToRecord(MarketSnapshot m) => new()
    {
        AsOfUnixMs = m.AsOf.ToUnixTimeMilliseconds(), Spot = m.Spot, Rate = m.Rate, Carry = m.Carry,
        DepthCoins = m.DepthCoins, ClearingFundUsd = m.ClearingFundUsd,
        Surface = m.Surface.Slices.Select(s => new SviSliceParameters(s.ExpiryYears, s.A, s.B, s.Rho, s.M, s.Sigma)).ToArray(),
    };
}
