using System.Net;
using System.Security.Cryptography.X509Certificates;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Storage;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service;

public sealed class ZkRiskServerOptions
{
    public IPEndPoint Listen { get; set; } = new(IPAddress.Loopback, 0);
    /// <summary>Serve the dashboard page (docs/dashboard.md) on this endpoint, HTTP/1.1 (HTTPS with <see cref="Certificate"/>);
    /// null: no page. The page re-verifies every sealed bundle, which costs a verifier's CPU per epoch.</summary>
    public IPEndPoint? Dashboard { get; set; }
    /// <summary>Notice checks the page runs at once (each costs a few hundred group operations); one more is answered 429
    /// with Retry-After, so an unauthenticated flood cannot take the venue's CPU.</summary>
    public int DashboardNoticeChecks { get; set; } = 2;
    /// <summary>Event streams the page keeps open at once; one more is answered 503 with Retry-After.</summary>
    public int DashboardEventStreams { get; set; } = 256;
    public string DataDirectory { get; set; } = "data";
    /// <summary>A PostgreSQL connection string selects the PostgreSQL store; null: SQLite under <see cref="DataDirectory"/>.</summary>
    public string? PostgresConnectionString { get; set; }
    /// <summary>Serve TLS (HTTP/2 via ALPN) with this certificate; null: HTTP/2 cleartext with prior knowledge (h2c).</summary>
    public X509Certificate2? Certificate { get; set; }
    /// <summary>Largest request message accepted (RESOURCE_EXHAUSTED above it). A submission is about 40 KB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 << 20;
    /// <summary>Largest response message sent; bundle parts are cut below it.</summary>
    public int MaxSendMessageSize { get; set; } = 4 << 20;
    /// <summary>Tests only: runs at the start of the gateway's range-proof stage (to make a check slow).</summary>
    internal Action? GatewayProofStageHook { get; set; }
    /// <summary>An already opened store (tests); when set, DataDirectory and PostgresConnectionString are ignored.</summary>
    internal IStore? Store { get; set; }
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;
    /// <summary>The verifier committee whose attestation quorum publishes an epoch; null: Attest answers FAILED_PRECONDITION.</summary>
    public DVV.ZkRisk.Crypto.Bls12381.VerifierCommittee? Committee { get; set; }
    /// <summary>The venue's funding ledger (trader key hex to funding source), asked at each seal: accounts funded from one
    /// source are margined as one linked-account cluster (circuits/cluster.v1.json). Null: declarations and identical books only.</summary>
    public Func<IReadOnlyDictionary<string, string>?>? FundingSources { get; set; }
    /// <summary>Statement definitions (circuits/); null: <see cref="StatementSet.LoadDefault"/>.</summary>
    public StatementSet? Statements { get; set; }
    /// <summary>Required: the parameter set (risk parameters, market) of each new epoch, given its number and opening time.
    /// The operator's market feed; the service has no market of its own (`dvv-zk serve` builds one from --params and
    /// --market, or the demo market).</summary>
    public Func<ulong, DateTimeOffset, DVV.ZkRisk.Protocol.Records.EpochParameters>? Parameters { get; set; }
    /// <summary>The chain's governance, onboarding authorities and pinned committee, given the venue's signing key; null: the venue
    /// governs itself and admits traders with its own key (<see cref="EpochAuthorities.VenueOperated"/>, committee = <see cref="Committee"/>).</summary>
    public Func<DVV.ZkRisk.Crypto.Signing.Ed25519PrivateKey, EpochAuthorities>? Authorities { get; set; }
    /// <summary>Submissions the gateway holds at once (being checked, batched or committed); one more is answered
    /// RESOURCE_EXHAUSTED with a grpc-retry-pushback-ms trailer of <see cref="RetryAfter"/>.</summary>
    public int MaxInFlightSubmissions { get; set; } = 1024;
    /// <summary>How long a batch of range proofs waits for submissions still in their earlier checks (zero: never; a lone
    /// submission never waits). Longer windows give bigger batches (throughput) at the cost of that much latency.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(2);
    /// <summary>The retry hint of a refusal at capacity.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Seal the open epoch on this schedule; null: only on the operator's Operator/SealEpoch call.</summary>
    public TimeSpan? SealEvery { get; set; }
    /// <summary>Called after each scheduled seal (e.g. to print it).</summary>
    public Action<SealedEpoch>? OnSealed { get; set; }
    /// <summary>The bearer secret of Operator calls; null: the one in <see cref="OperatorTokenFile"/>, else a fresh one
    /// (<see cref="ZkRiskServer.OperatorToken"/>).</summary>
    public string? OperatorToken { get; set; }
    /// <summary>Where the operator token is kept: read when the file exists, else a fresh token is written there (mode 0600).</summary>
    public string? OperatorTokenFile { get; set; }
}
