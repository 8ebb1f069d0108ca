using System.Runtime.CompilerServices;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// RFC 9380 hashing to G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_: expand_message_xmd with SHA-256,
/// hash_to_field into GF(p^2) (L = 64, m = 2, count = 2), simplified SWU on the 3-isogenous curve
/// E2': y^2 = x^3 + 240u x + 1012(1 + u) with Z = -(2 + u), the 3-isogeny E2' -> E2 of appendix E.3, and
/// cofactor clearing with h_eff (Budroni-Pintore, appendix G.3). Messages are public, so the map may branch.
/// </summary>
public static class HashToCurve
{
    /// <summary>expand_message_xmd(msg, DST, len_in_bytes) with SHA-256 (RFC 9380 section 5.3.1); DSTs longer than
    /// 255 bytes are first replaced by H("H2C-OVERSIZE-DST-" || DST) as in section 5.3.3.</summary>
    public static byte[] ExpandMessageXmd(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst, int lenInBytes)
    {
        const int bInBytes = 32, sInBytes = 64;
        if (lenInBytes <= 0 || lenInBytes > 65535) throw new ArgumentOutOfRangeException(nameof(lenInBytes));
        int ell = (lenInBytes + bInBytes - 1) / bInBytes;
        if (ell > 255) throw new ArgumentOutOfRangeException(nameof(lenInBytes), "ell > 255");
        byte[] dstBytes;
        if (dst.Length > 255)
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(Encoding.ASCII.GetBytes("H2C-OVERSIZE-DST-"));
            h.AppendData(dst);
            dstBytes = h.GetHashAndReset();
        }
        else dstBytes = dst.ToArray();
        var dstPrime = new byte[dstBytes.Length + 1];
        dstBytes.CopyTo(dstPrime, 0);
        dstPrime[^1] = (byte)dstBytes.Length;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(new byte[sInBytes]);                         // Z_pad
        sha.AppendData(msg);
        sha.AppendData(new[] { (byte)(lenInBytes >> 8), (byte)lenInBytes, (byte)0 }); // l_i_b_str || I2OSP(0, 1)
        sha.AppendData(dstPrime);
        var b0 = sha.GetHashAndReset();

        var output = new byte[ell * bInBytes];
        var prev = new byte[bInBytes];
        var tmp = new byte[bInBytes];
        for (int i = 1; i <= ell; i++)
        {
            for (int j = 0; j < bInBytes; j++) tmp[j] = (byte)(b0[j] ^ (i == 1 ? 0 : prev[j]));
            sha.AppendData(i == 1 ? b0 : tmp);
            sha.AppendData(new[] { (byte)i });
            sha.AppendData(dstPrime);
            sha.TryGetHashAndReset(prev, out _);
            prev.CopyTo(output, (i - 1) * bInBytes);
        }
        return lenInBytes == output.Length ? output : output.AsSpan(0, lenInBytes).ToArray();
    }

    /// <summary>hash_to_field(msg, count) for GF(p^2): 64 bytes per base-field coordinate, reduced mod p.</summary>
    public static Fp2[] HashToFieldFp2(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst, int count)
    {
        const int L = 64;
        var uniform = ExpandMessageXmd(msg, dst, count * 2 * L);
        var result = new Fp2[count];
        for (int i = 0; i < count; i++)
        {
            var e0 = Reduce64(uniform.AsSpan(L * (2 * i), L));
            var e1 = Reduce64(uniform.AsSpan(L * (2 * i + 1), L));
            result[i] = new Fp2(e0, e1);
        }
        return result;
    }

    private static Fp Reduce64(ReadOnlySpan<byte> be) => Fp.FromBigInteger(new BigInteger(be, isUnsigned: true, isBigEndian: true));

    /// <summary>hash_to_curve for G2: two field elements, two SWU maps, one addition, cofactor clearing.</summary>
    public static G2Point HashToG2(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst)
    {
        var u = HashToFieldFp2(msg, dst, 2);
        var q0 = MapToCurveG2(u[0]);
        var q1 = MapToCurveG2(u[1]);
        return G2Point.ClearCofactor(G2Point.Add(q0, q1));
    }

    /// <summary>hash_to_curve for G2 with an ASCII domain separation tag.</summary>
    public static G2Point HashToG2(ReadOnlySpan<byte> msg, string dst) => HashToG2(msg, Encoding.ASCII.GetBytes(dst));

    // ---------------------------------------------------------------- simplified SWU on E2' and the 3-isogeny

    private static readonly Fp2 IsoA = new(Fp.Zero, Fp.FromUInt64(240));
    private static readonly Fp2 IsoB = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));
    private static readonly Fp2 SswuZ = new(Fp.Negate(Fp.FromUInt64(2)), Fp.Negate(Fp.One));
    private static readonly Fp2 MinusBOverA = Fp2.Negate(Fp2.Mul(IsoB, Fp2.Invert(IsoA)));
    private static readonly Fp2 BOverZA = Fp2.Mul(IsoB, Fp2.Invert(Fp2.Mul(SswuZ, IsoA)));

    /// <summary>map_to_curve_simple_swu (RFC 9380 section 6.6.2) to E2' followed by iso_map to E2 (not cleared).</summary>
    public static G2Point MapToCurveG2(in Fp2 u)
    {
        SimpleSwu(u, out var x, out var y);
        return IsoMap(x, y);
    }

    /// <summary>The simplified SWU map to E2' in affine coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SimpleSwu(in Fp2 u, out Fp2 x, out Fp2 y)
    {
        var u2 = Fp2.Square(u);
        var zu2 = Fp2.Mul(SswuZ, u2);
        var den = Fp2.Add(Fp2.Square(zu2), zu2);           // Z^2 u^4 + Z u^2
        var tv1 = Fp2.Invert(den);                          // inv0
        var x1 = den.IsZero ? BOverZA : Fp2.Mul(MinusBOverA, Fp2.Add(Fp2.One, tv1));
        var gx1 = G(x1);
        if (Fp2.TrySqrt(gx1, out var y1))
        {
            x = x1; y = y1;
        }
        else
        {
            var x2 = Fp2.Mul(zu2, x1);
            if (!Fp2.TrySqrt(G(x2), out var y2)) throw new InvalidOperationException("SWU: neither g(x1) nor g(x2) is square");
            x = x2; y = y2;
        }
        if (u.Sgn0 != y.Sgn0) y = Fp2.Negate(y);
    }

    private static Fp2 G(in Fp2 x) => Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x), IsoA), x), IsoB); // x^3 + A x + B

    private static Fp2 K(string c0, string c1) => Fp2.FromHex(c0, c1);

    // RFC 9380 appendix E.3: 3-isogeny map constants for G2
    private static readonly Fp2[] XNum =
    {
        K("5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6", "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
        K("0", "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
        K("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e", "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
        K("171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1", "0"),
    };
    private static readonly Fp2[] XDen =
    {
        K("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
        K("c", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
        Fp2.One,
    };
    private static readonly Fp2[] YNum =
    {
        K("1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706", "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
        K("0", "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
        K("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c", "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
        K("124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10", "0"),
    };
    private static readonly Fp2[] YDen =
    {
        K("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
        K("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
        K("12", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
        Fp2.One,
    };

    private static Fp2 Horner(Fp2[] k, in Fp2 x)
    {
        var acc = k[^1];
        for (int i = k.Length - 2; i >= 0; i--) acc = Fp2.Add(Fp2.Mul(acc, x), k[i]);
        return acc;
    }

    /// <summary>iso_map: E2' -> E2, returned in projective form (x_num y_den : y' y_num x_den : x_den y_den).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static G2Point IsoMap(in Fp2 x, in Fp2 y)
    {
        var xn = Horner(XNum, x);
        var xd = Horner(XDen, x);
        var yn = Horner(YNum, x);
        var yd = Horner(YDen, x);
        if (xd.IsZero || yd.IsZero) return G2Point.Identity;
        return new G2Point(Fp2.Mul(xn, yd), Fp2.Mul(Fp2.Mul(y, yn), xd), Fp2.Mul(xd, yd));
    }
}
