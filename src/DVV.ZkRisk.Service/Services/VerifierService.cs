using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Publication;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.Verifier: committee members' BLS attestations; a quorum publishes the epoch.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindVerifier))]
internal sealed class VerifierService(EpochPipeline pipeline) : Verifier.VerifierBase
{
    public override async Task<AttestResponse> Attest(AttestRequest request, ServerCallContext context)
    {
        var a = request.Attestation;
        var t = await pipeline.AttestAsync(a is null ? null : new VerifierAttestation(a.Epoch, a.BundleHash.Memory, a.VerifierIndex, a.BlsPublicKey.Memory, a.BlsSignature.Memory), context.CancellationToken);
        var r = new AttestResponse { Attestations = t.Attestations, Quorum = t.Quorum, Published = t.Published };
        if (t.AggregateSignature is { } sig) r.AggregateSignature = Google.Protobuf.ByteString.CopyFrom(sig);
        if (t.SignerBitmap is { } bits) r.SignerBitmap = Google.Protobuf.ByteString.CopyFrom(bits);
        return r;
    }
}
