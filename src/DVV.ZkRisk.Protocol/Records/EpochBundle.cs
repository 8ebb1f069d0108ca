using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// What the venue publishes for an epoch (wire: dvv.zkrisk.v1.EpochBundle), decoded: the parameter set, the new or
/// replaced submissions (all of them at a checkpoint), the selection parts issued this epoch, every cell's aggregate
/// with its proofs, the withheld remainders, the Merkle root over the folded state and the chain link. Its hash
/// (<see cref="Sealing.BundleFormat.Hash"/>) is over its canonical encoding with <see cref="BundleHash"/> empty.
/// </summary>
public sealed record EpochBundle
{
    public ulong Epoch { get; init; }
    public EpochParameters? Parameters { get; init; }
    public ReadOnlyMemory<byte> ParameterHash { get; init; }
    public IReadOnlyList<PublishedStatement> Statements { get; init; } = [];
    /// <summary>New or replaced since the parent (all of them in a checkpoint), each with its sealed opening replaced by its hash.</summary>
    public IReadOnlyList<Submission> Submissions { get; init; } = [];
    public IReadOnlyList<SelectionPart> Selections { get; init; } = [];
    public IReadOnlyList<BandAggregate> Aggregates { get; init; } = [];
    public ReadOnlyMemory<byte> MerkleRoot { get; init; }
    public ReadOnlyMemory<byte> PreviousBundleHash { get; init; }
    public bool Checkpoint { get; init; }
    public ReadOnlyMemory<byte> BundleHash { get; init; }
    /// <summary>SHA-256 over the statement hashes in name order (bound into every transcript).</summary>
    public ReadOnlyMemory<byte> StatementHash { get; init; }
    /// <summary>The epoch of the last full checkpoint (this one when <see cref="Checkpoint"/>).</summary>
    public ulong CheckpointEpoch { get; init; }
    /// <summary>Traders in the folded state (Merkle leaves).</summary>
    public uint TraderCount { get; init; }
    /// <summary>Traders whose selection parts were re-randomised without a new submission.</summary>
    public uint CoverCount { get; init; }
    public long SealedAtUnixMs { get; init; }
    /// <summary>Opens the parameter set's cover-seed commitment; the cover set is derived from it.</summary>
    public ReadOnlyMemory<byte> CoverSeed { get; init; }
    /// <summary>Parent traders whose submission expired (valid_until at or before the valuation time), sorted.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ExpiredTraders { get; init; } = [];
    /// <summary>One per shock.</summary>
    public IReadOnlyList<WithheldRemainder> Withheld { get; init; } = [];
    /// <summary>round(h_b(s) 2^16), shock-major [s B + b].</summary>
    public IReadOnlyList<uint> LsfWeights { get; init; } = [];
    /// <summary>Traders the risk engine could not value this epoch, sorted by key.</summary>
    public IReadOnlyList<ConservativeFlags> Unvalued { get; init; } = [];
    /// <summary>Under the flag statement: the coefficients the flag proofs were made with (null under suite 1).</summary>
    public FlagCoefficients? FlagCoefficients { get; init; }
    /// <summary>Under the flag statement: one per trader whose parts this bundle carries, except the unvalued ones; sorted by key.</summary>
    public IReadOnlyList<TraderFlagProof> FlagProofs { get; init; } = [];
    /// <summary>Under the cluster statement: every linked-account cluster of the folded state (declared or detected), sorted
    /// by first member; a trader in none is margined alone.</summary>
    public IReadOnlyList<AccountCluster> Clusters { get; init; } = [];
    /// <summary>Under sum.v3: 64-bit range proofs over T' = T - chi n B of the withheld LSV cells, in cell order, 64 cells
    /// per proof (circuits/sum.v3.json); they bind the withheld cells' contributor counts.</summary>
    public IReadOnlyList<AggregatedRangeProof> WithheldCellProofs { get; init; } = [];
}

/// <summary>How a cluster came to be: its members declared it (every member's submission names the others), or the venue
/// detected it (shared funding, identical books) without or beyond a declaration.</summary>
public enum ClusterKind { Unspecified = 0, Declared = 1, Detected = 2 }

/// <summary>
/// Linked accounts margined as one (wire: dvv.zkrisk.v1.AccountCluster, circuits/cluster.v1.json): the members' Ed25519
/// keys, strictly ascending, 2 to <see cref="Flags.ClusterFlagProof.MaxMembers"/> of them; how it came to be; for a
/// detected cluster the venue's evidence (e.g. "shared funding", "identical books"). Every member's flags are proven
/// at least its own band-model flag and at least the flag of the members' summed distance.
/// </summary>
public sealed record AccountCluster(IReadOnlyList<ReadOnlyMemory<byte>> Members, ClusterKind Kind, string Evidence)
{
    /// <summary>The members' keys in lower-case hex, joined by '+': the cluster's identity in notices and findings.</summary>
    public string Key => string.Join('+', Members.Select(m => Convert.ToHexStringLower(m.Span)));
}

/// <summary>
/// One trader's selection commitments for one shock (wire: dvv.zkrisk.v1.SelectionPart): D_isb = lam_is C_ib + rho_isb B~
/// and E_isb = lam_is Z_ib + rho'_isb B~ per band, and under selection.v3 F_is = lam_is B + phi_is B~, with the proof that
/// lam_is is one bit shared by every band (circuits/selection.v2.json, selection.v3.json), issued in <see cref="IssuedEpoch"/> under <see cref="IssuedParameterHash"/>.
/// </summary>
public sealed record SelectionPart
{
    public ReadOnlyMemory<byte> TraderPublicKey { get; init; }
    public uint ShockIndex { get; init; }
    public IReadOnlyList<Commitment> Selected { get; init; } = [];
    /// <summary>Null when the wire carries no proof bytes.</summary>
    public SelectionProof? Proof { get; init; }
    public ulong IssuedEpoch { get; init; }
    public ReadOnlyMemory<byte> IssuedParameterHash { get; init; }
    public IReadOnlyList<Commitment> SelectedIndicators { get; init; } = [];
    /// <summary>F_is = lam_is B + phi_is B~ (selection.v3, the flag bit the trader's flag proof refers to); null under selection.v2.</summary>
    public Commitment? FlagBit { get; init; }
}

/// <summary>The band-model flag coefficients a bundle was proven with (wire: dvv.zkrisk.v1.FlagCoefficients): long and short
/// per shock and band (shock-major), coin per shock (circuits/flag.v1.json).</summary>
public sealed record FlagCoefficients(IReadOnlyList<long> Long, IReadOnlyList<long> Short, IReadOnlyList<long> Coin);

/// <summary>One trader's flag proof (wire: dvv.zkrisk.v1.FlagProof): one aggregated range proof over X_s + 2^64 F_s; for a
/// member of a cluster (circuits/cluster.v1.json) over X_s + 2^62 F_s and then X_cs + 2^62 F_s, 2 values per shock.</summary>
public sealed record TraderFlagProof(ReadOnlyMemory<byte> TraderPublicKey, AggregatedRangeProof? Proof);

/// <summary>A cell's aggregate (wire: dvv.zkrisk.v1.BandAggregate): S or L per band (<see cref="ShockIndex"/> -1) or LSV
/// per shock and band, its value proven by <see cref="SumProof"/> when published and its contributor count always
/// proven by <see cref="CountProof"/>.</summary>
public sealed record BandAggregate
{
    public uint Band { get; init; }
    public int ShockIndex { get; init; }
    public bool IsShort { get; init; }
    public ulong Value { get; init; }
    public uint Contributors { get; init; }
    /// <summary>False when 0 &lt; contributors &lt; k_min.</summary>
    public bool Published { get; init; }
    public SumProof? SumProof { get; init; }
    public SumProof? CountProof { get; init; }
}

/// <summary>The proven weighted LSV of one shock's withheld cells (wire: dvv.zkrisk.v1.WithheldRemainder):
/// value = Sum over withheld b of w_sb LSV_sb, against Sum_b w_sb Sum_i D_isb.</summary>
public sealed record WithheldRemainder(uint ShockIndex, UInt128 Value, SumProof? SumProof);

/// <summary>A trader flagged in every shock because its book could not be valued, with the blindings that show it
/// (wire: dvv.zkrisk.v1.ConservativeFlags): rho_isb and rho'_isb, [shock][band].</summary>
public sealed record ConservativeFlags(ReadOnlyMemory<byte> TraderPublicKey, IReadOnlyList<Scalar> Rho, IReadOnlyList<Scalar> IndicatorRho);
