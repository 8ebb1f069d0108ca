using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Epochs.Proofs;

/// <summary>Aggregated Bulletproofs (dalek bulletproofs 4.0 compatible, DVV.ZkRisk.Crypto.RangeProof) over the
/// submission transcript (label, epoch, parameter hash, trader key).</summary>
public sealed class BulletproofsRangeBackend : IRangeProofBackend
{
    // 64 bits x 128 parties: the exposure proof is 64 values of 64 bits, the indicator proof 128 values of 8 bits
    private readonly BulletproofGens _bp = Verification.RangeProofChunks.Gens;

    public string Name => "aggregated Bulletproofs";

    public byte[] Prove(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<Scalar> blindings, int bitSize)
        => RangeProof.ProveMultiple(_bp, PedersenGens.Default, RangeTranscript.Create(context), values.ToArray(), blindings.ToArray(), bitSize, out _).ToBytes();

    public bool Verify(RangeProofContext context, IReadOnlyList<RistrettoPoint> commitments, ReadOnlySpan<byte> proof, int bitSize)
    {
        RangeProof p;
        try { p = RangeProof.FromBytes(proof); }
        catch (CryptoFormatException e) { throw new ProofEncodingException(e.Message); }
        catch (ArgumentException e) { throw new ProofEncodingException(e.Message); }
        return p.TryVerify(_bp, PedersenGens.Default, RangeTranscript.Create(context), commitments.ToArray(), bitSize, out _);
    }
}
