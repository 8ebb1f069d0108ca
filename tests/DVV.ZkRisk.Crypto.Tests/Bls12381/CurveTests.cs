using System.Numerics;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

public class CurveTests
{
    private readonly Random _rng = new(777);

    internal const string G1GeneratorCompressed = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
    internal const string G2GeneratorCompressed = "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

    private BlsScalar RandScalar() { var b = new byte[48]; _rng.NextBytes(b); return BlsScalar.FromBytesWide(b); }

    /// <summary>A point on E1 that is (with overwhelming probability) outside G1: decompress random x.</summary>
    internal static G1Point RandomNonSubgroupG1(Random rng)
    {
        while (true)
        {
            var b = new byte[48]; rng.NextBytes(b); b[0] = (byte)(0x80 | (b[0] & 0x2f)); // x < 2^380 < p, random sort flag
            if (G1Point.TryFromBytesUnchecked(b, out var p) && !p.IsInSubgroupByOrder) return p;
        }
    }

    internal static G2Point RandomNonSubgroupG2(Random rng)
    {
        while (true)
        {
            var b = new byte[96]; rng.NextBytes(b); b[0] = (byte)(0x80 | (b[0] & 0x2f)); b[48] &= 0x0f;
            if (G2Point.TryFromBytesUnchecked(b, out var p) && !p.IsInSubgroupByOrder) return p;
        }
    }

    [Fact]
    public void Generators_SerialiseToKnownCompressedForms()
    {
        Assert.Equal(G1GeneratorCompressed, G1Point.Generator.ToCompressedHex());
        Assert.Equal(G2GeneratorCompressed, G2Point.Generator.ToCompressedHex());
        Assert.Equal(G1Point.Generator, G1Point.FromBytes(Convert.FromHexString(G1GeneratorCompressed)));
        Assert.Equal(G2Point.Generator, G2Point.FromBytes(Convert.FromHexString(G2GeneratorCompressed)));
        Assert.Equal("c0" + new string('0', 94), G1Point.Identity.ToCompressedHex());
        Assert.Equal("c0" + new string('0', 190), G2Point.Identity.ToCompressedHex());
        Assert.True(G1Point.FromBytes(G1Point.Identity.ToCompressed()).IsIdentity);
        Assert.True(G2Point.FromBytes(G2Point.Identity.ToCompressed()).IsIdentity);
    }

    [Fact]
    public void Generators_HaveOrderR()
    {
        Assert.True(G1Point.MultiplyVartime(G1Point.Generator, BlsScalar.Order).IsIdentity);
        Assert.True(G2Point.MultiplyVartime(G2Point.Generator, BlsScalar.Order).IsIdentity);
        Assert.False(G1Point.MultiplyVartime(G1Point.Generator, BlsScalar.Order - 1).IsIdentity);
    }

    [Fact]
    public void G1_GroupLawAndCompleteFormulas()
    {
        var g = G1Point.Generator;
        var a = G1Point.Multiply(g, RandScalar()); var b = G1Point.Multiply(g, RandScalar()); var c = G1Point.Multiply(g, RandScalar());
        Assert.Equal(a + (b + c), (a + b) + c);
        Assert.Equal(a + b, b + a);
        Assert.Equal(G1Point.Double(a), a + a);
        Assert.True((a - a).IsIdentity);
        Assert.Equal(a, a + G1Point.Identity);
        Assert.Equal(a, G1Point.Identity + a);
        Assert.True((G1Point.Identity + G1Point.Identity).IsIdentity);
        Assert.True(G1Point.Double(G1Point.Identity).IsIdentity);
        Assert.True((a + b).IsOnCurve);
        var nonSub = RandomNonSubgroupG1(_rng);
        Assert.Equal(G1Point.Double(nonSub), nonSub + nonSub); // formulas are complete on all of E1
    }

    [Fact]
    public void G2_GroupLawAndCompleteFormulas()
    {
        var g = G2Point.Generator;
        var a = G2Point.Multiply(g, RandScalar()); var b = G2Point.Multiply(g, RandScalar()); var c = G2Point.Multiply(g, RandScalar());
        Assert.Equal(a + (b + c), (a + b) + c);
        Assert.Equal(a + b, b + a);
        Assert.Equal(G2Point.Double(a), a + a);
        Assert.True((a - a).IsIdentity);
        Assert.Equal(a, a + G2Point.Identity);
        Assert.True((a + b).IsOnCurve);
    }

    [Fact]
    public void ScalarMultiplication_ConstantTimeMatchesVartimeAndIsLinear()
    {
        for (int i = 0; i < 3; i++)
        {
            var k = RandScalar(); var m = RandScalar();
            Assert.Equal(G1Point.MultiplyVartime(G1Point.Generator, k.ToBigInteger()), G1Point.Multiply(G1Point.Generator, k));
            Assert.Equal(G2Point.MultiplyVartime(G2Point.Generator, k.ToBigInteger()), G2Point.Multiply(G2Point.Generator, k));
            Assert.Equal(G1Point.Multiply(G1Point.Generator, k + m), G1Point.Multiply(G1Point.Generator, k) + G1Point.Multiply(G1Point.Generator, m));
            Assert.Equal(G2Point.Multiply(G2Point.Multiply(G2Point.Generator, k), m), G2Point.Multiply(G2Point.Generator, k * m));
        }
        Assert.True(G1Point.Multiply(G1Point.Generator, BlsScalar.Zero).IsIdentity);
        Assert.Equal(G1Point.Negate(G1Point.Generator), G1Point.Multiply(G1Point.Generator, BlsScalar.FromBigInteger(BlsScalar.Order - 1)));
    }

    [Fact]
    public void SubgroupChecks_FastAgreesWithMultiplicationByR()
    {
        for (int i = 0; i < 3; i++)
        {
            var p1 = RandomNonSubgroupG1(_rng);
            Assert.True(p1.IsOnCurve);
            Assert.False(p1.IsInSubgroup);
            var cleared = G1Point.MultiplyVartime(p1, BigInteger.Parse("396c8c005555e1568c00aaab0000aaab", System.Globalization.NumberStyles.HexNumber)); // h1
            Assert.True(cleared.IsInSubgroupByOrder);
            Assert.True(cleared.IsInSubgroup);

            var p2 = RandomNonSubgroupG2(_rng);
            Assert.True(p2.IsOnCurve);
            Assert.False(p2.IsInSubgroup);
            var c2 = G2Point.ClearCofactor(p2);
            Assert.True(c2.IsInSubgroupByOrder);
            Assert.True(c2.IsInSubgroup);
        }
    }

    [Fact]
    public void ClearCofactor_EqualsMultiplicationByHEff()
    {
        var hEff = BigInteger.Parse("0bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551", System.Globalization.NumberStyles.HexNumber);
        var p = RandomNonSubgroupG2(_rng);
        Assert.Equal(G2Point.MultiplyVartime(p, hEff), G2Point.ClearCofactor(p));
    }

    [Fact]
    public void Serialisation_RoundTripsCompressedAndUncompressed()
    {
        for (int i = 0; i < 5; i++)
        {
            var p = G1Point.Multiply(G1Point.Generator, RandScalar());
            var q = G2Point.Multiply(G2Point.Generator, RandScalar());
            Assert.Equal(p, G1Point.FromBytes(p.ToCompressed()));
            Assert.Equal(p, G1Point.FromBytes(p.ToUncompressed()));
            Assert.Equal(q, G2Point.FromBytes(q.ToCompressed()));
            Assert.Equal(q, G2Point.FromBytes(q.ToUncompressed()));
            Assert.Equal(-p, G1Point.FromBytes(G1Point.Negate(p).ToCompressed()));
            Assert.NotEqual(p.ToCompressed()[0] & 0x20, G1Point.Negate(p).ToCompressed()[0] & 0x20); // sort flag picks the root
        }
    }

    private static BlsEncodingError G1Error(byte[] b) { Assert.False(G1Point.TryFromBytes(b, out _, out var e)); Assert.Throws<BlsEncodingException>(() => G1Point.FromBytes(b)); return e; }
    private static BlsEncodingError G2Error(byte[] b) { Assert.False(G2Point.TryFromBytes(b, out _, out var e)); Assert.Throws<BlsEncodingException>(() => G2Point.FromBytes(b)); return e; }

    [Fact]
    public void Decoding_RejectsInvalidAndNonCanonicalG1()
    {
        var g = Convert.FromHexString(G1GeneratorCompressed);
        Assert.Equal(BlsEncodingError.WrongLength, G1Error(g[..47]));
        Assert.Equal(BlsEncodingError.WrongLength, G1Error(new byte[49]));
        var noFlag = (byte[])g.Clone(); noFlag[0] &= 0x7f;
        Assert.Equal(BlsEncodingError.CompressionFlagMismatch, G1Error(noFlag));
        var infSort = new byte[48]; infSort[0] = 0xE0;
        Assert.Equal(BlsEncodingError.InvalidInfinityEncoding, G1Error(infSort));
        var infBits = new byte[48]; infBits[0] = 0xC0; infBits[47] = 1;
        Assert.Equal(BlsEncodingError.InvalidInfinityEncoding, G1Error(infBits));
        var infX = (byte[])g.Clone(); infX[0] |= 0x40;
        Assert.Equal(BlsEncodingError.InvalidInfinityEncoding, G1Error(infX));
        // x = p (non-canonical): p's top byte is 0x1a, fits under the flags
        var xp = Fp.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true); xp[0] |= 0x80;
        Assert.Equal(BlsEncodingError.NonCanonicalCoordinate, G1Error(xp));
        var xGen = G1Point.Generator; xGen.ToAffine(out var gx, out _);
        var xPlusP = (gx.ToBigInteger() + Fp.Modulus).ToByteArray(isUnsigned: true, isBigEndian: true);
        if (xPlusP.Length == 48 && (xPlusP[0] & 0xe0) == 0) { xPlusP[0] |= 0x80; Assert.Equal(BlsEncodingError.NonCanonicalCoordinate, G1Error(xPlusP)); }
        // x with no y on the curve
        for (int x = 0; ; x++)
        {
            var fx = Fp.FromUInt64((ulong)x);
            if (Fp.IsSquare(Fp.Add(Fp.Mul(Fp.Square(fx), fx), Fp.FromUInt64(4)))) continue;
            var b = fx.ToBytes(); b[0] |= 0x80;
            Assert.Equal(BlsEncodingError.NotOnCurve, G1Error(b));
            break;
        }
        Assert.Equal(BlsEncodingError.NotInSubgroup, G1Error(RandomNonSubgroupG1(new Random(1)).ToCompressed()));
        // uncompressed: y not matching
        var u = G1Point.Generator.ToUncompressed(); u[95] ^= 1;
        Assert.Equal(BlsEncodingError.NotOnCurve, G1Error(u));
        var uFlag = G1Point.Generator.ToUncompressed(); uFlag[0] |= 0x80;
        Assert.Equal(BlsEncodingError.CompressionFlagMismatch, G1Error(uFlag));
        var uSort = G1Point.Generator.ToUncompressed(); uSort[0] |= 0x20;
        Assert.Equal(BlsEncodingError.UnexpectedSortFlag, G1Error(uSort));
    }

    [Fact]
    public void Decoding_RejectsInvalidAndNonCanonicalG2()
    {
        var g = Convert.FromHexString(G2GeneratorCompressed);
        Assert.Equal(BlsEncodingError.WrongLength, G2Error(g[..95]));
        var noFlag = (byte[])g.Clone(); noFlag[0] &= 0x7f;
        Assert.Equal(BlsEncodingError.CompressionFlagMismatch, G2Error(noFlag));
        var infBits = new byte[96]; infBits[0] = 0xC0; infBits[60] = 1;
        Assert.Equal(BlsEncodingError.InvalidInfinityEncoding, G2Error(infBits));
        var infSort = new byte[96]; infSort[0] = 0xE0;
        Assert.Equal(BlsEncodingError.InvalidInfinityEncoding, G2Error(infSort));
        var c0p = (byte[])g.Clone(); Fp.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(c0p, 48);
        Assert.Equal(BlsEncodingError.NonCanonicalCoordinate, G2Error(c0p));
        var c1p = (byte[])g.Clone(); Fp.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(c1p, 0); c1p[0] |= 0x80;
        Assert.Equal(BlsEncodingError.NonCanonicalCoordinate, G2Error(c1p));
        var bad = (byte[])g.Clone();
        for (int i = 0; ; i++)
        {
            bad[95] = (byte)i;
            if (!G2Point.TryFromBytes(bad, out _, out var e) && e == BlsEncodingError.NotOnCurve) break;
            Assert.True(i < 255);
        }
        Assert.Equal(BlsEncodingError.NotInSubgroup, G2Error(RandomNonSubgroupG2(new Random(2)).ToCompressed()));
    }
}
