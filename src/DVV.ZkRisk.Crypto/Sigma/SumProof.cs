using System.Text;

namespace DVV.ZkRisk.Crypto.Sigma;

/// <summary>
/// Proof that a published aggregate A is the sum of the values inside a set of Pedersen commitments:
/// a Schnorr proof of knowledge of r with P = Sum(C_i) - A*B = r*B_blinding (Schnorr 1991; made
/// non-interactive by Fiat-Shamir over Merlin). Since log_B(B_blinding) is unknown, knowing such an r
/// means the committed values sum to A (mod l; every value is range-proven below 2^64 and the count
/// is far below 2^188, so no wrap-around). Layout: R (32) || z (32).
/// </summary>
public sealed class SumProof
{
    public const string TranscriptLabel = "DVV.ZkRisk/sum v1";
    public const int Size = 64;

    private readonly byte[] _r;
    private readonly Scalar _z;

    private SumProof(byte[] r, in Scalar z) { _r = r; _z = z; }

    public static Scalar AggregateScalar(UInt128 aggregate)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(b, aggregate);
        return Scalar.FromCanonical(b);
    }

    /// <summary>P = Sum(C) - A*B, the point whose discrete log to B_blinding is the blinding sum.</summary>
    public static RistrettoPoint Residual(in RistrettoPoint commitmentSum, UInt128 aggregate, PedersenGens pc)
        => commitmentSum - pc.MulValueBase(AggregateScalar(aggregate));

    private static Transcript Start(StatementBinding binding, string cellLabel, UInt128 aggregate, in RistrettoPoint residual)
    {
        var t = new Transcript(TranscriptLabel);
        binding.AppendTo(t);
        t.AppendMessage("cell"u8, Encoding.UTF8.GetBytes(cellLabel));
        Span<byte> agg = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(agg, aggregate);
        t.AppendMessage("aggregate"u8, agg);
        t.AppendPoint("P"u8, residual);
        return t;
    }

    public static SumProof Prove(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate, Scalar blindingSum)
        => Prove(binding, cellLabel, commitmentSum, aggregate, blindingSum, PedersenGens.Default);

    public static SumProof Prove(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate, Scalar blindingSum, PedersenGens pc)
    {
        var residual = Residual(commitmentSum, aggregate, pc);
        var t = Start(binding, cellLabel, aggregate, residual);
        Scalar k = Scalar.Random();
        RistrettoPoint r = pc.MulBlinding(k);
        t.AppendPoint("R"u8, r);
        Scalar c = t.ChallengeScalar("c"u8);
        return new SumProof(r.ToBytes(), k + c * blindingSum);
    }

    public bool Verify(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate)
        => Verify(binding, cellLabel, commitmentSum, aggregate, PedersenGens.Default);

    /// <summary>Checks z*B_blinding = R + c*P (one variable-time three-term MSM).</summary>
    public bool Verify(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate, PedersenGens pc)
    {
        if (!RistrettoPoint.TryDecode(_r, out var r)) return false;
        var residual = Residual(commitmentSum, aggregate, pc);
        var t = Start(binding, cellLabel, aggregate, residual);
        t.AppendMessage("R"u8, _r);
        Scalar c = t.ChallengeScalar("c"u8);
        return MultiscalarMul.Vartime([_z, -Scalar.One, -c], [pc.BBlinding, r, residual]).IsIdentity;
    }

    public byte[] ToBytes()
    {
        var b = new byte[Size];
        _r.CopyTo(b, 0);
        _z.WriteTo(b.AsSpan(32));
        return b;
    }

    public static SumProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new InvalidEncodingException($"sum proof must be {Size} bytes, got {bytes.Length}");
        if (!RistrettoPoint.TryDecode(bytes[..32], out _)) throw new InvalidEncodingException("sum proof commitment R is not a canonical ristretto255 encoding");
        return new SumProof(bytes[..32].ToArray(), Scalar.FromCanonical(bytes[32..]));
    }
}
