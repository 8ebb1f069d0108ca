using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Publication;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.Verifier: committee members' BLS attestations; a quorum publishes the epoch.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindVerifier))]
internal sealed class VerifierService(EpochPipeline pipeline) : Verifier.VerifierBase
{
    public override Task<AttestResponse> Attest(AttestRequest request, ServerCallContext context) =>
        pipeline.AttestAsync(request.Attestation, context.CancellationToken);
}
