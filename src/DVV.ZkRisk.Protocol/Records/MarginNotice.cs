using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// One trader's margin for a published epoch (wire: dvv.zkrisk.v1.MarginNotice); amounts are decimal strings in USD as
/// signed. The venue signs <see cref="Publication.Notices.Digest"/> (the canonical encoding with the signature empty).
/// </summary>
public sealed record MarginNotice
{
    public ulong Epoch { get; init; }
    public ReadOnlyMemory<byte> TraderPublicKey { get; init; }
    public string InitialMargin { get; init; } = "";
    public string Cavb { get; init; } = "";
    public string TotalMargin { get; init; } = "";
    /// <summary>Blinding of D_isb, shock-major [s B + b]: lam_is r_ib + rho_isb (its value is lam_is S_ib).</summary>
    public IReadOnlyList<Scalar> SelectionOpenings { get; init; } = [];
    /// <summary>lam_is per shock.</summary>
    public IReadOnlyList<bool> LiquidationFlags { get; init; } = [];
    public ReadOnlyMemory<byte> VenueSignature { get; init; }
    public string MaintenanceMargin { get; init; } = "";
    public ReadOnlyMemory<byte> BundleHash { get; init; }
    /// <summary>The submission the notice was computed from.</summary>
    public ReadOnlyMemory<byte> SubmissionDigest { get; init; }
    /// <summary>The epoch whose bundle issued these selection commitments.</summary>
    public ulong SelectionEpoch { get; init; }
    /// <summary>The book is in the bundle's unvalued list: IM, MM and total are empty, CAVB is computed with every flag set.</summary>
    public bool Unvalued { get; init; }
    /// <summary>The linked-account cluster the trader belongs to (the bundle's members, ascending, itself included); empty
    /// when it is margined alone. The amounts are then the cluster's: IM and MM of the merged book, CAVB from the members'
    /// summed committed short exposure with the cluster's flags; every member's notice carries the same amounts.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ClusterMembers { get; init; } = [];
}

/// <summary>A trader's signed request for its own notice (wire: dvv.zkrisk.v1.GetMarginNoticeRequest).</summary>
public sealed record MarginNoticeRequest(ulong Epoch, ReadOnlyMemory<byte> TraderPublicKey, long RequestedAtUnixMs, ReadOnlyMemory<byte> Signature);
