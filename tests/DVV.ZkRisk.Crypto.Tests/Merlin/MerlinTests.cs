using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DVV.ZkRisk.Crypto.Merlin;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Merlin;

public class MerlinTests
{
    private static JsonElement Golden() => JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("dalek-batch-range-proof-golden.json"))).RootElement;

    [Fact]
    public void SimpleVector_FromTheFixture()
    {
        var v = Golden().GetProperty("merlin_vectors").GetProperty("simple");
        var t = new Transcript(v.GetProperty("protocol").GetString()!);
        foreach (var pair in v.GetProperty("append").EnumerateArray())
            t.AppendMessage(pair[0].GetString()!, Encoding.UTF8.GetBytes(pair[1].GetString()!));
        var buf = new byte[v.GetProperty("challenge_len").GetInt32()];
        t.ChallengeBytes(v.GetProperty("challenge_label").GetString()!, buf);
        Assert.Equal(v.GetProperty("expected_hex").GetString(), Convert.ToHexStringLower(buf));
    }

    [Fact]
    public void KeccakF1600_DrivesSha3_256_LikeThePlatform()
    {
        // A minimal SHA3-256 sponge over our permutation, compared with OpenSSL's SHA3-256 at lengths
        // around the 136-byte rate boundary: an independent check of the permutation STROBE runs on.
        var rng = TestRandom.Create(20);
        foreach (int len in new[] { 0, 1, 135, 136, 137, 300, 1000 })
        {
            byte[] msg = TestRandom.Bytes(rng, len);
            Assert.Equal(SHA3_256.HashData(msg), Sha3_256(msg));
        }
    }

    private static byte[] Sha3_256(byte[] msg)
    {
        const int rate = 136;
        var state = new byte[200];
        int off = 0;
        for (; off + rate <= msg.Length; off += rate)
        {
            for (int i = 0; i < rate; i++) state[i] ^= msg[off + i];
            KeccakF1600.Permute(state);
        }
        int rem = msg.Length - off;
        for (int i = 0; i < rem; i++) state[i] ^= msg[off + i];
        state[rem] ^= 0x06;
        state[rate - 1] ^= 0x80;
        KeccakF1600.Permute(state);
        return state[..32];
    }

    [Fact]
    public void LongMessagesAndManyChallenges_AreDeterministicAndLabelSensitive()
    {
        // Crossing the 166-byte STROBE rate on absorb and squeeze must be stable and label-bound.
        byte[] Run(string label)
        {
            var t = new Transcript("test");
            t.AppendMessage("big", new byte[1000]);
            t.AppendU64(label, 42);
            var c = new byte[500];
            t.ChallengeBytes("c", c);
            return c;
        }
        Assert.Equal(Run("x"), Run("x"));
        Assert.NotEqual(Run("x"), Run("y"));
    }

    [Fact]
    public void Clone_ForksIndependently()
    {
        var t = new Transcript("fork");
        t.AppendU64("a", 1);
        var u = t.Clone();
        Assert.Equal(t.ChallengeScalar("c"), u.ChallengeScalar("c"));
        t.AppendU64("b", 2);
        u.AppendU64("b", 3);
        Assert.NotEqual(t.ChallengeScalar("d"), u.ChallengeScalar("d"));
    }

    [Fact]
    public void ValidateAndAppendPoint_RejectsIdentity()
        => Assert.Throws<InvalidEncodingException>(() => new Transcript("t").ValidateAndAppendPoint("A"u8, new byte[32]));
}
