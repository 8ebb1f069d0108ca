using System.Numerics;

namespace DVV.ZkRisk.Crypto.Tests.Scalars;

public class ScalarTests
{
    private static readonly BigInteger L = Scalar.Order;

    [Fact]
    public void FieldLaws_HoldAgainstBigIntegerArithmetic()
    {
        var rng = TestRandom.Create(10);
        for (int i = 0; i < 1000; i++)
        {
            Scalar a = TestRandom.Scalar(rng), b = TestRandom.Scalar(rng), c = TestRandom.Scalar(rng);
            BigInteger ai = a.ToBigInteger(), bi = b.ToBigInteger();
            Assert.True(ai < L && bi < L);
            Assert.Equal((ai + bi) % L, (a + b).ToBigInteger());
            Assert.Equal(((ai - bi) % L + L) % L, (a - b).ToBigInteger());
            Assert.Equal(ai * bi % L, (a * b).ToBigInteger());
            Assert.Equal(a * (b + c), a * b + a * c);                // distributivity
            Assert.Equal((a * b) * c, a * (b * c));                  // associativity
            Assert.Equal(a + b, b + a);
            Assert.Equal(Scalar.Zero, a - a);
            Assert.Equal(a, a * Scalar.One);
            if (!a.IsZero()) Assert.Equal(Scalar.One, a * Scalar.Invert(a));
        }
    }

    [Fact]
    public void WideReduction_MatchesBigInteger_IncludingExtremes()
    {
        var rng = TestRandom.Create(11);
        var inputs = new List<byte[]> { new byte[64], Enumerable.Repeat((byte)0xff, 64).ToArray() };
        for (int i = 0; i < 500; i++) inputs.Add(TestRandom.Bytes(rng, 64));
        foreach (var w in inputs)
            Assert.Equal(new BigInteger(w, isUnsigned: true) % L, Scalar.FromBytesWide(w).ToBigInteger());
    }

    [Fact]
    public void CanonicalDecoding_AcceptsBelowL_RejectsLAndAbove()
    {
        byte[] Enc(BigInteger x) { var b = new byte[32]; x.TryWriteBytes(b, out _, isUnsigned: true); return b; }
        Assert.Equal(L - 1, Scalar.FromCanonical(Enc(L - 1)).ToBigInteger());
        Assert.Equal(BigInteger.Zero, Scalar.FromCanonical(new byte[32]).ToBigInteger());
        foreach (var bad in new[] { L, L + 1, 2 * L, BigInteger.Pow(2, 253), BigInteger.Pow(2, 256) - 1 })
        {
            var ex = Assert.Throws<NonCanonicalEncodingException>(() => Scalar.FromCanonical(Enc(bad)));
            Assert.Contains("canonical", ex.Message);
        }
        Assert.Throws<NonCanonicalEncodingException>(() => Scalar.FromCanonical(new byte[31]));
        Assert.Throws<NonCanonicalEncodingException>(() => Scalar.FromCanonical(new byte[33]));
    }

    [Fact]
    public void BatchInvert_EqualsSingleInversions()
    {
        var rng = TestRandom.Create(12);
        var xs = Enumerable.Range(0, 300).Select(_ => TestRandom.Scalar(rng)).ToArray();
        var ys = (Scalar[])xs.Clone();
        Scalar.BatchInvert(ys);
        for (int i = 0; i < xs.Length; i++) Assert.Equal(Scalar.Invert(xs[i]), ys[i]);
        Assert.Throws<DivideByZeroException>(() => Scalar.BatchInvert(new[] { Scalar.One, Scalar.Zero }));
    }

    [Fact]
    public void Radix16Digits_RecomposeTheScalar()
    {
        var rng = TestRandom.Create(13);
        Span<sbyte> d = stackalloc sbyte[64];
        for (int i = 0; i < 200; i++)
        {
            var s = i == 0 ? -Scalar.One : TestRandom.Scalar(rng);
            s.ToRadix16(d);
            BigInteger acc = 0;
            for (int j = 63; j >= 0; j--) { Assert.InRange(d[j], -8, 8); acc = acc * 16 + d[j]; }
            Assert.Equal(s.ToBigInteger(), acc);
        }
    }

    [Fact]
    public void Random_IsCanonicalAndNotConstant()
    {
        var a = Scalar.Random();
        var b = Scalar.Random();
        Assert.NotEqual(a, b);
        Assert.True(Scalar.TryFromCanonical(a.ToBytes(), out var back) && back == a);
    }
}
