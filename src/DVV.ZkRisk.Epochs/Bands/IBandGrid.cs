namespace DVV.ZkRisk.Epochs.Bands;

/// <summary>Maps an option to its band; implemented by the risk engine's grid (<see cref="RiskBinding.RiskBandGrid"/>).</summary>
public interface IBandGrid
{
    int BandCount { get; }
    /// <summary>The band of an option with strike <paramref name="strike"/> and <paramref name="daysToExpiry"/> &gt; 0.</summary>
    int BandOf(double strike, double daysToExpiry);
    string Describe(int band);
}
