using System.Threading.Channels;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Epochs.Gateway;
using DVV.ZkRisk.Epochs.Publication;
using DVV.ZkRisk.Service.Grpc;
using Grpc.Health.V1;

namespace DVV.ZkRisk.Service;

/// <summary>Binds the API's services onto the gRPC registry and maps gateway refusals onto gRPC statuses.</summary>
public static class ZkRiskServices
{
    public const string TraderGateway = "dvv.zkrisk.v1.TraderGateway";
    public const string Epochs = "dvv.zkrisk.v1.Epochs";
    public const string Verifier = "dvv.zkrisk.v1.Verifier";
    public const string Health = "grpc.health.v1.Health";

    public static StatusCode ToStatus(GatewayError e) => e switch
    {
        GatewayError.InvalidArgument => StatusCode.InvalidArgument,
        GatewayError.NotFound => StatusCode.NotFound,
        GatewayError.FailedPrecondition => StatusCode.FailedPrecondition,
        GatewayError.AlreadyExists => StatusCode.AlreadyExists,
        GatewayError.ResourceExhausted => StatusCode.ResourceExhausted,
        GatewayError.Unimplemented => StatusCode.Unimplemented,
        GatewayError.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.Unknown,
    };

    private static async Task<T> Map<T>(Func<Task<T>> f)
    {
        try { return await f(); }
        catch (GatewayException e) { throw new RpcException(ToStatus(e.Error), e.Message); }
    }

    /// <param name="maxSendMessageSize">the server's response limit: bundle parts are cut below it</param>
    public static GrpcServiceRegistry Register(GrpcServiceRegistry r, EpochService epochs, SubmissionGateway gateway, EpochPipeline pipeline,
        int maxSendMessageSize = GrpcProtocol.DefaultMaxMessageSize)
    {
        r.AddUnary<GetEpochInfoRequest, EpochInfo>(TraderGateway, "GetEpochInfo", GetEpochInfoRequest.Parser,
            (req, ctx) => Map(() => epochs.GetInfoAsync(req.Epoch, ctx.CancellationToken)));
        r.AddUnary<SubmitPositionsRequest, SubmitPositionsResponse>(TraderGateway, "SubmitPositions", SubmitPositionsRequest.Parser,
            (req, ctx) => Map(async () => new SubmitPositionsResponse { Receipt = await gateway.SubmitAsync(req.Submission, ctx.CancellationToken) }));
        r.AddUnary<GetReceiptRequest, Receipt>(TraderGateway, "GetReceipt", GetReceiptRequest.Parser,
            (req, ctx) => Map(() => gateway.GetReceiptAsync(req.SubmissionDigest, ctx.CancellationToken)));
        r.AddUnary<GetMarginNoticeRequest, MarginNotice>(TraderGateway, "GetMarginNotice", GetMarginNoticeRequest.Parser,
            (req, ctx) => Map(() => pipeline.GetMarginNoticeAsync(req)));

        r.AddUnary<GetEpochRequest, EpochBundle>(Epochs, "GetEpoch", GetEpochRequest.Parser,
            (req, ctx) => Map(() => pipeline.GetBundleAsync(req.Epoch)));
        r.AddServerStreaming<GetEpochPartsRequest, EpochBundlePart>(Epochs, "GetEpochParts", GetEpochPartsRequest.Parser,
            (req, w, ctx) => PartsAsync(pipeline, req, w, ctx, maxSendMessageSize - PartOverhead));
        r.AddServerStreaming<WatchEpochsRequest, EpochEvent>(Epochs, "WatchEpochs", WatchEpochsRequest.Parser,
            (req, w, ctx) => WatchAsync(epochs, req, w, ctx));
        r.AddUnary<GetInclusionProofRequest, InclusionProof>(Epochs, "GetInclusionProof", GetInclusionProofRequest.Parser,
            (req, ctx) => Map(() => pipeline.GetInclusionProofAsync(req.Epoch, req.TraderPublicKey)));

        r.AddUnary<AttestRequest, AttestResponse>(Verifier, "Attest", AttestRequest.Parser,
            (req, ctx) => Map(() => pipeline.AttestAsync(req.Attestation, ctx.CancellationToken)));

        var known = new HashSet<string> { "", TraderGateway, Epochs, Verifier, Health };
        r.AddUnary<HealthCheckRequest, HealthCheckResponse>(Health, "Check", HealthCheckRequest.Parser, (req, ctx) =>
            known.Contains(req.Service)
                ? Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving })
                : throw new RpcException(StatusCode.NotFound, $"unknown service '{req.Service}'"));
        r.AddServerStreaming<HealthCheckRequest, HealthCheckResponse>(Health, "Watch", HealthCheckRequest.Parser, async (req, w, ctx) =>
        {
            await w.WriteAsync(new HealthCheckResponse
            {
                Status = known.Contains(req.Service) ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.ServiceUnknown,
            });
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        });
        return r;
    }

    public const int DefaultPartBytes = 1 << 20, MinPartBytes = 64 << 10, MaxPartBytes = 4 << 20, PartOverhead = 256;

    /// <summary>Streams a bundle's canonical encoding in contiguous parts (the encoding is built once per bundle and cached).</summary>
    /// <remarks>Parts are at most <paramref name="cap"/> bytes (the server's message limit less the part's own fields).</remarks>
    private static async Task PartsAsync(EpochPipeline pipeline, GetEpochPartsRequest req, IServerStreamWriter<EpochBundlePart> w, ServerCallContext ctx, int cap)
    {
        if (req.PartBytes != 0 && (req.PartBytes < MinPartBytes || req.PartBytes > MaxPartBytes))
            throw new RpcException(StatusCode.InvalidArgument, $"part_bytes: {req.PartBytes} is outside {MinPartBytes}..{MaxPartBytes}");
        int size = Math.Max(1024, Math.Min(req.PartBytes == 0 ? DefaultPartBytes : (int)req.PartBytes, cap));
        var (epoch, hash, bytes) = await Map(() => pipeline.GetBundleBytesAsync(req.Epoch));
        var h = Google.Protobuf.ByteString.CopyFrom(hash);
        for (int off = 0; off < bytes.Length || off == 0; off += size)
        {
            ctx.CancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(size, bytes.Length - off);
            await w.WriteAsync(new EpochBundlePart
            {
                Epoch = epoch, BundleHash = h, TotalBytes = (ulong)bytes.Length, Offset = (ulong)off,
                Data = Google.Protobuf.ByteString.CopyFrom(bytes, off, n),
            });
            if (bytes.Length == 0) break;
        }
    }

    /// <summary>Streams epoch events: the state of every epoch from from_epoch (0: the latest) on, then changes as they happen.</summary>
    private static async Task WatchAsync(EpochService epochs, WatchEpochsRequest req, IServerStreamWriter<EpochEvent> w, ServerCallContext ctx)
    {
        var ch = Channel.CreateUnbounded<EpochEvent>();
        using var sub = epochs.Subscribe(e => ch.Writer.TryWrite(e));
        var latest = await epochs.LatestAsync(ctx.CancellationToken)
                     ?? throw new RpcException(StatusCode.NotFound, "no epoch exists yet");
        ulong from = req.FromEpoch == 0 ? latest.Epoch : req.FromEpoch;
        if (from > latest.Epoch) throw new RpcException(StatusCode.NotFound, $"from_epoch: epoch {from} is unknown (latest is {latest.Epoch})");
        ulong sentUpTo = 0;
        for (ulong e = from; e <= latest.Epoch; e++)
        {
            var info = await epochs.GetInfoAsync(e, ctx.CancellationToken);
            await w.WriteAsync(new EpochEvent { Epoch = e, Status = info.Status, AtUnixMs = info.OpenedAtUnixMs });
            sentUpTo = e;
        }
        await foreach (var ev in ch.Reader.ReadAllAsync(ctx.CancellationToken))
        {
            if (ev.Epoch < from || (ev.Epoch <= sentUpTo && ev.Status == EpochStatus.Open)) continue;
            await w.WriteAsync(ev);
        }
    }
}
