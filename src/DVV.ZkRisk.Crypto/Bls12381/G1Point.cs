using System.Numerics;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// A point of E1: y^2 = x^3 + 4 over GF(p). Public keys live in the order-r subgroup G1. Arithmetic in
/// <c>G1Point.Arithmetic.cs</c>; this file holds the generator, the GLV endomorphism, the subgroup check and
/// the ZCash serialisation (48 bytes compressed, 96 uncompressed).
/// </summary>
public readonly partial struct G1Point
{
    public const int CompressedSize = 48;
    public const int UncompressedSize = 96;

    /// <summary>b = 4.</summary>
    private static Fp MulByB(in Fp a) => Fp.Double(Fp.Double(a));

    /// <summary>The standard generator of G1.</summary>
    public static readonly G1Point Generator = FromAffine(
        Fp.FromHex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        Fp.FromHex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"));

    /// <summary>beta, a primitive cube root of unity in GF(p), chosen so that phi(P) = (beta x, y) acts as [-x^2] on G1.</summary>
    private static class Endo { internal static readonly Fp Beta = ChooseBeta(); } // lazy: partial-type field order is unspecified

    private static Fp ChooseBeta()
    {
        // g^((p-1)/3) for the first g that is not a cube gives a primitive cube root of unity; the other is its square.
        var e = (Fp.Modulus - 1) / 3;
        for (ulong g = 2; ; g++)
        {
            var b = Pow(Fp.FromUInt64(g), e);
            if (b.IsOne) continue;
            var target = Negate(MultiplyByAbsX(MultiplyByAbsX(Generator)));
            if (new G1Point(Fp.Mul(Generator.X, b), Generator.Y, Generator.Z).Equals(target)) return b;
            var b2 = Fp.Square(b);
            if (new G1Point(Fp.Mul(Generator.X, b2), Generator.Y, Generator.Z).Equals(target)) return b2;
            throw new InvalidOperationException("no cube root of unity matches the G1 endomorphism eigenvalue");
        }
    }

    private static Fp Pow(in Fp a, BigInteger e) => BlsField.PowVartime(a, e);

    /// <summary>The endomorphism phi(x, y) = (beta x, y).</summary>
    public static G1Point Phi(in G1Point p) => new(Fp.Mul(p.X, Endo.Beta), p.Y, p.Z);

    /// <summary>
    /// Membership in the order-r subgroup by the endomorphism test (Bowe 2019, Scott 2021): P is in G1 iff
    /// phi(P) = [-x^2]P. About two 64-bit multiplications instead of a 255-bit one. Variable time (public points).
    /// </summary>
    public bool IsInSubgroup
    {
        get
        {
            if (!IsOnCurve) return false;
            var xxP = MultiplyByAbsX(MultiplyByAbsX(this)); // [x^2]P (x^2 = |x|^2)
            return Phi(this).Equals(Negate(xxP));
        }
    }

    /// <summary>Reference subgroup check [r]P = O (slow; kept for tests).</summary>
    public bool IsInSubgroupByOrder => IsOnCurve && MultiplyVartime(this, BlsScalar.Order).IsIdentity;

    // ---------------------------------------------------------------- serialisation (ZCash format, shared code in Projective.cs)

    /// <summary>48-byte compressed encoding: x big-endian with flags 0x80 (compressed), 0x40 (infinity), 0x20 (y is the larger root).</summary>
    public byte[] ToCompressed() => Projective<G1Point, Fp>.ToCompressed(this);

    /// <summary>96-byte uncompressed encoding x || y (flag 0x40 alone for infinity).</summary>
    public byte[] ToUncompressed() => Projective<G1Point, Fp>.ToUncompressed(this);

    /// <summary>Decodes a compressed (48 bytes) or uncompressed (96 bytes) point, checking canonical form, curve and subgroup.</summary>
    /// <exception cref="BlsEncodingException">the encoding is invalid; <see cref="BlsEncodingException.Error"/> says why.</exception>
    public static G1Point FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var p, out var err))
            throw BlsEncodingException.Invalid(err, "G1 point");
        return p;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out G1Point point, out BlsEncodingError error)
        => Projective<G1Point, Fp>.TryDecode(bytes, checkSubgroup: true, out point, out error);

    /// <summary>Decodes a compressed, non-identity point without the subgroup check (tests and tools that need to build non-subgroup points).</summary>
    internal static bool TryFromBytesUnchecked(ReadOnlySpan<byte> bytes, out G1Point point)
    {
        if (bytes.Length != CompressedSize || (bytes[0] & 0xC0) != 0x80) { point = Identity; return false; }
        return Projective<G1Point, Fp>.TryDecode(bytes, checkSubgroup: false, out point, out _);
    }
}
