using DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Epochs.Bands;

/// <summary>
/// Maps an option to its band. The seam to the risk engine's BandGrid: until that lands, <see cref="ParameterSetBandGrid"/>
/// reads the grid from the parameter set (expiry buckets x log-moneyness bands around the reference forward).
/// </summary>
public interface IBandGrid
{
    int BandCount { get; }
    /// <summary>The band of an option with strike <paramref name="strike"/> and <paramref name="daysToExpiry"/> &gt; 0.</summary>
    int BandOf(double strike, double daysToExpiry);
    string Describe(int band);
}

/// <summary>The band grid of a parameter set: bucket j holds DTE in [edge[j-1], edge[j]), band i holds ln(K/F) in
/// [-(n/2)w + i w, -(n/2)w + (i+1) w), both with open tails; band index = bucket * n + i.</summary>
public sealed class ParameterSetBandGrid : IBandGrid
{
    private readonly double[] _edges;
    private readonly double _width;
    private readonly int _n;
    private readonly double _forward;

    public ParameterSetBandGrid(ParameterSet parameters)
    {
        var g = parameters.BandGrid ?? throw new ArgumentException("parameter set has no band grid");
        _edges = g.ExpiryBucketEdgesDays.ToArray();
        for (int i = 1; i < _edges.Length; i++)
            if (!(_edges[i] > _edges[i - 1])) throw new ArgumentException("expiry bucket edges must increase");
        if (!(g.MoneynessBandWidth > 0)) throw new ArgumentException("moneyness band width must be positive");
        if (g.MoneynessBandCount == 0) throw new ArgumentException("moneyness band count must be positive");
        if (!(parameters.ReferenceForward > 0)) throw new ArgumentException("reference forward must be positive");
        _width = g.MoneynessBandWidth;
        _n = (int)g.MoneynessBandCount;
        _forward = parameters.ReferenceForward;
        BandCount = (_edges.Length + 1) * _n;
        if (g.BandCount != 0 && g.BandCount != BandCount) throw new ArgumentException($"band_count {g.BandCount} != (edges+1)*n = {BandCount}");
    }

    public int BandCount { get; }

    public int BandOf(double strike, double daysToExpiry)
    {
        int bucket = 0;
        while (bucket < _edges.Length && daysToExpiry >= _edges[bucket]) bucket++;
        double k = Math.Log(strike / _forward);
        int i = (int)Math.Floor(k / _width + _n / 2.0);
        i = Math.Clamp(i, 0, _n - 1);
        return bucket * _n + i;
    }

    public string Describe(int band)
    {
        int bucket = band / _n, i = band % _n;
        string lo = bucket == 0 ? "0" : _edges[bucket - 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        string hi = bucket == _edges.Length ? "inf" : _edges[bucket].ToString(System.Globalization.CultureInfo.InvariantCulture);
        double kLo = (i - _n / 2.0) * _width, kHi = kLo + _width;
        string kl = i == 0 ? "-inf" : kLo.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        string kh = i == _n - 1 ? "+inf" : kHi.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        return $"DTE [{lo},{hi}) x ln(K/F) [{kl},{kh})";
    }
}
