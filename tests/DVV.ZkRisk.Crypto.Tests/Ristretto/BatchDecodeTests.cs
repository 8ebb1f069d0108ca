namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

/// <summary>The 4-way batch decoder against the one-at-a-time RFC 9496 decoder, on valid and invalid encodings.</summary>
public class BatchDecodeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(403)]
    public void ValidEncodings_DecodeToTheSamePoints(int count)
    {
        var rng = TestRandom.Create(700 + count);
        var enc = new byte[32 * count];
        var buf = new byte[64];
        for (int i = 0; i < count; i++)
        {
            rng.NextBytes(buf);
            var p = i % 17 == 3 ? RistrettoPoint.Identity : RistrettoPoint.FromUniformBytes(buf);
            p.WriteTo(enc.AsSpan(32 * i, 32));
        }
        var points = new RistrettoPoint[count];
        var valid = new bool[count];
        Assert.Equal(count, RistrettoBatchDecoder.Decode(enc, points, valid));
        for (int i = 0; i < count; i++)
        {
            Assert.True(valid[i]);
            var expected = RistrettoPoint.Decode(enc.AsSpan(32 * i, 32));
            Assert.Equal(expected, points[i]);
            // same Edwards representative, not only the same group element
            Assert.Equal(expected.Inner.X.ToBytes(), points[i].Inner.X.ToBytes());
            Assert.Equal(expected.Inner.Y.ToBytes(), points[i].Inner.Y.ToBytes());
            Assert.Equal(expected.Inner.T.ToBytes(), points[i].Inner.T.ToBytes());
            Assert.Equal(enc.AsSpan(32 * i, 32).ToArray(), points[i].ToBytes());
        }
    }

    [Fact]
    public void InvalidEncodings_AreFlaggedInTheirLanesOnly()
    {
        // RFC 9496 Appendix A.2's bad encodings mixed with valid ones at every lane position.
        var bad = Rfc9496Vectors.Invalid.Select(v => Convert.FromHexString(v.Hex)).ToArray();
        var rng = TestRandom.Create(71);
        var buf = new byte[64];
        int count = bad.Length * 4;
        var enc = new byte[32 * count];
        var expectValid = new bool[count];
        for (int i = 0; i < count; i++)
        {
            if (i % 4 == (i / 4) % 4) bad[i / 4].CopyTo(enc, 32 * i);
            else { rng.NextBytes(buf); RistrettoPoint.FromUniformBytes(buf).WriteTo(enc.AsSpan(32 * i, 32)); expectValid[i] = true; }
        }
        var points = new RistrettoPoint[count];
        var valid = new bool[count];
        int ok = RistrettoBatchDecoder.Decode(enc, points, valid);
        Assert.Equal(expectValid.Count(v => v), ok);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(expectValid[i], valid[i]);
            Assert.Equal(RistrettoPoint.TryDecode(enc.AsSpan(32 * i, 32), out var p), valid[i]);
            Assert.Equal(valid[i] ? p : RistrettoPoint.Identity, points[i]);
        }
    }

    [Fact]
    public void RandomBytes_AgreeWithTheSerialDecoder()
    {
        // Mostly invalid (about 1 in 8 random strings decodes), with the top bit and sign bit varied.
        var rng = TestRandom.Create(72);
        int count = 4000;
        var enc = new byte[32 * count];
        rng.NextBytes(enc);
        for (int i = 0; i < count; i += 3) enc[32 * i + 31] &= 0x7f;
        for (int i = 0; i < count; i += 2) enc[32 * i] &= 0xfe;
        var points = new RistrettoPoint[count];
        var valid = new bool[count];
        int ok = RistrettoBatchDecoder.Decode(enc, points, valid);
        int serialOk = 0;
        for (int i = 0; i < count; i++)
        {
            bool s = RistrettoPoint.TryDecode(enc.AsSpan(32 * i, 32), out var p);
            Assert.Equal(s, valid[i]);
            if (s) { serialOk++; Assert.Equal(p, points[i]); }
        }
        Assert.Equal(serialOk, ok);
        Assert.True(ok > 100);
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => RistrettoBatchDecoder.Decode(new byte[33], new RistrettoPoint[2], new bool[2]));
        Assert.Throws<ArgumentException>(() => RistrettoBatchDecoder.Decode(new byte[64], new RistrettoPoint[1], new bool[2]));
    }
}
