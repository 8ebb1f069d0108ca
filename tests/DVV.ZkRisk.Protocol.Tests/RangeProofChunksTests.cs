using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The epoch verifier's chunked range-proof batches: same verdicts as one batch, bad proofs named by their index across chunks.</summary>
public class RangeProofChunksTests
{
    private static List<RangeProofStatement> Statements(int count)
    {
        var list = new List<RangeProofStatement>();
        for (int i = 0; i < count; i++)
        {
            var label = $"chunk-test {i}";
            var proof = RangeProof.ProveMultiple(RangeProofChunks.Gens, PedersenGens.Default, new Transcript(label),
                [(ulong)(i * 7 % 256), (ulong)(i * 13 % 256)], [Scalar.Random(), Scalar.Random()], 8, out var commitments);
            list.Add(new RangeProofStatement(proof, label, commitments, 8));
        }
        return list;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(512)]
    public void Chunks_AcceptValidAndNameBadAcrossChunks(int chunkSize)
    {
        var statements = Statements(10);
        Assert.True(RangeProofChunks.Verify(statements, out var none, chunkSize));
        Assert.Empty(none);
        // statement 4: a commitment from another statement; statement 8: a wrong bit size
        statements[4] = statements[4] with { Commitments = [statements[5].Commitments[0], statements[4].Commitments[1]] };
        statements[8] = statements[8] with { BitSize = 16 };
        var progress = new List<int>();
        Assert.False(RangeProofChunks.Verify(statements, out var bad, chunkSize, new SyncProgress(progress)));
        Assert.Equal(new[] { 4, 8 }, bad);
        Assert.Equal(10, progress[^1]);
    }

    [Fact]
    public void Exposure_and_indicator_proofs_verify_on_their_own_generators_and_mixed_batches_name_the_bad_one()
    {
        // proofs made on one large (64, 128) instance verify on the split instances: each party's chain starts the same
        var big = new BulletproofGens(64, 128);
        var ind = RangeProof.ProveMultiple(big, PedersenGens.Default, new Transcript("ind"), Enumerable.Range(0, 128).Select(i => (ulong)(i % 2)).ToArray(),
            Enumerable.Range(0, 128).Select(_ => Scalar.Random()).ToArray(), 8, out var indC);
        var exp = RangeProof.ProveMultiple(big, PedersenGens.Default, new Transcript("exp"), Enumerable.Range(0, 64).Select(i => (ulong)i * 1_000_003).ToArray(),
            Enumerable.Range(0, 64).Select(_ => Scalar.Random()).ToArray(), 64, out var expC);
        Assert.Same(RangeProofChunks.IndicatorGens, RangeProofChunks.For(8));
        Assert.Same(RangeProofChunks.Gens, RangeProofChunks.For(64));
        var mixed = new List<RangeProofStatement>
        {
            new(exp, "exp", expC, 64), new(ind, "ind", indC, 8), new(exp, "exp", expC, 64), new(ind, "ind", [.. indC[1..], indC[0]], 8),
        };
        Assert.False(RangeProofChunks.Verify(mixed, out var bad, 512));
        Assert.Equal(new[] { 3 }, bad);   // the index in the caller's list, whichever generator pass found it
        mixed.RemoveAt(3);
        Assert.True(RangeProofChunks.Verify(mixed, out _, 512));
    }

    private sealed class SyncProgress(List<int> seen) : IProgress<int> { public void Report(int value) => seen.Add(value); }
}
