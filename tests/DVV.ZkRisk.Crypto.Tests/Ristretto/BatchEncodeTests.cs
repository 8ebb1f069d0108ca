namespace DVV.ZkRisk.Crypto.Tests.Ristretto;

/// <summary>The 4-way batch encoder against the one-at-a-time RFC 9496 encoder (itself checked against libsodium and the
/// RFC's vectors) on points with arbitrary Edwards representatives, the identity and every lane position.</summary>
public class BatchEncodeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(403)]
    public void Encodings_EqualTheSerialEncoder(int count)
    {
        var rng = TestRandom.Create(900 + count);
        var points = new RistrettoPoint[count];
        for (int i = 0; i < count; i++)
            // sums and differences leave Z != 1 and a representative other than the decoder's
            points[i] = i % 13 == 5 ? RistrettoPoint.Identity : TestRandom.Point(rng) + TestRandom.Point(rng) - TestRandom.Point(rng);
        var batch = RistrettoBatchEncoder.Encode(points);
        Assert.Equal(32 * count, batch.Length);
        for (int i = 0; i < count; i++) Assert.Equal(points[i].ToBytes(), batch.AsSpan(32 * i, 32).ToArray());
    }

    [Fact]
    public void SmallMultiplesOfTheBasepoint_MatchRfc9496AppendixA1()
    {
        string[] rfc = Rfc9496Vectors.Multiples;   // 0 B .. 15 B: four full batches of lanes
        var points = new RistrettoPoint[rfc.Length];
        var acc = RistrettoPoint.Identity;
        for (int i = 0; i < rfc.Length; i++) { points[i] = acc; acc += RistrettoPoint.Basepoint; }
        var batch = RistrettoBatchEncoder.Encode(points);
        for (int i = 0; i < rfc.Length; i++) Assert.Equal(rfc[i], Convert.ToHexStringLower(batch.AsSpan(32 * i, 32)));
    }

    [Fact]
    public void ShortDestination_IsRefused()
        => Assert.Throws<ArgumentException>(() => RistrettoBatchEncoder.Encode([RistrettoPoint.Basepoint], new byte[31]));
}
