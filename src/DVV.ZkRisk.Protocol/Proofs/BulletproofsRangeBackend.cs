using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Protocol.Proofs;

/// <summary>Aggregated Bulletproofs (dalek bulletproofs 4.0 compatible, DVV.ZkRisk.Crypto.RangeProof) over the
/// submission transcript (label, epoch, parameter hash, trader key).</summary>
internal sealed class BulletproofsRangeBackend : IRangeProofBackend
{
    // the exposure proof (64 values of up to 64 bits) and the indicator proof (128 values of 8 bits) each on their own
    // generator instance, so that neither evicts the other's cached tables (RangeProofChunks.IndicatorGens)
    private static BulletproofGens Gens(int bits) => Verification.RangeProofChunks.For(bits);

    public string Name => "aggregated Bulletproofs";

    public byte[] Prove(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<Scalar> blindings, int bitSize)
        => RangeProof.ProveMultiple(Gens(bitSize), PedersenGens.Default, RangeTranscript.Create(context), values.ToArray(), blindings.ToArray(), bitSize, out _).ToBytes();

    public bool Verify(RangeProofContext context, IReadOnlyList<RistrettoPoint> commitments, ReadOnlySpan<byte> proof, int bitSize)
    {
        RangeProof p;
        try { p = RangeProof.FromBytes(proof); }
        catch (CryptoFormatException e) { throw new ProofEncodingException(e.Message); }
        catch (ArgumentException e) { throw new ProofEncodingException(e.Message); }
        return p.TryVerify(Gens(bitSize), PedersenGens.Default, RangeTranscript.Create(context), commitments.ToArray(), bitSize, out _);
    }
}
