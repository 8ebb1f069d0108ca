using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>A submission's range proof is bound to epoch, parameter hash, trader key and statement hash: changing any one fails it.</summary>
public class RangeBindingTests
{
    [Fact]
    public void RangeProof_FailsUnderAnotherEpochParameterTraderOrStatementHash()
    {
        var ps = ProofSystems.Default;
        var values = new ulong[] { 5, 0, 65535, 42 };
        var blindings = values.Select(_ => DVV.ZkRisk.Crypto.Scalar.Random().ToBytes()).ToList();
        var commitments = values.Select((v, i) => ps.Commit(v, blindings[i])).ToList();
        var ctx = new RangeProofContext(3, Enumerable.Repeat((byte)7, 32).ToArray(), Enumerable.Repeat((byte)9, 32).ToArray(), StatementSet.Default.CombinedHash);
        var proof = ps.ProveRange(ctx, values, blindings, 16);
        Assert.True(ps.VerifyRange(ctx, commitments, proof, 16));
        Assert.False(ps.VerifyRange(ctx with { Epoch = 4 }, commitments, proof, 16));
        Assert.False(ps.VerifyRange(ctx with { ParameterHash = new byte[32] }, commitments, proof, 16));
        Assert.False(ps.VerifyRange(ctx with { TraderPublicKey = new byte[32] }, commitments, proof, 16));
        Assert.False(ps.VerifyRange(ctx with { StatementHash = new byte[32] }, commitments, proof, 16));
    }

    [Fact]
    public void CombinedHashOfThePublishedDefinitions_EqualsTheFilesOwn()
        => Assert.Equal(StatementSet.Default.CombinedHash, StatementSet.CombinedHashOf(StatementSet.Default.Wire));
}
