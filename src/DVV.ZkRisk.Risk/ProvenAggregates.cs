namespace DVV.ZkRisk.Risk;

/// <summary>
/// The proven aggregates of one epoch: per LSF shock s and band b, the liquidation-sensitive short
/// open interest LSV_sb = Sum_i lam_is S_ib (u64, contracts x 10^4), with the band and shock grids
/// they refer to and the hash of the parameter set they were proven under (DESIGN.md 2, step 4).
///
/// This is the only crowd input of the CAVB engine, and it cannot be built by a caller of the
/// engine: the constructor and <see cref="FromVerifiedTotals"/> are internal, visible only to the
/// epoch layer (DVV.ZkRisk.Protocol), whose verifier calls the factory after checking the bundle's
/// sum and selection proofs, and to tests, benchmarks and the CLI's offline replay (see README).
///
/// k-anonymity: a cell (s, b) whose total comes from 1 to k_min - 1 flagged contributors is not
/// published; it is stored as withheld (value 0, <see cref="IsPublished"/> false). Its volume still
/// enters the buffer: the epoch layer proves, per shock, the weighted remainder of the withheld cells
/// (<see cref="WithheldVolume"/>). Without it (aggregates built by hand) the CAVB engine replaces a
/// withheld cell by the trader's own flagged exposure, a lower bound of the true total.
/// A cell with no contributor is published (a zero reveals nobody).
/// </summary>
public sealed class ProvenAggregates
{
    private readonly ulong[] _lsv;        // [s * B + b]
    private readonly int[] _contributors; // [s * B + b]

    internal ProvenAggregates(long epoch, ParameterSet parameters, ulong[] lsv, int[] contributors, double[]? withheldVolume = null)
    {
        WithheldVolume = withheldVolume;
        Epoch = epoch;
        Parameters = parameters;
        RiskParameterHash = parameters.HashHex;
        Bands = new BandGrid(parameters);
        Shocks = new LsfGrid(parameters);
        _lsv = lsv;
        _contributors = contributors;
    }

    /// <summary>
    /// Builds the aggregates from totals that the epoch verifier has checked against the bundle's
    /// proofs. TO BE CALLED ONLY BY THE EPOCH VERIFIER (and by tests, benchmarks and the CLI's
    /// offline replay of published totals). Cells with 1..k_min-1 contributors are withheld.
    /// </summary>
    /// <param name="epoch">epoch number</param>
    /// <param name="parameters">the parameter set whose hash is in the bundle</param>
    /// <param name="lsv">LSV[s, b], shocks x bands</param>
    /// <param name="contributors">number of traders with lam_is = 1 and S_ib &gt; 0, per cell</param>
    /// <param name="withheldVolume">per shock, the proven forced volume (coins) of the withheld cells, Sum_{b withheld} h_b(s) LSV_sb;
    /// null when the epoch layer proves none (the engine then falls back to the trader's own exposure in those cells)</param>
    internal static ProvenAggregates FromVerifiedTotals(long epoch, ParameterSet parameters, ulong[,] lsv, int[,] contributors, double[]? withheldVolume = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(lsv);
        ArgumentNullException.ThrowIfNull(contributors);
        parameters.Validate();
        int shocks = parameters.ShockCount, bands = parameters.TotalBands;
        if (lsv.GetLength(0) != shocks || lsv.GetLength(1) != bands)
            throw new RiskInputException($"aggregates are {lsv.GetLength(0)} shocks x {lsv.GetLength(1)} bands, the parameter set defines {shocks} x {bands}");
        if (contributors.GetLength(0) != shocks || contributors.GetLength(1) != bands)
            throw new RiskInputException($"contributor counts are {contributors.GetLength(0)} x {contributors.GetLength(1)}, expected {shocks} x {bands}");
        if (epoch < 0) throw new RiskInputException("epoch number must be >= 0");
        var v = new ulong[shocks * bands];
        var c = new int[shocks * bands];
        for (int s = 0; s < shocks; s++)
        for (int b = 0; b < bands; b++)
        {
            int n = contributors[s, b];
            if (n < 0) throw new RiskInputException($"negative contributor count at shock {s}, band {b}");
            if (n == 0 && lsv[s, b] != 0) throw new RiskInputException($"LSV at shock {s}, band {b} is non-zero with no contributor");
            c[s * bands + b] = n;
            v[s * bands + b] = n == 0 || n >= parameters.KMin ? lsv[s, b] : 0;
        }
        if (withheldVolume != null && (withheldVolume.Length != shocks || withheldVolume.Any(x => !(x >= 0) || double.IsInfinity(x))))
            throw new RiskInputException($"withheld volumes must be {shocks} finite non-negative numbers");
        return new ProvenAggregates(epoch, parameters, v, c, withheldVolume);
    }

    /// <summary>Per shock, the proven forced volume (coins) of the withheld cells, or null when not proven.</summary>
    public IReadOnlyList<double>? WithheldVolume { get; }

    public long Epoch { get; }
    public ParameterSet Parameters { get; }
    /// <summary>Hex SHA-256 of the canonical JSON of the risk parameter set the aggregates were proven under
    /// (<see cref="ParameterSet.HashHex"/>). Not the epoch's parameter hash, which hashes the whole protobuf parameter
    /// set (risk parameters, market, grid, keys) and is what transcripts bind.</summary>
    public string RiskParameterHash { get; }
    public BandGrid Bands { get; }
    public LsfGrid Shocks { get; }
    public int ShockCount => Shocks.Count;
    public int BandCount => Bands.Count;

    /// <summary>LSV_sb in contracts x 10^4 (0 for a withheld cell; check <see cref="IsPublished"/>).</summary>
    public ulong Lsv(int shock, int band) => _lsv[Cell(shock, band)];

    /// <summary>Number of flagged traders contributing to cell (s, b).</summary>
    public int Contributors(int shock, int band) => _contributors[Cell(shock, band)];

    /// <summary>False when the cell has 1..k_min-1 contributors and its total is withheld.</summary>
    public bool IsPublished(int shock, int band)
    {
        int n = _contributors[Cell(shock, band)];
        return n == 0 || n >= Parameters.KMin;
    }

    private int Cell(int s, int b)
    {
        if ((uint)s >= (uint)ShockCount) throw new ArgumentOutOfRangeException(nameof(s));
        if ((uint)b >= (uint)BandCount) throw new ArgumentOutOfRangeException(nameof(b));
        return s * BandCount + b;
    }
}
