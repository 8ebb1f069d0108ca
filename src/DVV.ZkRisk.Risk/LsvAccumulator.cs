namespace DVV.ZkRisk.Risk;

/// <summary>
/// Sums lam_is S_ib over traders into LSV_sb, with per-cell contributor counts: what the epoch
/// sealer computes in the clear before proving the sums (DESIGN.md 2, step 4), and what tests and
/// benchmarks use to build consistent aggregates. Its output is raw totals, not
/// <see cref="ProvenAggregates"/>: only the epoch verifier turns totals into proven aggregates.
/// Linked accounts: pass each member account's S_ib with the cluster's flags.
/// </summary>
public sealed class LsvAccumulator
{
    private readonly ulong[,] _lsv;
    private readonly int[,] _count;

    public LsvAccumulator(int shocks, int bands)
    {
        if (shocks < 1 || shocks > 32) throw new RiskInputException("shock count must be in [1, 32]");
        if (bands < 1) throw new RiskInputException("band count must be >= 1");
        _lsv = new ulong[shocks, bands];
        _count = new int[shocks, bands];
    }

    public LsvAccumulator(ParameterSet p) : this(p.ShockCount, p.TotalBands) { }

    public int Shocks => _lsv.GetLength(0);
    public int Bands => _lsv.GetLength(1);

    /// <summary>Adds one trader: for each shock with lam_is = 1, its S_ib (checked u64 sums).</summary>
    public void Add(LiquidationFlags flags, ReadOnlySpan<ulong> shortE4)
    {
        if (flags.ShockCount != Shocks) throw new RiskInputException($"flags cover {flags.ShockCount} shocks, expected {Shocks}");
        if (shortE4.Length != Bands) throw new RiskInputException($"exposure has {shortE4.Length} bands, expected {Bands}");
        if (flags.Mask == 0) return;
        for (int s = 0; s < Shocks; s++)
        {
            if (((flags.Mask >> s) & 1) == 0) continue;
            for (int b = 0; b < shortE4.Length; b++)
            {
                ulong v = shortE4[b];
                if (v == 0) continue;
                _lsv[s, b] = checked(_lsv[s, b] + v);
                _count[s, b]++;
            }
        }
    }

    /// <summary>Copy of the totals LSV[s, b].</summary>
    public ulong[,] Totals() => (ulong[,])_lsv.Clone();

    /// <summary>Copy of the contributor counts per cell.</summary>
    public int[,] ContributorCounts() => (int[,])_count.Clone();
}
