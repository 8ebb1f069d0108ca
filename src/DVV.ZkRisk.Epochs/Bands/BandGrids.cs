using DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Epochs.Bands;

/// <summary>The one place that picks the band grid for a parameter set (switch to the risk engine's BandGrid here).</summary>
public static class BandGrids
{
    public static IBandGrid For(ParameterSet parameters) => new ParameterSetBandGrid(parameters);
}
