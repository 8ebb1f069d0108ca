namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// A point of the M-type sextic twist E2: y^2 = x^3 + 4(1 + u) over GF(p^2). Signatures and message hashes live in
/// the order-r subgroup G2. Arithmetic in <c>G2Point.Arithmetic.cs</c>; this file holds the generator, the
/// untwist-Frobenius-twist endomorphism psi, the subgroup check, cofactor clearing and the ZCash serialisation
/// (96 bytes compressed, 192 uncompressed; x.c1 before x.c0).
/// </summary>
public readonly partial struct G2Point
{
    public const int CompressedSize = 96;
    public const int UncompressedSize = 192;

    /// <summary>b' = 4 xi: multiply by xi then by 4.</summary>
    private static Fp2 MulByB(in Fp2 a) { var t = Fp2.MulByNonResidue(a); return Fp2.Double(Fp2.Double(t)); }

    /// <summary>The standard generator of G2.</summary>
    public static readonly G2Point Generator = FromAffine(
        Fp2.FromHex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
                    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"),
        Fp2.FromHex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
                    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"));

    private static class PsiConst
    {
        // psi(x, y) = (conj(x) * xi^-((p-1)/3), conj(y) * xi^-((p-1)/2))
        internal static readonly Fp2 Cx = Fp2.Invert(Fp2.Pow(Tower.Xi, (Fp.Modulus - 1) / 3));
        internal static readonly Fp2 Cy = Fp2.Invert(Fp2.Pow(Tower.Xi, (Fp.Modulus - 1) / 2));
    }

    /// <summary>psi = twist o Frobenius o untwist, an endomorphism of E2 that acts as [p] (= [x] on G2).</summary>
    public static G2Point Psi(in G2Point p)
        => new(Fp2.Mul(Fp2.Conjugate(p.X), PsiConst.Cx), Fp2.Mul(Fp2.Conjugate(p.Y), PsiConst.Cy), Fp2.Conjugate(p.Z));

    /// <summary>[x]P for the (negative) curve parameter x = -0xd201000000010000.</summary>
    internal static G2Point MultiplyByX(in G2Point p) => Negate(MultiplyByAbsX(p));

    /// <summary>Membership in G2 by Scott's test (eprint 2021/1130): psi(P) = [x]P. Variable time (public points).</summary>
    public bool IsInSubgroup => IsOnCurve && Psi(this).Equals(MultiplyByX(this));

    /// <summary>Reference subgroup check [r]P = O (slow; kept for tests).</summary>
    public bool IsInSubgroupByOrder => IsOnCurve && MultiplyVartime(this, BlsScalar.Order).IsIdentity;

    /// <summary>
    /// Cofactor clearing h_eff * P by the Budroni-Pintore method as written in RFC 9380 appendix G.3:
    /// [x^2 - x - 1]P + [x - 1]psi(P) + psi^2(2P).
    /// </summary>
    public static G2Point ClearCofactor(in G2Point p)
    {
        var t1 = MultiplyByX(p);
        var t2 = Psi(p);
        var t3 = Psi(Psi(Double(p)));
        t3 = Sub(t3, t2);
        t2 = Add(t1, t2);
        t2 = MultiplyByX(t2);
        t3 = Add(t3, t2);
        t3 = Sub(t3, t1);
        return Sub(t3, p);
    }

    // ---------------------------------------------------------------- serialisation (ZCash format, shared code in Projective.cs)

    /// <summary>96-byte compressed encoding x.c1 || x.c0 with flags 0x80 (compressed), 0x40 (infinity), 0x20 (y is the larger root).</summary>
    public byte[] ToCompressed() => Projective<G2Point, Fp2>.ToCompressed(this);

    /// <summary>192-byte uncompressed encoding x.c1 || x.c0 || y.c1 || y.c0 (flag 0x40 alone for infinity).</summary>
    public byte[] ToUncompressed() => Projective<G2Point, Fp2>.ToUncompressed(this);

    /// <summary>Decodes a compressed (96 bytes) or uncompressed (192 bytes) point, checking canonical form, curve and subgroup.</summary>
    /// <exception cref="BlsEncodingException">the encoding is invalid; <see cref="BlsEncodingException.Error"/> says why.</exception>
    public static G2Point FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var p, out var err))
            throw BlsEncodingException.Invalid(err, "G2 point");
        return p;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out G2Point point, out BlsEncodingError error)
        => Projective<G2Point, Fp2>.TryDecode(bytes, checkSubgroup: true, out point, out error);

    /// <summary>Decodes without the subgroup check (tests and tools that need to build non-subgroup points).</summary>
    internal static bool TryFromBytesUnchecked(ReadOnlySpan<byte> bytes, out G2Point point)
        => Projective<G2Point, Fp2>.TryDecode(bytes, checkSubgroup: false, out point, out _);
}
