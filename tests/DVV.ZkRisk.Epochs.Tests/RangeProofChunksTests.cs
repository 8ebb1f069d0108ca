using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Epochs.Verification;

namespace DVV.ZkRisk.Epochs.Tests;

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

    private sealed class SyncProgress(List<int> seen) : IProgress<int> { public void Report(int value) => seen.Add(value); }
}
