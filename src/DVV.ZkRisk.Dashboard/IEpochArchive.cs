namespace DVV.ZkRisk.Dashboard;

/// <summary>Where a live page reads the chain from (the venue's service): sealed bundles as published bytes and their
/// aggregated attestations. Everything is re-read and re-verified from these bytes, as an outside verifier would.</summary>
internal interface IEpochArchive
{
    /// <summary>The latest sealed epoch (0: none yet).</summary>
    Task<ulong> LatestSealedAsync(CancellationToken ct);
    /// <summary>A sealed epoch's bundle, its canonical encoding as served by Epochs/GetEpochParts.</summary>
    Task<byte[]> BundleBytesAsync(ulong epoch, CancellationToken ct);
    /// <summary>The aggregated attestation that published the epoch; null while it is not published.</summary>
    Task<byte[]?> AttestationAsync(ulong epoch, CancellationToken ct);
}
