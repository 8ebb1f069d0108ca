using System.Text;
using DVV.ZkRisk.Risk;
using Wire = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.RiskBinding;

/// <summary>
/// The seam between the epoch layer's wire types and the risk engine: the risk parameter set and market carried in the
/// (hashed, signed) protobuf parameter set. Read through <see cref="EpochContext"/>, which decodes them once per epoch.
/// </summary>
internal static class RiskBridge
{
    /// <summary>The risk engine's parameter set of an epoch (the default set when the protobuf carries none).</summary>
    public static ParameterSet RiskParameters(Wire.ParameterSet p) =>
        p.RiskParameters.IsEmpty ? ParameterSet.Default : ParameterSet.FromJson(Encoding.UTF8.GetString(p.RiskParameters.Span));

    /// <summary>The public market of an epoch; without one: spot = reference forward, a flat 60% surface, as of the valuation time.</summary>
    public static MarketSnapshot Market(Wire.ParameterSet p)
    {
        var m = p.Market;
        var asOf = DateTimeOffset.FromUnixTimeMilliseconds(p.ValuationTimeUnixMs);
        if (m is null) return new MarketSnapshot(asOf, p.ReferenceForward, VolSurface.Flat(0.6));
        var surface = m.Surface.Count == 0 ? VolSurface.Flat(0.6)
            : new VolSurface(m.Surface.Select(s => new SviSlice(s.ExpiryYears, s.A, s.B, s.Rho, s.M, s.Sigma)));
        return new MarketSnapshot(DateTimeOffset.FromUnixTimeMilliseconds(m.AsOfUnixMs), m.Spot, surface, m.Rate, m.Carry, m.DepthCoins, m.ClearingFundUsd);
    }

    /// <summary>The protobuf form of a market snapshot.</summary>
    public static Wire.Market ToProto(MarketSnapshot m)
    {
        var o = new Wire.Market
        {
            AsOfUnixMs = m.AsOf.ToUnixTimeMilliseconds(), Spot = m.Spot, Rate = m.Rate, Carry = m.Carry,
            DepthCoins = m.DepthCoins, ClearingFundUsd = m.ClearingFundUsd,
        };
        foreach (var s in m.Surface.Slices)
            o.Surface.Add(new Wire.SviSliceParams { ExpiryYears = s.ExpiryYears, A = s.A, B = s.B, Rho = s.Rho, M = s.M, Sigma = s.Sigma });
        return o;
    }
}
