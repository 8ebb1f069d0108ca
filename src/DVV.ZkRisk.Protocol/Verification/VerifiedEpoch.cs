using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Risk;

using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>
/// An epoch whose bundle passed <see cref="BundleVerifier"/>: the only way to obtain <see cref="ProvenAggregates"/>
/// (its constructor is internal and called by the verifier alone, after every check held).
/// </summary>
public sealed class VerifiedEpoch
{
    internal VerifiedEpoch(EpochBundle bundle, EpochState state)
    {
        Bundle = bundle;
        State = state;
        Context = EpochContext.Of(bundle.Parameters);
        int shocks = RiskParameters.ShockCount, bands = RiskParameters.TotalBands;
        var lsv = new ulong[shocks, bands];
        var contributors = new int[shocks, bands];
        var s = new ulong[bands]; var l = new ulong[bands];
        var sc = new int[bands]; var lc = new int[bands];
        foreach (var a in bundle.Aggregates)
        {
            if (a.ShockIndex >= 0) { lsv[a.ShockIndex, a.Band] = a.Published ? a.Value : 0; contributors[a.ShockIndex, a.Band] = (int)a.Contributors; }
            else if (a.IsShort) { s[a.Band] = a.Value; sc[a.Band] = (int)a.Contributors; }
            else { l[a.Band] = a.Value; lc[a.Band] = (int)a.Contributors; }
        }
        // withheld LSV cells enter V(s) through the proven remainder W_s (contracts x 10^4 x 2^16 -> coins)
        var withheld = new double[shocks];
        for (int x = 0; x < shocks && x < state.WithheldRemainders.Length; x++)
            withheld[x] = (double)state.WithheldRemainders[x] / BundleFormat.LsfWeightScale / DVV.ZkRisk.Risk.Quantity.UnitsPerContract;
        Aggregates = ProvenAggregates.FromVerifiedTotals((long)bundle.Epoch, RiskParameters, lsv, contributors, withheld);
        ShortOpenInterest = s; LongOpenInterest = l; ShortContributors = sc; LongContributors = lc;
    }

    public EpochBundle Bundle { get; }
    /// <summary>Whether the bundle selects one point per LSV cell (selection.v4): a selection opening then opens
    /// G_sb - chi lam z_b B.</summary>
    internal bool CombinesCells => Bundle.Statements.Any(d => d.Name == "selection" && d.Version >= 4);
    public ulong Epoch => Bundle.Epoch;
    public byte[] BundleHash => Bundle.BundleHash.ToArray();
    public EpochState State { get; }
    /// <summary>Traders (hex keys) the venue could not value this epoch, flagged in every shock by the conservative rule
    /// (checked: <see cref="Sealing.ConservativeFlagsRule"/>).</summary>
    public IReadOnlySet<string> Unvalued => _unvalued ??= Bundle.Unvalued.Select(u => Convert.ToHexStringLower(u.TraderPublicKey.Span)).ToHashSet(StringComparer.Ordinal);
    private HashSet<string>? _unvalued;
    /// <summary>The epoch's parameter set, decoded once.</summary>
    public EpochContext Context { get; }
    public DVV.ZkRisk.Risk.ParameterSet RiskParameters => Context.Risk;
    public MarketSnapshot Market => Context.Market;
    /// <summary>The CAVB engine of this epoch (depends on the parameters and the market only), built once.</summary>
    internal CavbEngine Cavb => _cavb ??= new CavbEngine(MarginContext.ForBooks(RiskParameters, Market, []));
    private CavbEngine? _cavb;
    /// <summary>LSV per shock and band, proven; the CAVB engine's only crowd input.</summary>
    public ProvenAggregates Aggregates { get; }
    /// <summary>Proven S_b and L_b totals per band (0 where withheld).</summary>
    public IReadOnlyList<ulong> ShortOpenInterest { get; }
    public IReadOnlyList<ulong> LongOpenInterest { get; }
    public IReadOnlyList<int> ShortContributors { get; }
    public IReadOnlyList<int> LongContributors { get; }
}
