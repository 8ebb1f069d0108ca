using System.Numerics;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

public class PairingTests
{
    private readonly Random _rng = new(4242);
    private BlsScalar RandScalar() { var b = new byte[48]; _rng.NextBytes(b); return BlsScalar.FromBytesWide(b); }
    private static readonly ulong[] R = FieldTests.ToLimbs(BlsScalar.Order);

    [Fact]
    public void Pairing_IsNonDegenerateAndLandsInGT()
    {
        var e = Pairing.Pair(G1Point.Generator, G2Point.Generator);
        Assert.False(e.IsOne);
        Assert.True(Fp12.Pow(e, R).IsOne);
        Assert.True(Pairing.Pair(G1Point.Identity, G2Point.Generator).IsOne);
        Assert.True(Pairing.Pair(G1Point.Generator, G2Point.Identity).IsOne);
    }

    [Fact]
    public void Pairing_IsBilinear()
    {
        var a = RandScalar(); var b = RandScalar();
        var e = Pairing.Pair(G1Point.Generator, G2Point.Generator);
        var eab = Pairing.Pair(G1Point.Multiply(G1Point.Generator, a), G2Point.Multiply(G2Point.Generator, b));
        Assert.Equal(Fp12.Pow(e, FieldTests.ToLimbs((a * b).ToBigInteger())), eab);
        // e(aP, Q) = e(P, aQ)
        Assert.Equal(Pairing.Pair(G1Point.Multiply(G1Point.Generator, a), G2Point.Generator),
                     Pairing.Pair(G1Point.Generator, G2Point.Multiply(G2Point.Generator, a)));
        // e(P1 + P2, Q) = e(P1, Q) e(P2, Q)
        var p1 = G1Point.Multiply(G1Point.Generator, a); var p2 = G1Point.Multiply(G1Point.Generator, b); var q = G2Point.Multiply(G2Point.Generator, RandScalar());
        Assert.Equal(Pairing.Pair(p1 + p2, q), Fp12.Mul(Pairing.Pair(p1, q), Pairing.Pair(p2, q)));
    }

    [Fact]
    public void MultiPairing_SharesOneFinalExponentiation()
    {
        var p1 = G1Point.Multiply(G1Point.Generator, RandScalar()); var q1 = G2Point.Multiply(G2Point.Generator, RandScalar());
        var p2 = G1Point.Multiply(G1Point.Generator, RandScalar()); var q2 = G2Point.Multiply(G2Point.Generator, RandScalar());
        Assert.Equal(Fp12.Mul(Pairing.Pair(p1, q1), Pairing.Pair(p2, q2)), Pairing.MultiPair(new[] { (p1, q1), (p2, q2) }));
        Assert.True(Pairing.PairingProductIsOne(new[] { (p1, q1), (G1Point.Negate(p1), q1) }));
        Assert.True(Pairing.PairingProductIsOne(new[] { (p1, q1), (p1, G2Point.Negate(q1)), (G1Point.Identity, q2) }));
    }

    [Fact]
    public void MillerLoopSteps_TrackThePointArithmetic()
    {
        var q = G2Point.Multiply(G2Point.Generator, RandScalar()).Normalize();
        var t = q;
        Pairing.DoublingStep(ref t, out _, out _, out _);
        Assert.Equal(G2Point.Double(q), t);
        q.ToAffine(out var qx, out var qy);
        var t2 = G2Point.Double(q);
        Pairing.AdditionStep(ref t2, qx, qy, out _, out _, out _);
        Assert.Equal(G2Point.Double(q) + q, t2);
    }
}
