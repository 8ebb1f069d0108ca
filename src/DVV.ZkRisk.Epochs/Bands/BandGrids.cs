using DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Epochs.Bands;

/// <summary>The one place that picks the band grid for a parameter set: the risk engine's BandGrid (via
/// <see cref="RiskBinding.RiskBridge"/>), so the gateway, the SDK and the risk engine agree band for band.</summary>
public static class BandGrids
{
    public static IBandGrid For(ParameterSet parameters) => RiskBinding.RiskBridge.BandGrid(parameters);
}
