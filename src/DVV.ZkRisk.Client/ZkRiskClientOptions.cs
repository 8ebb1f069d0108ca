using System.Net.Security;

namespace DVV.ZkRisk.Client;

/// <summary>How <see cref="ZkRiskClient"/> talks to a venue.</summary>
public sealed class ZkRiskClientOptions
{
    /// <summary>For https: custom server-certificate validation (e.g. a pinned self-signed certificate); null: the system's.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>Deadline of a unary call when the caller gives none. Streams have none unless given.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest single response message (a bundle part is at most 4 MiB).</summary>
    public int MaxReceiveMessageSize { get; init; } = 8 << 20;

    /// <summary>Largest bundle <see cref="ZkRiskClient.GetEpochAsync"/> reassembles (a 10,000-trader checkpoint is about 373 MB).</summary>
    public long MaxBundleBytes { get; init; } = 1L << 30;

    /// <summary>Attempts of an idempotent read (epoch info, receipts, bundles, inclusion proofs, health) on UNAVAILABLE;
    /// submissions and attestations are never retried by the channel (the caller sees the failure and decides).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Operator calls only: the bearer token of the venue's operator.token file.</summary>
    public string? OperatorToken { get; init; }
}
