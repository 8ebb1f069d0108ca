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

    public Task<EpochBundle> GetEpochAsync(ulong epoch = 0, CallOptions? o = null) =>
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
