using System.Numerics;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

public class FieldTests
{
    private static readonly BigInteger P = Fp.Modulus;
    private readonly Random _rng = new(12345);

    private BigInteger RandBig()
    {
        var b = new byte[56];
        _rng.NextBytes(b);
        return BigInteger.Remainder(new BigInteger(b, isUnsigned: true), P);
    }

    internal static Fp RandFp(Random rng) { var b = new byte[64]; rng.NextBytes(b); return Fp.FromBigInteger(new BigInteger(b, isUnsigned: true)); }
    internal static Fp2 RandFp2(Random rng) => new(RandFp(rng), RandFp(rng));
    internal static Fp6 RandFp6(Random rng) => new(RandFp2(rng), RandFp2(rng), RandFp2(rng));
    internal static Fp12 RandFp12(Random rng) => new(RandFp6(rng), RandFp6(rng));

    [Fact]
    public void Fp_MatchesBigIntegerArithmetic()
    {
        var edge = new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, BigInteger.Pow(2, 381) % P, BigInteger.Pow(2, 64) - 1 };
        var values = edge.Concat(Enumerable.Range(0, 40).Select(_ => RandBig())).ToArray();
        foreach (var a in values)
            foreach (var b in values.Take(12))
            {
                var fa = Fp.FromBigInteger(a); var fb = Fp.FromBigInteger(b);
                Assert.Equal((a + b) % P, (fa + fb).ToBigInteger());
                Assert.Equal(((a - b) % P + P) % P, (fa - fb).ToBigInteger());
                Assert.Equal(a * b % P, (fa * fb).ToBigInteger());
                Assert.Equal((P - a) % P, (-fa).ToBigInteger());
            }
    }

    [Fact]
    public void Fp_InverseSqrtAndEncoding()
    {
        for (int i = 0; i < 20; i++)
        {
            var a = RandFp(_rng);
            Assert.True((a * Fp.Invert(a)).IsOne);
            var sq = Fp.Square(a);
            Assert.True(Fp.IsSquare(sq));
            Assert.True(Fp.TrySqrt(sq, out var r));
            Assert.Equal(sq, Fp.Square(r));
            Assert.True(Fp.TryFromBytes(a.ToBytes(), out var back));
            Assert.Equal(a, back);
        }
        Assert.True(Fp.Invert(Fp.Zero).IsZero);
        Assert.False(Fp.IsSquare(Fp.Negate(Fp.One))); // p = 3 mod 4
        Assert.False(Fp.TryFromBytes(P.ToByteArray(isUnsigned: true, isBigEndian: true), out _)); // p itself is not canonical
        Assert.True(Fp.TryFromBytes((P - 1).ToByteArray(isUnsigned: true, isBigEndian: true), out _));
    }

    [Fact]
    public void Fp2_FieldLaws()
    {
        for (int i = 0; i < 20; i++)
        {
            var a = RandFp2(_rng); var b = RandFp2(_rng); var c = RandFp2(_rng);
            Assert.Equal(a * (b * c), (a * b) * c);
            Assert.Equal(a * (b + c), a * b + a * c);
            Assert.Equal(a * b, b * a);
            Assert.Equal(Fp2.Square(a), a * a);
            Assert.True((a * Fp2.Invert(a)).IsOne);
            Assert.Equal(Fp2.MulByNonResidue(a), a * new Fp2(Fp.One, Fp.One));
            Assert.Equal(Fp2.Conjugate(a), Fp2.Pow(a, P)); // Frobenius
            var s = Fp2.Square(a);
            Assert.True(Fp2.TrySqrt(s, out var r));
            Assert.Equal(s, Fp2.Square(r));
        }
        var u = new Fp2(Fp.Zero, Fp.One);
        Assert.Equal(Fp2.Negate(Fp2.One), u * u);
    }

    [Fact]
    public void Fp6_Fp12_FieldLaws()
    {
        for (int i = 0; i < 5; i++)
        {
            var a = RandFp6(_rng); var b = RandFp6(_rng); var c = RandFp6(_rng);
            Assert.Equal(Fp6.Mul(a, Fp6.Mul(b, c)), Fp6.Mul(Fp6.Mul(a, b), c));
            Assert.Equal(Fp6.Mul(a, Fp6.Add(b, c)), Fp6.Add(Fp6.Mul(a, b), Fp6.Mul(a, c)));
            Assert.Equal(Fp6.Square(a), Fp6.Mul(a, a));
            Assert.Equal(Fp6.One, Fp6.Mul(a, Fp6.Invert(a)));
            var v = new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero);
            Assert.Equal(Fp6.MulByNonResidue(a), Fp6.Mul(a, v));
            Assert.Equal(Fp6.MulBy01(a, b.C0, b.C1), Fp6.Mul(a, new Fp6(b.C0, b.C1, Fp2.Zero)));
            Assert.Equal(Fp6.MulBy1(a, b.C1), Fp6.Mul(a, new Fp6(Fp2.Zero, b.C1, Fp2.Zero)));

            var x = RandFp12(_rng); var y = RandFp12(_rng); var z = RandFp12(_rng);
            Assert.Equal(Fp12.Mul(x, Fp12.Mul(y, z)), Fp12.Mul(Fp12.Mul(x, y), z));
            Assert.Equal(Fp12.Mul(x, Fp12.Add(y, z)), Fp12.Add(Fp12.Mul(x, y), Fp12.Mul(x, z)));
            Assert.Equal(Fp12.Square(x), Fp12.Mul(x, x));
            Assert.Equal(Fp12.One, Fp12.Mul(x, Fp12.Invert(x)));
            var sparse = new Fp12(new Fp6(y.C0.C0, y.C0.C1, Fp2.Zero), new Fp6(Fp2.Zero, y.C1.C1, Fp2.Zero));
            Assert.Equal(Fp12.Mul(x, sparse), Fp12.MulBy014(x, y.C0.C0, y.C0.C1, y.C1.C1));
        }
    }

    [Fact]
    public void Fp12_FrobeniusIsPowerP()
    {
        var x = RandFp12(_rng);
        var limbs = ToLimbs(P);
        Assert.Equal(Fp12.Pow(x, limbs), Fp12.Frobenius(x));
        Assert.Equal(Fp12.Conjugate(x), Fp12.Frobenius(x, 6));
        Assert.Equal(x, Fp12.Frobenius(x, 12));
    }

    [Fact]
    public void Fp12_CyclotomicSquareMatchesSquareOnCyclotomicSubgroup()
    {
        var x = RandFp12(_rng);
        // map into the cyclotomic subgroup: x^((p^6 - 1)(p^2 + 1))
        var t = Fp12.Mul(Fp12.Conjugate(x), Fp12.Invert(x));
        t = Fp12.Mul(Fp12.Frobenius(t, 2), t);
        Assert.Equal(Fp12.Square(t), Fp12.CyclotomicSquare(t));
        Assert.Equal(Fp12.Pow(t, new ulong[] { 0xd201000000010000UL }), Fp12.CyclotomicPow(t, 0xd201000000010000UL));
        Assert.Equal(Fp12.One, Fp12.Mul(t, Fp12.Conjugate(t))); // unitary
    }

    [Fact]
    public void Scalar_MatchesBigIntegerAndReducesWideInput()
    {
        var r = BlsScalar.Order;
        for (int i = 0; i < 30; i++)
        {
            var b = new byte[48]; _rng.NextBytes(b);
            var big = new BigInteger(b, isUnsigned: true, isBigEndian: true);
            Assert.Equal(big % r, BlsScalar.FromBytesWide(b).ToBigInteger());
            var x = BlsScalar.FromBigInteger(big); var y = BlsScalar.FromBigInteger(big / 3 + 17);
            Assert.Equal(x.ToBigInteger() * y.ToBigInteger() % r, (x * y).ToBigInteger());
            Assert.Equal((x.ToBigInteger() + y.ToBigInteger()) % r, (x + y).ToBigInteger());
        }
        var all = Enumerable.Repeat((byte)0xff, 48).ToArray();
        Assert.Equal(new BigInteger(all, isUnsigned: true) % r, BlsScalar.FromBytesWide(all).ToBigInteger());
        Assert.False(BlsScalar.TryFromBytes(r.ToByteArray(isUnsigned: true, isBigEndian: true), out _));
    }

    internal static ulong[] ToLimbs(BigInteger v)
    {
        var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: false);
        var limbs = new ulong[(bytes.Length + 7) / 8];
        for (int i = 0; i < bytes.Length; i++) limbs[i / 8] |= (ulong)bytes[i] << (8 * (i % 8));
        return limbs;
    }
}
