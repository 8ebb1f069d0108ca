using System.Text.Json;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

/// <summary>Generators byte-compatible with dalek bulletproofs 4.0 (values recorded in the golden fixture).</summary>
public class GeneratorTests
{
    private static JsonElement Checks() => JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("dalek-batch-range-proof-golden.json")))
        .RootElement.GetProperty("generator_checks_hex");

    [Fact]
    public void PedersenBases_MatchDalek()
    {
        Assert.Equal(Checks().GetProperty("B").GetString(), PedersenGens.Default.B.ToString());
        Assert.Equal(Checks().GetProperty("B_blinding").GetString(), PedersenGens.Default.BBlinding.ToString());
    }

    [Fact]
    public void BulletproofGenerators_MatchDalek()
    {
        var gens = new BulletproofGens(64, 2);
        Assert.Equal(Checks().GetProperty("G_party0_index0").GetString(), gens.G(0, 0).ToString());
        Assert.Equal(Checks().GetProperty("H_party0_index0").GetString(), gens.H(0, 0).ToString());
        Assert.Equal(Checks().GetProperty("G_party1_index0").GetString(), gens.G(1, 0).ToString());
        // A chain is a prefix-stable stream: asking for more generators does not change the first ones.
        Assert.Equal(new BulletproofGens(8, 1).G(0, 7), gens.G(0, 7));
    }
}
