namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

public class RangeProofTests
{
    internal static readonly BulletproofGens Gens = new(64, 64);
    private const string Label = "DVV.ZkRisk/test";

    internal static (RangeProof proof, RistrettoPoint[] commitments) Make(ulong[] values, int n, string label = Label)
    {
        var blindings = values.Select(_ => Scalar.Random()).ToArray();
        var proof = RangeProof.ProveMultiple(Gens, PedersenGens.Default, new Transcript(label), values, blindings, n, out var commitments);
        return (proof, commitments);
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(16, 2)]
    [InlineData(32, 4)]
    [InlineData(64, 1)]
    [InlineData(64, 8)]
    public void ProveThenVerify_RoundTrip(int n, int m)
    {
        var rng = TestRandom.Create(n * 100 + m);
        ulong max = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
        var values = Enumerable.Range(0, m).Select(i => i == 0 ? 0 : i == 1 ? max : (ulong)rng.NextInt64() & max).ToArray();
        var (proof, commitments) = Make(values, n);
        Assert.Equal(7 * 32 + (2 * (int)Math.Log2(n * m) + 2) * 32, proof.ToBytes().Length);
        var back = RangeProof.FromBytes(proof.ToBytes());
        back.Verify(Gens, PedersenGens.Default, new Transcript(Label), commitments, n);
    }

    [Fact]
    public void ValueOutOfRange_IsRefusedByTheProver()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Make([1UL << 8], 8));

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void NonPowerOfTwoAggregation_IsRefused(int m)
        => Assert.Throws<ArgumentException>(() => Make(new ulong[m], 8));
}
