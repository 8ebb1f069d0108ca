using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Service.Grpc;
using Grpc.Health.V1;

namespace DVV.ZkRisk.Service;

/// <summary>Typed client of the DVV.ZkRisk services (SDK and CLI) on <see cref="GrpcClient"/>.</summary>
public sealed class ZkRiskClient(GrpcClient grpc) : IDisposable
{
    public GrpcClient Grpc { get; } = grpc;

    public ZkRiskClient(Uri address, System.Net.Security.RemoteCertificateValidationCallback? certValidation = null)
        : this(new GrpcClient(address, certValidation)) { }

    public Task<EpochInfo> GetEpochInfoAsync(ulong epoch = 0, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.TraderGateway + "/GetEpochInfo", new GetEpochInfoRequest { Epoch = epoch }, EpochInfo.Parser, o);

    public async Task<Receipt> SubmitAsync(Submission s, CallOptions? o = null) =>
        (await Grpc.UnaryAsync(ZkRiskServices.TraderGateway + "/SubmitPositions", new SubmitPositionsRequest { Submission = s }, SubmitPositionsResponse.Parser, o)).Receipt;

    public Task<Receipt> GetReceiptAsync(byte[] digest, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.TraderGateway + "/GetReceipt", new GetReceiptRequest { SubmissionDigest = Google.Protobuf.ByteString.CopyFrom(digest) }, Receipt.Parser, o);

    public IAsyncEnumerable<EpochEvent> WatchEpochsAsync(ulong from = 0, CallOptions? o = null) =>
        Grpc.ServerStreamingAsync(ZkRiskServices.Epochs + "/WatchEpochs", new WatchEpochsRequest { FromEpoch = from }, EpochEvent.Parser, o);

    /// <summary>Largest bundle <see cref="GetEpochAsync"/> assembles (a 10,000-trader checkpoint is about 230 MB).</summary>
    public long MaxBundleBytes { get; init; } = 1L << 30;

    /// <summary>A sealed bundle, fetched in parts (Epochs.GetEpochParts) and reassembled, so its size is bounded by
    /// <see cref="MaxBundleBytes"/> instead of the gRPC message limit.</summary>
    public async Task<EpochBundle> GetEpochAsync(ulong epoch = 0, CallOptions? o = null, int partBytes = 0)
    {
        byte[]? buffer = null;
        byte[]? hash = null;
        ulong at = 0, total = 0, ep = 0;
        await foreach (var p in Grpc.ServerStreamingAsync(ZkRiskServices.Epochs + "/GetEpochParts",
            new GetEpochPartsRequest { Epoch = epoch, PartBytes = (uint)partBytes }, EpochBundlePart.Parser, o))
        {
            if (buffer is null)
            {
                if (p.TotalBytes > (ulong)MaxBundleBytes)
                    throw new RpcException(StatusCode.ResourceExhausted, $"bundle of epoch {p.Epoch} is {p.TotalBytes} bytes, above the client's limit {MaxBundleBytes}");
                buffer = new byte[p.TotalBytes];
                hash = p.BundleHash.ToByteArray(); total = p.TotalBytes; ep = p.Epoch;
            }
            if (p.Epoch != ep || p.TotalBytes != total || !p.BundleHash.Span.SequenceEqual(hash) || p.Offset != at || at + (ulong)p.Data.Length > total)
                throw new RpcException(StatusCode.Internal, $"bundle part at offset {p.Offset} does not continue the parts received (expected offset {at} of {total}, epoch {ep})");
            p.Data.Span.CopyTo(buffer.AsSpan((int)at));
            at += (ulong)p.Data.Length;
        }
        if (buffer is null || at != total) throw new RpcException(StatusCode.Internal, $"bundle stream ended after {at} of {total} bytes");
        EpochBundle b;
        try { b = EpochBundle.Parser.ParseFrom(buffer); }
        catch (Google.Protobuf.InvalidProtocolBufferException e) { throw new RpcException(StatusCode.Internal, "the reassembled bundle does not parse: " + e.Message); }
        if (!b.BundleHash.Span.SequenceEqual(hash)) throw new RpcException(StatusCode.Internal, "the reassembled bundle is not the bundle the parts named");
        return b;
    }

    /// <summary>A sealed bundle in one message (Epochs.GetEpoch): only for bundles below the gRPC message limit.</summary>
    public Task<EpochBundle> GetEpochUnaryAsync(ulong epoch = 0, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.Epochs + "/GetEpoch", new GetEpochRequest { Epoch = epoch }, EpochBundle.Parser, o);

    public Task<InclusionProof> GetInclusionProofAsync(ulong epoch, byte[] trader, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.Epochs + "/GetInclusionProof",
            new GetInclusionProofRequest { Epoch = epoch, TraderPublicKey = Google.Protobuf.ByteString.CopyFrom(trader) }, InclusionProof.Parser, o);

    public Task<AttestResponse> AttestAsync(Attestation a, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.Verifier + "/Attest", new AttestRequest { Attestation = a }, AttestResponse.Parser, o);

    public Task<MarginNotice> GetMarginNoticeAsync(GetMarginNoticeRequest r, CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.TraderGateway + "/GetMarginNotice", r, MarginNotice.Parser, o);

    public Task<HealthCheckResponse> CheckHealthAsync(string service = "", CallOptions? o = null) =>
        Grpc.UnaryAsync(ZkRiskServices.Health + "/Check", new HealthCheckRequest { Service = service }, HealthCheckResponse.Parser, o);

    public void Dispose() => Grpc.Dispose();
}
