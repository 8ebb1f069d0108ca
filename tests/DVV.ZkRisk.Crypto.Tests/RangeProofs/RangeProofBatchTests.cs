namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

public class RangeProofBatchTests
{
    private static readonly BulletproofGens Gens = RangeProofTests.Gens;

    private static List<RangeProofStatement> MixedBatch()
    {
        var list = new List<RangeProofStatement>();
        int k = 0;
        foreach (var (n, m) in new[] { (64, 1), (32, 2), (8, 4), (16, 1), (64, 2), (8, 1) })
        {
            string label = $"batch/{k++}";
            var (proof, commitments) = RangeProofTests.Make(Enumerable.Range(0, m).Select(i => (ulong)(i * 3 + 1)).ToArray(), n, label);
            list.Add(new RangeProofStatement(proof, label, commitments, n));
        }
        return list;
    }

    [Fact]
    public void MixedSizesAndLabels_VerifyTogether()
    {
        Assert.True(RangeProofBatch.Verify(Gens, PedersenGens.Default, MixedBatch(), out var bad));
        Assert.Empty(bad);
    }

    [Fact]
    public void BadProofs_AreNamed()
    {
        var batch = MixedBatch();
        // Proof 1 under a wrong label, proof 4 with a tampered scalar, proof 5 with swapped commitment.
        batch[1] = batch[1] with { Transcript = new Transcript("wrong") };
        var bytes = batch[4].Proof.ToBytes();
        Scalar.Random().ToBytes().CopyTo(bytes, 4 * 32);
        batch[4] = batch[4] with { Proof = RangeProof.FromBytes(bytes) };
        batch[5] = batch[5] with { Commitments = [batch[3].Commitments[0]] };
        Assert.False(RangeProofBatch.Verify(Gens, PedersenGens.Default, batch, out var bad));
        Assert.Equal(new[] { 1, 4, 5 }, bad);
    }

    [Fact]
    public void StructurallyInvalidProof_IsNamedToo()
    {
        var batch = MixedBatch();
        var bytes = batch[2].Proof.ToBytes();
        Array.Clear(bytes, 0, 32);                                  // A = identity
        batch[2] = batch[2] with { Proof = RangeProof.FromBytes(bytes) };
        Assert.False(RangeProofBatch.Verify(Gens, PedersenGens.Default, batch, out var bad));
        Assert.Equal(new[] { 2 }, bad);
    }

    [Fact]
    public void AStatementList_CanBeVerifiedTwice()
    {
        var batch = MixedBatch();
        Assert.True(RangeProofBatch.Verify(Gens, PedersenGens.Default, batch, out _));
        Assert.True(RangeProofBatch.Verify(Gens, PedersenGens.Default, batch, out _));
    }

    [Fact]
    public void EmptyBatch_IsTriviallyValid() => Assert.True(RangeProofBatch.Verify(Gens, PedersenGens.Default, [], out _));
}
