using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DVV.ZkRisk.Crypto.Field;

namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

/// <summary>RFC 9496 Appendix A, every vector, through every route to the same element.</summary>
public class Rfc9496Tests
{
    [Fact]
    public void MultiplesOfTheGenerator_RepeatedAddition()
    {
        RistrettoPoint p = RistrettoPoint.Identity;
        foreach (string hex in Rfc9496Vectors.Multiples)
        {
            Assert.Equal(hex, Convert.ToHexStringLower(p.ToBytes()));
            p += RistrettoPoint.Basepoint;
        }
    }

    [Fact]
    public void MultiplesOfTheGenerator_EveryScalarMultiplication()
    {
        for (int k = 0; k < Rfc9496Vectors.Multiples.Length; k++)
        {
            string want = Rfc9496Vectors.Multiples[k];
            var s = Scalar.FromUInt64((ulong)k);
            Assert.Equal(want, (s * RistrettoPoint.Basepoint).ToString());
            Assert.Equal(want, RistrettoPoint.MulBase(s).ToString());
            Assert.Equal(want, RistrettoPoint.VartimeDoubleScalarMulBase(s, RistrettoPoint.Basepoint, Scalar.Zero).ToString());
            Assert.Equal(want, RistrettoPoint.VartimeDoubleScalarMulBase(Scalar.Zero, RistrettoPoint.Identity, s).ToString());
            Assert.Equal(want, MultiscalarMul.ConstantTime([s], [RistrettoPoint.Basepoint]).ToString());
            Assert.Equal(want, MultiscalarMul.Vartime([s], [RistrettoPoint.Basepoint]).ToString());
        }
    }

    [Fact]
    public void MultiplesOfTheGenerator_DecodeAndReencode()
    {
        for (int k = 0; k < Rfc9496Vectors.Multiples.Length; k++)
        {
            byte[] enc = Convert.FromHexString(Rfc9496Vectors.Multiples[k]);
            var p = RistrettoPoint.Decode(enc);
            Assert.Equal(enc, p.ToBytes());
            Assert.Equal(RistrettoPoint.MulBase(Scalar.FromUInt64((ulong)k)), p);
        }
    }

    [Fact]
    public void InvalidEncodings_AreRejectedWithInvalidEncodingException()
    {
        foreach (var (hex, why) in Rfc9496Vectors.Invalid)
        {
            byte[] enc = Convert.FromHexString(hex);
            var ex = Assert.Throws<InvalidEncodingException>(() => RistrettoPoint.Decode(enc));
            Assert.False(string.IsNullOrEmpty(ex.Message), why);
            Assert.False(RistrettoPoint.TryDecode(enc, out _), why);
        }
    }

    [Fact]
    public void NonCanonicalAliases_2pMinusS_AreRejected()
    {
        // 2p - s is even and congruent to -s, which squares like s: only the s < p check stops it.
        BigInteger twoP = 2 * FieldConstants.P;
        foreach (string hex in Rfc9496Vectors.Multiples[1..])
        {
            var s = new BigInteger(Convert.FromHexString(hex), isUnsigned: true);
            var alias = new byte[32];
            (twoP - s).TryWriteBytes(alias, out _, isUnsigned: true);
            Assert.Throws<InvalidEncodingException>(() => RistrettoPoint.Decode(alias));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void WrongLengths_AreRejected(int length)
        => Assert.Throws<InvalidEncodingException>(() => RistrettoPoint.Decode(new byte[length]));

    [Fact]
    public void ElementDerivation_Vectors()
    {
        foreach (var (label, expected) in Rfc9496Vectors.Derivation)
        {
            byte[] h = SHA512.HashData(Encoding.UTF8.GetBytes(label));
            Assert.Equal(expected, RistrettoPoint.FromUniformBytes(h).ToString());
            Assert.Equal(expected, RistrettoPoint.HashFromBytesSha512(Encoding.UTF8.GetBytes(label)).ToString());
        }
    }

    [Fact]
    public void Constants_SatisfyTheirDefinitions()
    {
        BigInteger p = FieldConstants.P, a = p - 1, d = FieldConstants.DInt;
        BigInteger Mod(BigInteger x) => ((x % p) + p) % p;
        Assert.Equal(Mod(-121665), Mod(d * 121666));
        Assert.Equal(p - 1, Mod(FieldConstants.SqrtM1Int * FieldConstants.SqrtM1Int));
        Assert.Equal(Mod(a * d - 1), Mod(FieldConstants.SqrtAdMinusOneInt * FieldConstants.SqrtAdMinusOneInt));
        Assert.Equal(BigInteger.One, Mod(FieldConstants.InvSqrtAMinusDInt * FieldConstants.InvSqrtAMinusDInt * (a - d)));
        Assert.Equal(Mod(1 - d * d), FieldConstants.OneMinusDSqInt);
        Assert.Equal(Mod((d - 1) * (d - 1)), FieldConstants.DMinusOneSqInt);
    }
}
