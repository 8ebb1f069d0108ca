using System.Text.Json;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Oracles;

/// <summary>A second independent opinion: @noble/curves' ristretto255 under Node 20.</summary>
public class NobleRistrettoTests
{
    [Fact]
    public void DerivationProductsSumsAndMsm_MatchNoble()
    {
        var rng = TestRandom.Create(40);
        const int n = 200;
        var uniforms = Enumerable.Range(0, n).Select(_ => TestRandom.Bytes(rng, 64)).ToArray();
        var scalars = Enumerable.Range(0, n).Select(i => i == 0 ? Scalar.Zero : TestRandom.Scalar(rng)).ToArray();
        var points = Enumerable.Range(0, n).Select(_ => TestRandom.Point(rng)).ToArray();
        var request = new
        {
            cases = Enumerable.Range(0, n).Select(i => new { uniform = Hex(uniforms[i]), scalar = scalars[i].ToString(), point = points[i].ToString() }),
            msm = new { scalars = scalars.Select(s => s.ToString()), points = points.Select(p => p.ToString()) },
        };
        var reply = JsonDocument.Parse(NodePeer.Run("ristretto/noble-ristretto.mjs", JsonSerializer.Serialize(request))).RootElement;
        var derived = reply.GetProperty("derived").EnumerateArray().Select(e => e.GetString()).ToArray();
        var products = reply.GetProperty("products").EnumerateArray().Select(e => e.GetString()).ToArray();
        var sums = reply.GetProperty("sums").EnumerateArray().Select(e => e.GetString()).ToArray();
        for (int i = 0; i < n; i++)
        {
            var d = RistrettoPoint.FromUniformBytes(uniforms[i]);
            Assert.Equal(derived[i], d.ToString());
            Assert.Equal(products[i], (scalars[i] * points[i]).ToString());
            Assert.Equal(sums[i], (d + points[i]).ToString());
        }
        Assert.Equal(reply.GetProperty("msm").GetString(), MultiscalarMul.Vartime(scalars, points).ToString());
        Assert.Equal(reply.GetProperty("msm").GetString(), MultiscalarMul.ConstantTime(scalars, points).ToString());
    }

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}
