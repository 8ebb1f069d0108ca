using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// An element of the ristretto255 prime-order group (RFC 9496), represented by any Edwards point of
/// its coset. Only the canonical 32-byte encoding ever leaves or enters this type.
/// </summary>
public readonly struct RistrettoPoint : IEquatable<RistrettoPoint>
{
    internal readonly EdwardsPoint Inner;

    internal RistrettoPoint(in EdwardsPoint inner) { Inner = inner; }

    public const int EncodedLength = 32;

    public static RistrettoPoint Identity => new(EdwardsPoint.Identity);

    /// <summary>The generator of RFC 9496 section 4.4 (the Ed25519 basepoint's coset).</summary>
    public static readonly RistrettoPoint Basepoint = Decode(Convert.FromHexString("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"));

    /// <summary>RFC 9496 section 4.3.1: rejects wrong lengths, s >= p, negative s, non-square and y = 0 cases.</summary>
    public static RistrettoPoint Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != EncodedLength)
            throw new InvalidEncodingException($"ristretto255 encoding must be {EncodedLength} bytes, got {bytes.Length}");
        if (!TryDecodeCore(bytes, out var p, out string? reason))
            throw new InvalidEncodingException(reason!);
        return p;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out RistrettoPoint point)
        => TryDecodeCore(bytes, out point, out _);

    private static bool TryDecodeCore(ReadOnlySpan<byte> bytes, out RistrettoPoint point, out string? reason)
    {
        point = default;
        if (bytes.Length != EncodedLength) { reason = "wrong length"; return false; }
        var check = RistrettoDecodeSteps.Begin(bytes, out var st);
        if (check == RistrettoDecodeSteps.Check.NonCanonical) { reason = "non-canonical field element encoding"; return false; }
        if (check == RistrettoDecodeSteps.Check.Negative) { reason = "negative field element (odd s)"; return false; }
        if (!RistrettoDecodeSteps.Finish(st, FieldElement.PowP58(st.V7), out var p)) { reason = "not the encoding of a group element"; return false; }
        point = new RistrettoPoint(p);
        reason = null;
        return true;
    }

    /// <summary>RFC 9496 section 4.3.2 encoding, constant time.</summary>
    public void WriteTo(Span<byte> dst)
    {
        var v = EncodeRadicand(out var u1, out var u2);
        var (_, invSqrt) = FieldElement.SqrtRatioM1(FieldElement.One, v);
        EncodeFinish(dst, u1, u2, invSqrt);
    }

    /// <summary>The encoding's one expensive input: v = u1 u2^2, whose inverse square root (section 4.3.2) the encoding needs.</summary>
    internal FieldElement EncodeRadicand(out FieldElement u1, out FieldElement u2)
    {
        ref readonly EdwardsPoint p = ref Inner;
        u1 = (p.Z + p.Y) * (p.Z - p.Y);
        u2 = p.X * p.Y;
        return u1 * FieldElement.Square(u2);
    }

    /// <summary>Section 4.3.2 after the inverse square root of <see cref="EncodeRadicand"/>, constant time.</summary>
    internal void EncodeFinish(Span<byte> dst, in FieldElement u1, in FieldElement u2, in FieldElement invSqrt)
    {
        ref readonly EdwardsPoint p = ref Inner;
        FieldElement den1 = invSqrt * u1;
        FieldElement den2 = invSqrt * u2;
        FieldElement zInv = den1 * den2 * p.T;
        FieldElement ix0 = p.X * FieldConstants.SqrtM1;
        FieldElement iy0 = p.Y * FieldConstants.SqrtM1;
        FieldElement enchantedDenominator = den1 * FieldConstants.InvSqrtAMinusD;
        int rotate = (p.T * zInv).IsNegative();
        FieldElement x = FieldElement.Select(p.X, iy0, rotate);
        FieldElement y = FieldElement.Select(p.Y, ix0, rotate);
        FieldElement denInv = FieldElement.Select(den2, enchantedDenominator, rotate);
        y = FieldElement.ConditionalNegate(y, (x * zInv).IsNegative());
        FieldElement s = FieldElement.Abs(denInv * (p.Z - y));
        s.WriteTo(dst);
    }

    public byte[] ToBytes()
    {
        var b = new byte[EncodedLength];
        WriteTo(b);
        return b;
    }

    /// <summary>RFC 9496 section 4.3.4 element derivation: MAP each 32-byte half (top bit masked) and add.</summary>
    public static RistrettoPoint FromUniformBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 64) throw new ArgumentException("element derivation needs 64 uniform bytes", nameof(bytes));
        EdwardsPoint p1 = Map(FieldElement.FromBytes(bytes[..32]));
        EdwardsPoint p2 = Map(FieldElement.FromBytes(bytes[32..]));
        return new RistrettoPoint(EdwardsPoint.Add(p1, p2));
    }

    /// <summary>hash_to_ristretto255 with SHA-512 (RFC 9496 section 4.3.4 / libsodium crypto_core_ristretto255_from_hash of SHA-512).</summary>
    public static RistrettoPoint HashFromBytesSha512(ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[64];
        SHA512.HashData(data, h);
        return FromUniformBytes(h);
    }

    /// <summary>dalek's RistrettoPoint::hash_from_bytes::&lt;Sha3_512&gt;, used for the Pedersen blinding base.</summary>
    public static RistrettoPoint HashFromBytesSha3_512(ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[64];
        SHA3_512.HashData(data, h);
        return FromUniformBytes(h);
    }

    /// <summary>The Elligator-style MAP of RFC 9496 section 4.3.4, constant time.</summary>
    private static EdwardsPoint Map(in FieldElement t)
    {
        FieldElement one = FieldElement.One;
        FieldElement minusOne = FieldElement.MinusOne;
        FieldElement d = FieldConstants.D;
        FieldElement r = FieldConstants.SqrtM1 * FieldElement.Square(t);
        FieldElement u = (r + one) * FieldConstants.OneMinusDSq;
        FieldElement v = (minusOne - r * d) * (r + d);
        var (wasSquare, s) = FieldElement.SqrtRatioM1(u, v);
        FieldElement sPrime = -FieldElement.Abs(s * t);
        s = FieldElement.Select(sPrime, s, wasSquare);
        FieldElement c = FieldElement.Select(r, minusOne, wasSquare);
        FieldElement n = c * (r - one) * FieldConstants.DMinusOneSq - v;
        FieldElement w0 = (s + s) * v;
        FieldElement w1 = n * FieldConstants.SqrtAdMinusOne;
        FieldElement ss = FieldElement.Square(s);
        FieldElement w2 = one - ss;
        FieldElement w3 = one + ss;
        return new EdwardsPoint(w0 * w3, w2 * w1, w1 * w3, w0 * w2);
    }

    /// <summary>RFC 9496 section 4.5 equality: X1*Y2 == Y1*X2 or Y1*Y2 == X1*X2 (constant time).</summary>
    public bool Equals(RistrettoPoint other)
    {
        int a = FieldElement.CtEquals(Inner.X * other.Inner.Y, Inner.Y * other.Inner.X);
        int b = FieldElement.CtEquals(Inner.Y * other.Inner.Y, Inner.X * other.Inner.X);
        return (a | b) == 1;
    }

    public bool IsIdentity => Equals(Identity);

    public override bool Equals(object? obj) => obj is RistrettoPoint p && Equals(p);
    public override int GetHashCode() => BitConverter.ToInt32(ToBytes());
    public override string ToString() => Convert.ToHexStringLower(ToBytes());

    public static RistrettoPoint operator +(in RistrettoPoint a, in RistrettoPoint b) => new(EdwardsPoint.Add(a.Inner, b.Inner));
    public static RistrettoPoint operator -(in RistrettoPoint a, in RistrettoPoint b) => new(EdwardsPoint.Sub(a.Inner, b.Inner));
    public static RistrettoPoint operator -(in RistrettoPoint a) => new(a.Inner.Negate());
    /// <summary>Constant-time scalar multiplication.</summary>
    public static RistrettoPoint operator *(in Scalar s, in RistrettoPoint p) => new(ScalarMul.ConstantTime(p.Inner, s));
    public static RistrettoPoint operator *(in RistrettoPoint p, in Scalar s) => new(ScalarMul.ConstantTime(p.Inner, s));
    public static bool operator ==(in RistrettoPoint a, in RistrettoPoint b) => a.Equals(b);
    public static bool operator !=(in RistrettoPoint a, in RistrettoPoint b) => !a.Equals(b);

    public RistrettoPoint Double() => new(Inner.Double());

    /// <summary>choice ? b : a without branching (choice is 0 or 1), for secret-dependent choices.</summary>
    public static RistrettoPoint Select(in RistrettoPoint a, in RistrettoPoint b, int choice) => new(EdwardsPoint.Select(a.Inner, b.Inner, choice));

    /// <summary>[s]B in constant time through the precomputed basepoint table.</summary>
    public static RistrettoPoint MulBase(in Scalar s) => new(ScalarMul.BaseConstantTime(s));

    /// <summary>[a]A + [b]B, variable time: for verification with public scalars only.</summary>
    public static RistrettoPoint VartimeDoubleScalarMulBase(in Scalar a, in RistrettoPoint A, in Scalar b)
        => new(ScalarMul.VartimeDoubleBase(a, A.Inner, b));
}
