using System.Globalization;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// The band grid of DESIGN.md 4: expiry buckets x log-moneyness bands around the forward.
///
/// Mapping (deterministic, documented in README "Risk engine"):
/// <code>
///   DTE    = (expiry - asOf) in days (ACT, fractional)
///   bucket = number of edges e with e &lt;= DTE        (buckets [0,e1), [e1,e2), ..., [e_last, inf))
///   k      = ln(K / F(T)),  F(T) the epoch's forward of that expiry
///   j      = clamp(floor(k / w + n/2), 0, n - 1)     (bands [(j - n/2) w, (j - n/2 + 1) w), outer two open)
///   band   = bucket * n + j
/// </code>
/// Intervals are closed on the left: an option exactly on an edge goes to the upper band/bucket.
/// With the defaults (edges 1, 7, 30 days; w = 0.05; n = 8) there are 4 x 8 = 32 bands; band 4 of
/// each bucket is [0, 0.05) (at the money and just above), band 0 is k &lt; -0.15, band 7 is k &gt;= 0.15.
/// </summary>
public sealed class BandGrid
{
    private readonly double[] _edges;
    private readonly double[] _repDays;

    public BandGrid(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _edges = parameters.ExpiryBucketEdgesDays.ToArray();
        _repDays = parameters.BandRepresentativeDays.ToArray();
        Width = parameters.BandWidth;
        BandsPerBucket = parameters.BandCount;
    }

    public int BucketCount => _edges.Length + 1;
    public int BandsPerBucket { get; }
    public double Width { get; }
    /// <summary>Total number of bands B (32 by default).</summary>
    public int Count => BucketCount * BandsPerBucket;
    public IReadOnlyList<double> BucketEdgesDays => _edges;

    /// <summary>Expiry bucket of an option with <paramref name="daysToExpiry"/> days left.</summary>
    public int BucketOf(double daysToExpiry)
    {
        if (!(daysToExpiry > 0)) throw new RiskInputException($"an option with {RiskInputException.Fmt(daysToExpiry)} days to expiry has no band (expired)");
        int b = 0;
        while (b < _edges.Length && daysToExpiry >= _edges[b]) b++;
        return b;
    }

    /// <summary>Log-moneyness band j (0..n-1) of k = ln(K/F).</summary>
    public int MoneynessBandOf(double logMoneyness)
    {
        if (double.IsNaN(logMoneyness)) throw new RiskInputException("log-moneyness is NaN");
        double x = Math.Floor(logMoneyness / Width + BandsPerBucket / 2.0);
        if (x < 0) return 0;
        if (x > BandsPerBucket - 1) return BandsPerBucket - 1;
        return (int)x;
    }

    /// <summary>Band index b in [0, Count).</summary>
    public int BandOf(double daysToExpiry, double logMoneyness) =>
        BucketOf(daysToExpiry) * BandsPerBucket + MoneynessBandOf(logMoneyness);

    /// <summary>Band of an option under the given market (its DTE and k = ln(K/F(T))).</summary>
    public int BandOf(OptionContract option, MarketSnapshot market)
    {
        double days = market.DaysToExpiry(option.Expiry);
        if (!(days > 0)) throw new RiskInputException($"option {option.Id} has expired (market as of {market.AsOf:O})");
        double t = days / 365.0;
        return BandOf(days, Math.Log(option.Strike / market.Forward(t)));
    }

    /// <summary>Lower log-moneyness edge of band j (-inf for j = 0).</summary>
    public double LowerK(int j) => j == 0 ? double.NegativeInfinity : (j - BandsPerBucket / 2.0) * Width;
    /// <summary>Upper log-moneyness edge of band j (+inf for the last).</summary>
    public double UpperK(int j) => j == BandsPerBucket - 1 ? double.PositiveInfinity : (j + 1 - BandsPerBucket / 2.0) * Width;

    /// <summary>
    /// Log-moneyness of band j's representative option: the band centre, and for the open tails the
    /// centre of the first width beyond the last edge.
    /// </summary>
    public double RepresentativeK(int j) => (j - BandsPerBucket / 2.0 + 0.5) * Width;

    /// <summary>Days to expiry of bucket i's representative option (governance parameter).</summary>
    public double RepresentativeDays(int bucket) => _repDays[bucket];

    /// <summary>
    /// Band b's representative option under <paramref name="market"/>: its bucket's representative expiry, strike
    /// F(T) exp(k_b) on the unshocked forward at the band's representative log-moneyness, a put below the forward and a
    /// call at or above it, linear. The one definition behind h_b(s) (CAVB) and the band model's revaluation (proven flags).
    /// </summary>
    public OptionContract RepresentativeOption(int band, MarketSnapshot market)
    {
        int bucket = band / BandsPerBucket, j = band % BandsPerBucket;
        double days = RepresentativeDays(bucket);
        double k = RepresentativeK(j);
        double strike = market.Forward(days / 365.0) * Math.Exp(k);
        return new OptionContract(k >= 0 ? OptionType.Call : OptionType.Put, strike, market.AsOf.AddDays(days));
    }

    /// <summary>Human label, e.g. "[7d,30d) k[0,0.05)".</summary>
    public string Label(int band)
    {
        if ((uint)band >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(band));
        return $"{BucketLabel(band / BandsPerBucket)} k{MoneynessLabel(band % BandsPerBucket)}";
    }

    /// <summary>Expiry bucket i as a half-open interval of days to expiry, e.g. "[1d,7d)" or "[30d,inf)".</summary>
    public string BucketLabel(int i)
    {
        if ((uint)i >= (uint)BucketCount) throw new ArgumentOutOfRangeException(nameof(i));
        var ci = CultureInfo.InvariantCulture;
        string lo = i == 0 ? "0d" : _edges[i - 1].ToString("G", ci) + "d";
        string hi = i == _edges.Length ? "inf)" : _edges[i].ToString("G", ci) + "d)";
        return $"[{lo},{hi}";
    }

    /// <summary>Log-moneyness band j as a half-open interval of k = ln(K/F), e.g. "[-0.05,0)" or "[0.15,inf)".</summary>
    public string MoneynessLabel(int j)
    {
        if ((uint)j >= (uint)BandsPerBucket) throw new ArgumentOutOfRangeException(nameof(j));
        var ci = CultureInfo.InvariantCulture;
        string klo = j == 0 ? "-inf" : LowerK(j).ToString("0.###", ci);
        string khi = j == BandsPerBucket - 1 ? "inf" : UpperK(j).ToString("0.###", ci);
        return $"[{klo},{khi})";
    }
}
