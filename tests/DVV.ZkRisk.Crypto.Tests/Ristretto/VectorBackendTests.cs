using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

/// <summary>
/// The 4-way AVX2 point arithmetic (<see cref="ExtendedPoint4"/>) and constant-time scalar multiplication
/// (<see cref="ScalarMulAvx2"/>) against the serial <see cref="EdwardsPoint"/> code and libsodium 1.0.18.
/// Skipped (returns) on CPUs without AVX2; the serial path is tested on its own everywhere.
/// </summary>
public class VectorBackendTests
{
    private const int Rounds = 2000;

    /// <summary>Same projective point: X1 Z2 = X2 Z1, Y1 Z2 = Y2 Z1, and T Z = X Y on the vector result.</summary>
    private static void AssertSamePoint(in EdwardsPoint expected, in EdwardsPoint actual)
    {
        Assert.Equal((expected.X * actual.Z).ToBytes(), (actual.X * expected.Z).ToBytes());
        Assert.Equal((expected.Y * actual.Z).ToBytes(), (actual.Y * expected.Z).ToBytes());
        Assert.Equal((actual.T * actual.Z).ToBytes(), (actual.X * actual.Y).ToBytes());
    }

    [Fact]
    public void DoubleAndAdd_MatchSerial()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(40);
        for (int i = 0; i < Rounds; i++)
        {
            EdwardsPoint p = TestRandom.Point(rng).Inner, q = TestRandom.Point(rng).Inner;
            if (i == 0) p = EdwardsPoint.Identity;
            if (i == 1) q = p;                      // P + P through the addition formula
            if (i == 2) q = p.Negate();             // P + (-P) = identity
            var vp = ExtendedPoint4.FromEdwards(p);
            var cq = ExtendedPoint4.FromEdwards(q).ToCached();
            AssertSamePoint(p.Double(), vp.Double().ToEdwards());
            AssertSamePoint(p.MulByPow2(4), vp.MulByPow2(4).ToEdwards());
            AssertSamePoint(EdwardsPoint.Add(p, q), vp.Add(cq).ToEdwards());
            AssertSamePoint(EdwardsPoint.Sub(p, q), vp.Add(cq.ConditionalNegate(Vector256<ulong>.AllBitsSet)).ToEdwards());
            AssertSamePoint(EdwardsPoint.Add(p, q), vp.Add(cq.ConditionalNegate(Vector256<ulong>.Zero)).ToEdwards());
        }
    }

    [Fact]
    public void LongChainsOfDoublingsAndAdditions_MatchSerial()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(41);
        EdwardsPoint p = TestRandom.Point(rng).Inner, q = TestRandom.Point(rng).Inner;
        var vp = ExtendedPoint4.FromEdwards(p);
        var cq = ExtendedPoint4.FromEdwards(q).ToCached();
        for (int i = 0; i < 500; i++)
        {
            p = EdwardsPoint.Add(p.MulByPow2(3), q);
            vp = vp.MulByPow2(3).Add(cq);
        }
        AssertSamePoint(p, vp.ToEdwards());
    }

    [Fact]
    public void TableSelect_MatchesSerialTable_ForEveryDigit()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(42);
        for (int i = 0; i < 50; i++)
        {
            EdwardsPoint p = TestRandom.Point(rng).Inner, r = TestRandom.Point(rng).Inner;
            var serial = LookupTable8.Create(p);
            var vector = LookupTable8x4.Create(ExtendedPoint4.FromEdwards(p));
            var vr = ExtendedPoint4.FromEdwards(r);
            for (int digit = -8; digit <= 8; digit++)
                AssertSamePoint(EdwardsPoint.Add(r, serial.Select(digit)), vr.Add(vector.Select(digit)).ToEdwards());
        }
    }

    private static Scalar FromBig(BigInteger x) => Scalar.FromBigInteger(x);

    private static IEnumerable<Scalar> EdgeScalars()
    {
        BigInteger l = Scalar.Order;
        yield return Scalar.Zero;
        yield return Scalar.One;
        yield return FromBig(2);
        yield return FromBig(8);
        yield return FromBig(l - 1);
        yield return FromBig(l - 2);
        yield return FromBig(BigInteger.Pow(2, 252));
        yield return FromBig(BigInteger.Pow(2, 252) - 1);
        yield return FromBig((l - 1) / 2);
        yield return FromBig(ulong.MaxValue);
        // every radix-16 digit -8 (0x88..88 pattern recoded) and every digit 7
        yield return FromBig(new BigInteger(Enumerable.Repeat((byte)0x88, 31).Append((byte)0x08).ToArray(), isUnsigned: true));
        yield return FromBig(new BigInteger(Enumerable.Repeat((byte)0x77, 31).Append((byte)0x07).ToArray(), isUnsigned: true));
    }

    [Fact]
    public void ScalarMul_VectorEqualsSerialAndLibsodium_RandomScalars()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(43);
        for (int i = 0; i < Rounds; i++)
        {
            RistrettoPoint p = TestRandom.Point(rng);
            Scalar s = TestRandom.Scalar(rng);
            byte[] vector = new RistrettoPoint(ScalarMulAvx2.ConstantTime(p.Inner, s)).ToBytes();
            Assert.Equal(new RistrettoPoint(ScalarMul.ConstantTimeSerial(p.Inner, s)).ToBytes(), vector);
            Assert.Equal(LibSodium.ScalarMult(s.ToBytes(), p.ToBytes()), vector);
            Assert.Equal(vector, (s * p).ToBytes());   // the dispatching operator
        }
    }

    [Fact]
    public void ScalarMul_EdgeScalarsAndPoints_MatchSerialAndLibsodium()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(44);
        RistrettoPoint[] points = [RistrettoPoint.Basepoint, RistrettoPoint.Identity, TestRandom.Point(rng), TestRandom.Point(rng)];
        foreach (RistrettoPoint p in points)
        foreach (Scalar s in EdgeScalars())
        {
            var vector = new RistrettoPoint(ScalarMulAvx2.ConstantTime(p.Inner, s));
            Assert.Equal(new RistrettoPoint(ScalarMul.ConstantTimeSerial(p.Inner, s)).ToBytes(), vector.ToBytes());
            byte[]? sodium = LibSodium.ScalarMult(s.ToBytes(), p.ToBytes());
            if (sodium is null) Assert.True(vector.IsIdentity);   // libsodium reports an identity result as failure
            else Assert.Equal(sodium, vector.ToBytes());
        }
    }

    /// <summary>The serial fallback keeps its own oracle check, whichever path the dispatch takes here.</summary>
    [Fact]
    public void ScalarMul_SerialFallback_MatchesLibsodium()
    {
        var rng = TestRandom.Create(45);
        for (int i = 0; i < 300; i++)
        {
            RistrettoPoint p = TestRandom.Point(rng);
            Scalar s = TestRandom.Scalar(rng);
            Assert.Equal(LibSodium.ScalarMult(s.ToBytes(), p.ToBytes()), new RistrettoPoint(ScalarMul.ConstantTimeSerial(p.Inner, s)).ToBytes());
        }
    }
}
