namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>
/// How the gateway batches and how much it holds (issue 13). Submissions that arrive together have their range proofs
/// verified in one batch and are made durable in one transaction; a lone submission is never held back.
/// </summary>
internal sealed record GatewayOptions
{
    /// <summary>Submissions inside the gateway at once (checked, queued or committing); one more is refused with
    /// RESOURCE_EXHAUSTED and a retry hint, so memory stays bounded (about 40 KB per submission).</summary>
    public int MaxInFlight { get; init; } = 1024;
    /// <summary>Submissions whose range proofs are verified in one batch (2 proofs each).</summary>
    public int ProofBatch { get; init; } = 128;
    /// <summary>How long a proof batch waits for submissions still in their earlier checks; zero: never waits.</summary>
    public TimeSpan ProofWindow { get; init; } = TimeSpan.FromMilliseconds(2);
    /// <summary>Submissions committed in one transaction.</summary>
    public int CommitBatch { get; init; } = 256;
    /// <summary>The retry hint sent when the gateway is at capacity.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMilliseconds(250);
}
