using System.Text.Json;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

public class PedersenTests
{
    [Fact]
    public void Commitments_MatchTheDalekFixture()
    {
        var root = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("dalek-batch-range-proof-golden.json"))).RootElement;
        var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetUInt64()).ToArray();
        var blindings = root.GetProperty("blindings_hex").EnumerateArray().Select(b => Scalar.FromBytesModOrder(Convert.FromHexString(b.GetString()!))).ToArray();
        var expected = root.GetProperty("commitments_hex").EnumerateArray().Select(c => c.GetString()).ToArray();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(expected[i], PedersenGens.Default.Commit(values[i], blindings[i]).ToString());
    }

    [Fact]
    public void Homomorphic_AddAndSub()
    {
        var g = PedersenGens.Default;
        Scalar r1 = Scalar.Random(), r2 = Scalar.Random();
        var c1 = g.Commit(30, r1);
        var c2 = g.Commit(12, r2);
        Assert.Equal(g.Commit(42, r1 + r2), c1 + c2);
        Assert.Equal(g.Commit(18, r1 - r2), c1 - c2);
    }

    [Fact]
    public void VerifyOpening_AcceptsOnlyTheRightOpening()
    {
        var g = PedersenGens.Default;
        var r = Scalar.Random();
        var c = g.Commit(7, r);
        Assert.True(g.VerifyOpening(c, Scalar.FromUInt64(7), r));
        Assert.False(g.VerifyOpening(c, Scalar.FromUInt64(8), r));
        Assert.False(g.VerifyOpening(c, Scalar.FromUInt64(7), r + Scalar.One));
    }
}
