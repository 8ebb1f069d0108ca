namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

public class GroupLawTests
{
    [Fact]
    public void GroupLaws_Hold()
    {
        var rng = TestRandom.Create(30);
        for (int i = 0; i < 300; i++)
        {
            RistrettoPoint p = TestRandom.Point(rng), q = TestRandom.Point(rng), r = TestRandom.Point(rng);
            Scalar a = TestRandom.Scalar(rng), b = TestRandom.Scalar(rng);
            Assert.Equal(p + q, q + p);
            Assert.Equal((p + q) + r, p + (q + r));
            Assert.Equal(p, p + RistrettoPoint.Identity);
            Assert.True((p - p).IsIdentity);
            Assert.Equal(p + p, p.Double());
            Assert.Equal(-p, Scalar.Zero - Scalar.One == -Scalar.One ? (-Scalar.One) * p : p);
            Assert.Equal(a * p + b * p, (a + b) * p);
            Assert.Equal(a * (b * p), (a * b) * p);
            Assert.Equal(a * p + b * RistrettoPoint.Basepoint, RistrettoPoint.VartimeDoubleScalarMulBase(a, p, b));
            // Re-encoding is stable: decode(encode(P)) encodes to the same bytes.
            Assert.Equal(p.ToBytes(), RistrettoPoint.Decode(p.ToBytes()).ToBytes());
        }
    }

    [Fact]
    public void OrderOfTheGroup_AnnihilatesEveryPoint()
    {
        // l * P = 0: write l as (l - 1) + 1 since l itself is not a canonical scalar.
        var p = TestRandom.Point(TestRandom.Create(31));
        Assert.True(((-Scalar.One) * p + p).IsIdentity);
    }
}
