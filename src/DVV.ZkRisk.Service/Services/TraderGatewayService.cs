using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.TraderGateway: epoch information, submissions, receipts, margin notices.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindTraderGateway))]
internal sealed class TraderGatewayService(EpochService epochs, SubmissionGateway gateway, EpochPipeline pipeline) : TraderGateway.TraderGatewayBase
{
    public override Task<EpochInfo> GetEpochInfo(GetEpochInfoRequest request, ServerCallContext context) =>
        epochs.GetInfoAsync(request.Epoch, context.CancellationToken);

    public override async Task<SubmitPositionsResponse> SubmitPositions(SubmitPositionsRequest request, ServerCallContext context) =>
        new() { Receipt = await gateway.SubmitAsync(request.Submission, context.CancellationToken) };

    public override Task<Receipt> GetReceipt(GetReceiptRequest request, ServerCallContext context) =>
        gateway.GetReceiptAsync(request.SubmissionDigest, context.CancellationToken);

    public override Task<MarginNotice> GetMarginNotice(GetMarginNoticeRequest request, ServerCallContext context) =>
        pipeline.GetMarginNoticeAsync(request);
}
