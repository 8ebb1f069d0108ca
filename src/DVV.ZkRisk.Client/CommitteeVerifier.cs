using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;
using Attestation = DVV.ZkRisk.Api.V1.Attestation;

namespace DVV.ZkRisk.Client;

/// <summary>
/// One member of the verifier committee: fetches each sealed bundle (Epochs.GetEpoch), checks it completely against
/// the chain it has verified so far, and only then signs and sends its BLS attestation (Verifier.Attest).
/// </summary>
public sealed class CommitteeVerifier(int index, BlsSecretKey key, BundleVerifier verifier)
{
    private readonly ChainFold _fold = new(verifier);

    public int Index => index;
    public VerificationResult? Last { get; private set; }

    /// <summary>Verifies <paramref name="epoch"/>'s bundle against the chain verified so far; attests when it holds, returns the findings otherwise.</summary>
    /// <param name="checkRangeProofs">false only in benchmarks whose submissions carry no range proofs</param>
    public async Task<(VerificationResult Result, AttestResponse? Response)> VerifyAndAttestAsync(ZkRiskClient client, ulong epoch, CancellationToken ct = default,
        bool checkRangeProofs = true)
    {
        Protocol.Records.EpochBundle bundle;
        try { bundle = await client.GetEpochAsync(epoch, ct: ct); }
        catch (Protocol.Codec.WireDecodeException e) { Last = VerificationResult.Undecodable(e); return (Last, null); }
        var r = _fold.Add(bundle, checkRangeProofs);
        Last = r;
        if (!r.IsValid) return (r, null);
        var att = Crypto.Bls12381.Attestation.Create(key, index, bundle.Epoch, bundle.BundleHash.Span);
        var resp = await client.AttestAsync(new Attestation
        {
            Epoch = bundle.Epoch, BundleHash = ByteString.CopyFrom(bundle.BundleHash.Span), VerifierIndex = (uint)index,
            BlsPublicKey = ByteString.CopyFrom(key.PublicKey.ToBytes()), BlsSignature = ByteString.CopyFrom(att.Signature.ToBytes()),
        }, ct: ct);
        return (r, resp);
    }
}
