namespace DVV.ZkRisk.Protocol.Records;

/// <summary>The venue's signed acknowledgement of a durable submission (wire: dvv.zkrisk.v1.Receipt); the signature covers
/// <see cref="Submissions.SubmissionDigest.Receipt"/>.</summary>
public sealed record Receipt
{
    public ulong Epoch { get; init; }
    public ReadOnlyMemory<byte> TraderPublicKey { get; init; }
    public ReadOnlyMemory<byte> SubmissionDigest { get; init; }
    /// <summary>The store-wide commit sequence number.</summary>
    public ulong Sequence { get; init; }
    public long ReceivedAtUnixMs { get; init; }
    /// <summary>This submission replaced the trader's earlier one for the epoch.</summary>
    public bool ReplacedPrevious { get; init; }
    public ReadOnlyMemory<byte> VenuePublicKey { get; init; }
    public ReadOnlyMemory<byte> VenueSignature { get; init; }
}
