using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;

using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The one chain fold (audit, verifier attest, committee verifier, the venue's restart).</summary>
[Collection("epochs")]
public sealed class ChainFoldTests(EpochFixture fx)
{
    [Fact]
    public void Carries_only_verified_state_and_collects_what_was_trusted_once()
    {
        var fold = new ChainFold(fx.Verifier);
        Assert.True(fold.Add(fx.E1.Bundle).IsValid);
        Assert.Equal(1UL, fold.State!.Epoch);
        Assert.Empty(fold.Trusted);   // genesis with the governance pinned: nothing taken on trust

        // a tampered epoch 2 is refused and its state is not carried on
        var bad = fx.E2.Bundle.Message();
        bad.Aggregates[0].Value += 1;
        Assert.False(fold.Add(bad.Rehash().Record()).IsValid);
        Assert.Null(fold.State);
        // so even the honest epoch 2 now lacks its parent: an incremental bundle cannot be checked without it
        var honest = fold.Add(fx.E2.Bundle);
        Assert.Contains(honest.Findings, f => f.Check == "chain_link");

        // without a pinned governance the fold says so, once, however many bundles it folds
        var unpinned = new ChainFold(new BundleVerifier(fx.Statements));
        Assert.True(unpinned.Add(fx.E1.Bundle).IsValid);
        int trusted = unpinned.Trusted.Count;
        Assert.True(trusted > 0);
        Assert.True(unpinned.Add(fx.E2.Bundle).IsValid);
        Assert.Equal(2UL, unpinned.State!.Epoch);
        Assert.Equal(unpinned.Trusted.Distinct().Count(), unpinned.Trusted.Count);
    }
}
