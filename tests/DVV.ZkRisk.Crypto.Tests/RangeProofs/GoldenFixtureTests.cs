using System.Text.Json;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>The dalek-made proof in ../shared/fixtures verifies here, with dalek's own challenges, and fails at n = 16.</summary>
public class GoldenFixtureTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("dalek-batch-range-proof-golden.json"))).RootElement;
    private static readonly BulletproofGens Gens = new(64, 16);

    private static string Label => Golden.GetProperty("transcript_label").GetString()!;
    private static RistrettoPoint[] Commitments => Golden.GetProperty("commitments_hex").EnumerateArray().Select(c => RistrettoPoint.Decode(Convert.FromHexString(c.GetString()!))).ToArray();
    private static RangeProof Proof => RangeProof.FromBytes(Convert.FromHexString(Golden.GetProperty("proof_hex").GetString()!));

    [Fact]
    public void GoldenProof_Verifies()
        => Proof.Verify(Gens, PedersenGens.Default, new Transcript(Label), Commitments, Golden.GetProperty("n_bits").GetInt32());

    [Fact]
    public void GoldenProof_ReproducesDalekChallenges()
    {
        var expected = Golden.GetProperty("expected_challenges_le_hex");
        var t = new Transcript(Label);
        var proof = Proof;
        t.RangeProofDomainSep(32, 2);
        foreach (var v in Commitments) t.AppendPoint("V"u8, v);
        t.AppendMessage("A"u8, proof.A);
        t.AppendMessage("S"u8, proof.S);
        Assert.Equal(expected.GetProperty("y").GetString(), t.ChallengeScalar("y"u8).ToString());
        Assert.Equal(expected.GetProperty("z").GetString(), t.ChallengeScalar("z"u8).ToString());
        t.AppendMessage("T_1"u8, proof.T1);
        t.AppendMessage("T_2"u8, proof.T2);
        Assert.Equal(expected.GetProperty("x").GetString(), t.ChallengeScalar("x"u8).ToString());
        t.AppendScalar("t_x"u8, proof.TX);
        t.AppendScalar("t_x_blinding"u8, proof.TXBlinding);
        t.AppendScalar("e_blinding"u8, proof.EBlinding);
        Assert.Equal(expected.GetProperty("w").GetString(), t.ChallengeScalar("w"u8).ToString());
        t.InnerProductDomainSep(64);
        t.AppendMessage("L"u8, proof.IppProof.LVec[0]);
        t.AppendMessage("R"u8, proof.IppProof.RVec[0]);
        Assert.Equal(expected.GetProperty("u_1").GetString(), t.ChallengeScalar("u"u8).ToString());
    }

    [Fact]
    public void GoldenProof_FailsWithSixteenBits()
    {
        var ex = Assert.Throws<RangeProofVerificationException>(() => Proof.Verify(Gens, PedersenGens.Default, new Transcript(Label), Commitments, 16));
        Assert.Contains("rounds", ex.Reason);
    }

    [Fact]
    public void ReserializesByteForByte()
        => Assert.Equal(Golden.GetProperty("proof_hex").GetString(), Convert.ToHexStringLower(Proof.ToBytes()));
}
