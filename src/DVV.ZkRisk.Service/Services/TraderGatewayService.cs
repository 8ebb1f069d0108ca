using DVV.ZkRisk.Api;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.TraderGateway: epoch information, submissions, receipts, margin notices.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindTraderGateway))]
internal sealed class TraderGatewayService(EpochService epochs, SubmissionGateway gateway, EpochPipeline pipeline) : TraderGateway.TraderGatewayBase
{
    public override async Task<EpochInfo> GetEpochInfo(GetEpochInfoRequest request, ServerCallContext context) =>
        (await epochs.GetInfoAsync(request.Epoch, context.CancellationToken)).ToMessage();

    /// <summary>The submission decoded once, here at the edge (a bad field is INVALID_ARGUMENT naming submission.&lt;path&gt;).</summary>
    public override async Task<SubmitPositionsResponse> SubmitPositions(SubmitPositionsRequest request, ServerCallContext context) =>
        new() { Receipt = (await gateway.SubmitAsync(request.Submission?.ToRecord("submission"), context.CancellationToken)).ToMessage() };

    public override async Task<Receipt> GetReceipt(GetReceiptRequest request, ServerCallContext context) =>
        (await gateway.GetReceiptAsync(request.SubmissionDigest.Memory, context.CancellationToken)).ToMessage();

    public override async Task<MarginNotice> GetMarginNotice(GetMarginNoticeRequest request, ServerCallContext context) =>
        (await pipeline.GetMarginNoticeAsync(request.ToRecord())).ToMessage();
}
