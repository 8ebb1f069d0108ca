using System.Numerics;
using System.Security.Cryptography;

namespace DVV.ZkRisk.Epochs.Proofs;

/// <summary>
/// TEMPORARY stand-in until the Ristretto core and RangeProof land on main. NOT zero knowledge and NOT sound:
/// a "point" is an element of Z_l (32 bytes little endian), C = v*g + r*h mod l, and the "proof" is a hash over the
/// context, the commitments and the values' range bits. It keeps the encodings' rules (canonical &lt; l) so the
/// gateway's checks and statuses are exercised end to end. Delete when the real implementation is wired.
/// </summary>
public sealed class TemporaryTestProofSystem : ISubmissionProofSystem
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly BigInteger G = 9, Hh = BigInteger.Parse("1234567890123456789012345678901234567");

    public string Name => "temporary-test-double (NOT SECURE)";

    public byte[] RandomBlinding() => Enc(new BigInteger(RandomNumberGenerator.GetBytes(64), isUnsigned: true) % L);

    private static byte[] Enc(BigInteger x)
    {
        var b = new byte[32];
        x.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return b;
    }

    private static BigInteger Dec(ReadOnlySpan<byte> b) => new(b, isUnsigned: true, isBigEndian: false);

    public void ValidatePoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != 32) throw new ProofEncodingException($"point must be 32 bytes, got {point.Length}");
        if (Dec(point) >= L) throw new ProofEncodingException("non-canonical point encoding");
    }

    public void ValidateScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != 32) throw new ProofEncodingException($"scalar must be 32 bytes, got {scalar.Length}");
        if (Dec(scalar) >= L) throw new ProofEncodingException("non-canonical scalar (>= l)");
    }

    public byte[] Commit(ulong value, ReadOnlySpan<byte> blinding) => Enc((value * G + Dec(blinding) * Hh) % L);

    public byte[] ProveRange(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<byte[]> blindings, int bitSize)
    {
        var commitments = values.Select((v, i) => Commit(v, blindings[i])).ToList();
        return Tag(context, commitments, bitSize);
    }

    public bool VerifyRange(RangeProofContext context, IReadOnlyList<byte[]> commitments, ReadOnlySpan<byte> proof, int bitSize)
    {
        if (proof.Length != 32) throw new ProofEncodingException($"proof must be 32 bytes, got {proof.Length}");
        return CryptographicOperations.FixedTimeEquals(proof, Tag(context, commitments, bitSize));
    }

    private static byte[] Tag(RangeProofContext c, IReadOnlyList<byte[]> commitments, int bitSize)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(System.Text.Encoding.ASCII.GetBytes(RangeProofContext.TranscriptLabel));
        h.AppendData(BitConverter.GetBytes(c.Epoch)); h.AppendData(c.ParameterHash); h.AppendData(c.TraderPublicKey);
        h.AppendData(BitConverter.GetBytes(bitSize));
        foreach (var cm in commitments) h.AppendData(cm);
        return h.GetHashAndReset();
    }
}
