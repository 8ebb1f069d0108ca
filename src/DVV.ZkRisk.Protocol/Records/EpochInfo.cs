namespace DVV.ZkRisk.Protocol.Records;

/// <summary>The lifecycle of an epoch at a venue.</summary>
public enum EpochStatus { Unspecified = 0, Open = 1, Sealed = 2, Published = 3 }

/// <summary>Everything a trader needs to build a submission for an epoch (wire: dvv.zkrisk.v1.EpochInfo).</summary>
public sealed record EpochInfo
{
    public ulong Epoch { get; init; }
    public EpochStatus Status { get; init; }
    public EpochParameters? Parameters { get; init; }
    public ReadOnlyMemory<byte> ParameterHash { get; init; }
    public BandGridDeclaration? BandGrid { get; init; }
    /// <summary>X25519, for the HPKE box.</summary>
    public ReadOnlyMemory<byte> VenueHpkePublicKey { get; init; }
    /// <summary>Ed25519, signs receipts.</summary>
    public ReadOnlyMemory<byte> VenueSigningPublicKey { get; init; }
    public IReadOnlyList<PublishedStatement> Statements { get; init; } = [];
    public long OpenedAtUnixMs { get; init; }
    public string RangeTranscriptLabel { get; init; } = "";
    public string HpkeInfo { get; init; } = "";
}
