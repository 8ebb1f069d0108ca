using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Protocol.Proofs;

/// <summary>Aggregated range proofs over Pedersen commitments (the part of the proof system that is swappable).</summary>
internal interface IRangeProofBackend
{
    string Name { get; }
    byte[] Prove(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<Scalar> blindings, int bitSize);
    bool Verify(RangeProofContext context, IReadOnlyList<RistrettoPoint> commitments, ReadOnlySpan<byte> proof, int bitSize);
}

/// <summary>
/// The real group: Pedersen commitments C = v*B + r*B_blinding over ristretto255 (dalek-compatible generators),
/// canonical point and scalar decoding (RFC 9496), and the range proof from <see cref="IRangeProofBackend"/>.
/// </summary>
internal sealed class RistrettoProofSystem(IRangeProofBackend range) : ISubmissionProofSystem
{
    private readonly PedersenGens _pc = PedersenGens.Default;

    public string Name => $"ristretto255 Pedersen + {range.Name}";

    public byte[] RandomBlinding() => Scalar.Random().ToBytes();

    public void ValidatePoint(ReadOnlySpan<byte> point) => DecodePoint(point);

    public static RistrettoPoint DecodePoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != 32) throw new ProofEncodingException($"point must be 32 bytes, got {point.Length}");
        try { return RistrettoPoint.Decode(point); }
        catch (NonCanonicalEncodingException e) { throw new ProofEncodingException("non-canonical ristretto255 encoding: " + e.Message); }
        catch (CryptoFormatException e) { throw new ProofEncodingException("not a ristretto255 encoding: " + e.Message); }
    }

    public void ValidateScalar(ReadOnlySpan<byte> scalar) => DecodeScalar(scalar);

    public static Scalar DecodeScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != 32) throw new ProofEncodingException($"scalar must be 32 bytes, got {scalar.Length}");
        if (!Scalar.TryFromCanonical(scalar, out var s)) throw new ProofEncodingException("non-canonical scalar (>= l)");
        return s;
    }

    public byte[] Commit(ulong value, ReadOnlySpan<byte> blinding) => _pc.Commit(value, DecodeScalar(blinding)).ToBytes();

    public bool VerifyOpeningsBatch(IReadOnlyList<byte[]> commitments, IReadOnlyList<ulong> values, IReadOnlyList<byte[]> blindings)
    {
        int n = commitments.Count;
        var w = new Scalar[n];
        var pts = new RistrettoPoint[n];
        Scalar a = Scalar.Zero, b = Scalar.Zero;
        for (int i = 0; i < n; i++)
        {
            w[i] = Scalar.Random();
            pts[i] = DecodePoint(commitments[i]);
            a += w[i] * Scalar.FromUInt64(values[i]);
            b += w[i] * DecodeScalar(blindings[i]);
        }
        // The commitments are public: a variable-time MSM over them with fresh random weights; the secret sums go through
        // the constant-time commitment.
        return MultiscalarMul.Vartime(w, pts) == _pc.Commit(a, b);
    }

    public byte[] ProveRange(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<byte[]> blindings, int bitSize)
        => range.Prove(context, values, blindings.Select(b => DecodeScalar(b)).ToArray(), bitSize);

    public bool VerifyRange(RangeProofContext context, IReadOnlyList<byte[]> commitments, ReadOnlySpan<byte> proof, int bitSize)
        => range.Verify(context, commitments.Select(c => DecodePoint(c)).ToArray(), proof, bitSize);
}

/// <summary>The transcript every submission range proof starts from: label, epoch, parameter hash, trader key, statement hash.</summary>
internal static class RangeTranscript
{
    public static Transcript Create(RangeProofContext c)
    {
        var t = new Transcript(c.Label);
        t.AppendU64("epoch", c.Epoch);
        t.AppendMessage("parameter_hash", c.ParameterHash);
        t.AppendMessage("trader", c.TraderPublicKey);
        t.AppendMessage("statement_hash", c.StatementHash);
        return t;
    }
}
