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

    private static readonly Fp B = Fp.FromUInt64(4);

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

    private static Fp Pow(in Fp a, BigInteger e)
    {
        var r = Fp.One; var b = a;
        while (e > 0) { if (!e.IsEven) r = Fp.Mul(r, b); b = Fp.Square(b); e >>= 1; }
        return r;
    }

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

    // ---------------------------------------------------------------- serialisation (ZCash format)

    /// <summary>48-byte compressed encoding: x big-endian with flags 0x80 (compressed), 0x40 (infinity), 0x20 (y is the larger root).</summary>
    public byte[] ToCompressed()
    {
        var o = new byte[CompressedSize];
        if (IsIdentity) { o[0] = 0xC0; return o; }
        ToAffine(out var x, out var y);
        x.ToBytes(o);
        o[0] |= 0x80;
        if (y.IsLexicographicallyLargest) o[0] |= 0x20;
        return o;
    }

    /// <summary>96-byte uncompressed encoding x || y (flag 0x40 alone for infinity).</summary>
    public byte[] ToUncompressed()
    {
        var o = new byte[UncompressedSize];
        if (IsIdentity) { o[0] = 0x40; return o; }
        ToAffine(out var x, out var y);
        x.ToBytes(o.AsSpan(0, 48));
        y.ToBytes(o.AsSpan(48, 48));
        return o;
    }

    /// <summary>Decodes a compressed (48 bytes) or uncompressed (96 bytes) point, checking canonical form, curve and subgroup.</summary>
    /// <exception cref="BlsEncodingException">the encoding is invalid; <see cref="BlsEncodingException.Error"/> says why.</exception>
    public static G1Point FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var p, out var err))
            throw new BlsEncodingException(err, "invalid G1 point: " + BlsEncodingException.Describe(err));
        return p;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out G1Point point, out BlsEncodingError error)
    {
        point = Identity;
        if (bytes.Length != CompressedSize && bytes.Length != UncompressedSize) { error = BlsEncodingError.WrongLength; return false; }
        bool compressed = bytes.Length == CompressedSize;
        byte flags = bytes[0];
        bool cFlag = (flags & 0x80) != 0, inf = (flags & 0x40) != 0, sort = (flags & 0x20) != 0;
        if (cFlag != compressed) { error = BlsEncodingError.CompressionFlagMismatch; return false; }
        if (inf)
        {
            if (sort) { error = BlsEncodingError.InvalidInfinityEncoding; return false; }
            if ((flags & 0x1F) != 0) { error = BlsEncodingError.InvalidInfinityEncoding; return false; }
            for (int i = 1; i < bytes.Length; i++) if (bytes[i] != 0) { error = BlsEncodingError.InvalidInfinityEncoding; return false; }
            error = default; return true;
        }
        if (!compressed && sort) { error = BlsEncodingError.UnexpectedSortFlag; return false; }
        Span<byte> xb = stackalloc byte[48];
        bytes.Slice(0, 48).CopyTo(xb);
        xb[0] &= 0x1F;
        if (!Fp.TryFromBytes(xb, out var x)) { error = BlsEncodingError.NonCanonicalCoordinate; return false; }
        Fp y;
        if (compressed)
        {
            var rhs = Fp.Add(Fp.Mul(Fp.Square(x), x), B);
            if (!Fp.TrySqrt(rhs, out y)) { error = BlsEncodingError.NotOnCurve; return false; }
            if (y.IsLexicographicallyLargest != sort) y = Fp.Negate(y);
        }
        else
        {
            if (!Fp.TryFromBytes(bytes.Slice(48, 48), out y)) { error = BlsEncodingError.NonCanonicalCoordinate; return false; }
        }
        var p = FromAffine(x, y);
        if (!p.IsOnCurve) { error = BlsEncodingError.NotOnCurve; return false; }
        if (!p.IsInSubgroup) { error = BlsEncodingError.NotInSubgroup; return false; }
        point = p; error = default; return true;
    }

    /// <summary>Decodes without the subgroup check (tests and tools that need to build non-subgroup points).</summary>
    internal static bool TryFromBytesUnchecked(ReadOnlySpan<byte> bytes, out G1Point point)
    {
        point = Identity;
        if (bytes.Length != CompressedSize || (bytes[0] & 0xC0) != 0x80) return false;
        Span<byte> xb = stackalloc byte[48];
        bytes.CopyTo(xb);
        xb[0] &= 0x1F;
        if (!Fp.TryFromBytes(xb, out var x)) return false;
        if (!Fp.TrySqrt(Fp.Add(Fp.Mul(Fp.Square(x), x), B), out var y)) return false;
        if (y.IsLexicographicallyLargest != ((bytes[0] & 0x20) != 0)) y = Fp.Negate(y);
        point = FromAffine(x, y);
        return true;
    }
}
