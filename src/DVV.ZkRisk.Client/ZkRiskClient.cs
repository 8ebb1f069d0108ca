using DVV.ZkRisk.Api;
using DVV.ZkRisk.Api.V1;
using R = DVV.ZkRisk.Protocol.Records;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using EpochsApi = DVV.ZkRisk.Api.V1.Epochs;

namespace DVV.ZkRisk.Client;

/// <summary>
/// The venue's API for traders, verifiers and auditors on Grpc.Net.Client: one channel (h2c with prior knowledge for
/// http://, TLS with ALPN h2 for https://), the generated clients, a default deadline on unary calls, retries of
/// idempotent reads on UNAVAILABLE, and bundles fetched in parts and reassembled within a size bound.
/// Failures are <see cref="RpcException"/> with the server's status and message.
/// </summary>
public sealed class ZkRiskClient : IDisposable
{
    /// <summary>The services' full names, from the generated descriptors of the protos.</summary>
    public static readonly string TraderGatewayService = TraderGateway.Descriptor.FullName, EpochsService = EpochsApi.Descriptor.FullName,
        VerifierService = Api.V1.Verifier.Descriptor.FullName, OperatorService = Api.V1.Operator.Descriptor.FullName,
        HealthService = global::Grpc.Health.V1.Health.Descriptor.FullName;

    private readonly GrpcChannel _channel;
    private readonly ZkRiskClientOptions _o;

    public ZkRiskClient(Uri address, ZkRiskClientOptions? options = null)
    {
        _o = options ?? new ZkRiskClientOptions();
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        if (_o.ServerCertificateValidation != null)
            handler.SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = _o.ServerCertificateValidation };
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = _o.MaxReceiveMessageSize,
            MaxSendMessageSize = 4 << 20,
            ServiceConfig = _o.MaxAttempts > 1 ? new ServiceConfig { MethodConfigs = { IdempotentReads(_o.MaxAttempts), SubmitAtCapacity(_o.MaxAttempts) } } : null,
        });
        Address = address;
        Gateway = new TraderGateway.TraderGatewayClient(_channel);
        Epochs = new EpochsApi.EpochsClient(_channel);
        Verifier = new Verifier.VerifierClient(_channel);
        Operator = new Operator.OperatorClient(_channel);
        Health = new Health.HealthClient(_channel);
    }

    public Uri Address { get; }
    /// <summary>The generated clients, for calls this type does not wrap.</summary>
    public TraderGateway.TraderGatewayClient Gateway { get; }
    public EpochsApi.EpochsClient Epochs { get; }
    public Verifier.VerifierClient Verifier { get; }
    public Operator.OperatorClient Operator { get; }
    public Health.HealthClient Health { get; }

    /// <summary>Reads that change nothing are retried on UNAVAILABLE (a restarting venue, a dropped connection).</summary>
    private static MethodConfig IdempotentReads(int attempts)
    {
        var c = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = attempts, InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(2),
                BackoffMultiplier = 2, RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var (s, m) in new[]
        {
            (TraderGatewayService, "GetEpochInfo"), (TraderGatewayService, "GetReceipt"), (EpochsService, "GetEpoch"),
            (EpochsService, "GetEpochParts"), (EpochsService, "GetInclusionProof"), (EpochsService, "GetAttestation"),
            (EpochsService, "GetCommittee"), (HealthService, "Check"),
        })
            c.Names.Add(new MethodName { Service = s, Method = m });
        return c;
    }

    /// <summary>A submission refused at capacity (RESOURCE_EXHAUSTED) was not looked at, so sending it again is safe; the
    /// retry waits the server's grpc-retry-pushback-ms. Nothing else about a submission is retried: after any other
    /// failure the submission may have been stored, and GetReceipt says whether it was.</summary>
    private static MethodConfig SubmitAtCapacity(int attempts) => new()
    {
        Names = { new MethodName { Service = TraderGatewayService, Method = "SubmitPositions" } },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = attempts, InitialBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(2),
            BackoffMultiplier = 2, RetryableStatusCodes = { StatusCode.ResourceExhausted },
        },
    };

    private CallOptions Unary(TimeSpan? timeout, CancellationToken ct) => new(Headers(), DateTime.UtcNow + (timeout ?? _o.DefaultTimeout), ct);
    private CallOptions Stream(TimeSpan? timeout, CancellationToken ct) => new(Headers(), timeout is { } t ? DateTime.UtcNow + t : null, ct);
    private Metadata? Headers() => _o.OperatorToken is { } tok ? new Metadata { { "authorization", "Bearer " + tok } } : null;

    public async Task<R.EpochInfo> GetEpochInfoAsync(ulong epoch = 0, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Gateway.GetEpochInfoAsync(new GetEpochInfoRequest { Epoch = epoch }, Unary(timeout, ct))).ToRecord();

    public async Task<R.Receipt> SubmitAsync(R.Submission s, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Gateway.SubmitPositionsAsync(new SubmitPositionsRequest { Submission = s.ToMessage() }, Unary(timeout, ct))).Receipt.ToRecord();

    /// <summary>Submits a wire message as is (interop and hostile-input tests send what the record model cannot hold).</summary>
    public async Task<R.Receipt> SubmitRawAsync(Submission s, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Gateway.SubmitPositionsAsync(new SubmitPositionsRequest { Submission = s }, Unary(timeout, ct))).Receipt.ToRecord();

    public async Task<R.Receipt> GetReceiptAsync(byte[] digest, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Gateway.GetReceiptAsync(new GetReceiptRequest { SubmissionDigest = ByteString.CopyFrom(digest) }, Unary(timeout, ct))).ToRecord();

    public async Task<R.MarginNotice> GetMarginNoticeAsync(R.MarginNoticeRequest r, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Gateway.GetMarginNoticeAsync(r.ToMessage(), Unary(timeout, ct))).ToRecord();

    public async IAsyncEnumerable<EpochEvent> WatchEpochsAsync(ulong from = 0, TimeSpan? timeout = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var call = Epochs.WatchEpochs(new WatchEpochsRequest { FromEpoch = from }, Stream(timeout, ct));
        await foreach (var e in call.ResponseStream.ReadAllAsync(ct)) yield return e;
    }

    /// <summary>A sealed bundle, fetched in parts (Epochs.GetEpochParts) and reassembled, so its size is bounded by
    /// <see cref="ZkRiskClientOptions.MaxBundleBytes"/> instead of the gRPC message limit.</summary>
    public async Task<R.EpochBundle> GetEpochAsync(ulong epoch = 0, TimeSpan? timeout = null, CancellationToken ct = default, int partBytes = 0)
    {
        using var call = Epochs.GetEpochParts(new GetEpochPartsRequest { Epoch = epoch, PartBytes = (uint)partBytes }, Stream(timeout, ct));
        var assembly = new BundleAssembly(_o.MaxBundleBytes);
        await foreach (var p in call.ResponseStream.ReadAllAsync(ct)) assembly.Add(p);
        return assembly.Finish();
    }

    /// <summary>A sealed bundle in one message (Epochs.GetEpoch): only for bundles below the gRPC message limit.</summary>
    public async Task<R.EpochBundle> GetEpochUnaryAsync(ulong epoch = 0, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await Epochs.GetEpochAsync(new GetEpochRequest { Epoch = epoch }, Unary(timeout, ct))).ToRecord();

    public async Task<InclusionProof> GetInclusionProofAsync(ulong epoch, byte[] trader, TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Epochs.GetInclusionProofAsync(new GetInclusionProofRequest { Epoch = epoch, TraderPublicKey = ByteString.CopyFrom(trader) }, Unary(timeout, ct));

    /// <summary>The aggregated attestation that published <paramref name="epoch"/> (0: the latest published).</summary>
    public async Task<PublishedAttestation> GetAttestationAsync(ulong epoch = 0, TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Epochs.GetAttestationAsync(new GetAttestationRequest { Epoch = epoch }, Unary(timeout, ct));

    /// <summary>The verifier committee registry the venue accepts attestations from.</summary>
    public async Task<CommitteeRegistry> GetCommitteeAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Epochs.GetCommitteeAsync(new GetCommitteeRequest(), Unary(timeout, ct));

    public async Task<AttestResponse> AttestAsync(Attestation a, TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Verifier.AttestAsync(new AttestRequest { Attestation = a }, Unary(timeout, ct));

    /// <summary>Operator only (<see cref="ZkRiskClientOptions.OperatorToken"/>): seal the open epoch now.</summary>
    public async Task<SealEpochResponse> SealEpochAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Operator.SealEpochAsync(new SealEpochRequest(), Unary(timeout ?? TimeSpan.FromMinutes(30), ct));

    public async Task<HealthCheckResponse> CheckHealthAsync(string service = "", TimeSpan? timeout = null, CancellationToken ct = default) =>
        await Health.CheckAsync(new HealthCheckRequest { Service = service }, Unary(timeout, ct));

    public void Dispose() => _channel.Dispose();
}
