using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Merkle;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;

namespace DVV.ZkRisk.Protocol.Tests;

[Collection("epochs")]
public sealed class SealVerifyTests(EpochFixture fx)
{
    private static string Describe(VerificationResult r) => string.Join("\n", r.Findings);

    [Fact]
    public void Checkpoint_and_incremental_bundles_verify()
    {
        Assert.True(fx.V1.IsValid, Describe(fx.V1));
        Assert.True(fx.V2.IsValid, Describe(fx.V2));
        Assert.True(fx.E1.Bundle.Checkpoint);
        Assert.False(fx.E2.Bundle.Checkpoint);
        Assert.Equal(EpochFixture.Traders, fx.E1.Bundle.Submissions.Count);
        Assert.Equal(2, fx.E2.Bundle.Submissions.Count);
        Assert.Equal(fx.E1.Bundle.BundleHash.ToArray(), fx.E2.Bundle.PreviousBundleHash.ToArray());
        Assert.Equal(EpochFixture.Traders, fx.V2.State!.Count);
        Assert.NotNull(fx.V2.Verified);
        Assert.Equal(EpochFixture.Traders, fx.V1.Counts["signatures"]);
        Assert.Equal(3 * EpochFixture.Traders, fx.V1.Counts["range_proofs"]);   // exposure, indicator and collateral proof per submission
        Assert.Equal(EpochFixture.Traders, fx.V1.Counts["flag_proofs"]);        // a checkpoint proves every trader's flags
        Assert.Equal(fx.E2.Bundle.Selections.Select(s => Convert.ToHexStringLower(s.TraderPublicKey.Span)).Distinct().Count(), fx.V2.Counts["flag_proofs"]);   // and an incremental bundle every re-issued one's
    }

    [Fact]
    public void Incremental_bundle_reissues_new_submissions_plus_a_cover_set()
    {
        int shocks = 12;
        var reissued = fx.E2.Bundle.Selections.Select(s => s.TraderPublicKey).Distinct().Count();
        Assert.Equal(reissued * shocks, fx.E2.Bundle.Selections.Count);
        Assert.True(reissued >= 2 + 2, $"{reissued} re-issued");   // 2 new + k_cover 2 (+ any whose flags changed)
        Assert.True(fx.E2.Cover >= 2);
        Assert.True(fx.E2.BundleBytes < fx.E1.BundleBytes);
    }

    [Fact]
    public void Proven_aggregates_equal_the_plaintext_sums_and_respect_k_min()
    {
        var v = fx.V2.Verified!;
        int bands = 32, shocks = 12;
        var lsv = new ulong[shocks, bands];
        var n = new int[shocks, bands];
        var s = new ulong[bands];
        foreach (var t in fx.Population)
        {
            var sec = fx.Sealer.Secrets(t.Key.PublicKey.ToBytes())!;
            for (int b = 0; b < bands; b++)
            {
                s[b] += sec.ShortValues[b];
                for (int k = 0; k < shocks; k++)
                    if (sec.Flags[k] && sec.ShortValues[b] > 0) { lsv[k, b] += sec.ShortValues[b]; n[k, b]++; }
            }
        }
        bool anyFlag = false, anyWithheld = false;
        for (int k = 0; k < shocks; k++)
            for (int b = 0; b < bands; b++)
            {
                Assert.Equal(n[k, b], v.Aggregates.Contributors(k, b));
                bool published = n[k, b] == 0 || n[k, b] >= 3;
                Assert.Equal(published, v.Aggregates.IsPublished(k, b));
                if (published) Assert.Equal(lsv[k, b], v.Aggregates.Lsv(k, b));
                anyFlag |= n[k, b] > 0; anyWithheld |= !published;
            }
        Assert.True(anyFlag, "the demo population should have liquidations under some shock");
        for (int b = 0; b < bands; b++)
            if (v.ShortContributors[b] == 0 || v.ShortContributors[b] >= 3) Assert.Equal(s[b], v.ShortOpenInterest[b]);
    }

    [Fact]
    public void Every_trader_has_an_inclusion_proof_and_selection_openings_open()
    {
        var state = fx.V2.State!;
        var root = fx.E2.Bundle.MerkleRoot.ToArray();
        foreach (var t in fx.Population)
        {
            var inc = state.Inclusion(t.Key.PublicKey.ToBytes());
            Assert.NotNull(inc);
            Assert.True(MerkleTree.Verify(root, inc!.Value.Leaf, inc.Value.Proof));
            var rt = MerkleInclusionProof.FromBytes(inc.Value.Proof.ToBytes());
            Assert.True(MerkleTree.Verify(root, inc.Value.Leaf, rt));
            Assert.True(state.TryGet(t.Key.PublicKey.ToBytes(), out var st));
            var sec = fx.Sealer.Secrets(t.Key.PublicKey.ToBytes())!;
            for (int s = 0; s < 12; s++)
                for (int b = 0; b < 32; b += 7)
                {
                    var (val, r) = sec.SelectedPointOpening(s, b);
                    Assert.Equal(st!.Selected![s][b], PedersenGens.Default.Commit(val, r));
                }
        }
    }

    [Fact]
    public void Merkle_tree_proves_every_leaf_for_every_size_and_refuses_others()
    {
        for (int n = 1; n <= 17; n++)
        {
            var leaves = Enumerable.Range(0, n).Select(i => new[] { (byte)i, (byte)n }).ToList();
            var t = new MerkleTree(leaves);
            for (int i = 0; i < n; i++)
            {
                var p = t.Prove(i);
                Assert.True(MerkleTree.Verify(t.Root, leaves[i], p), $"n={n} i={i}");
                Assert.False(MerkleTree.Verify(t.Root, [0xff, 0xff], p));
                if (n > 1) Assert.False(MerkleTree.Verify(t.Root, leaves[(i + 1) % n], p));
            }
        }
    }

    [Fact]
    public void Selection_parts_proven_ahead_of_the_seal_are_reused_and_the_bundle_verifies()
    {
        var keys = fx.Population.Select(t => t.KeyHex).ToList();
        SealInput Input(BuiltSubmission b) => new(b.Submission, b.Opening, b.Digest);
        // traders 0, 1 and 2 join in epoch 2: three newcomers, k_min = 3 of them at a time
        var t2 = fx.Population[2];
        var third = new TraderSdk(ProofSystems.Default).Build(EpochFixture.Info(2, fx.P2), t2.Key, t2.BookJson, fx.Admit(t2));
        var joining = new[] { fx.Built[keys[0]], fx.Built[keys[1]], third };
        var sealer = new EpochSealer(fx.Statements);
        var e1 = sealer.Seal(1, fx.P1, keys.Skip(3).Select(k => Input(fx.Built1[k])).ToList(), 10, EpochFixture.Seed(1));
        Assert.Equal(0, e1.PreIssuedUsed);
        // epoch 2 opens: re-issues of flag changes and the cover set are proven now, each new submission on arrival
        sealer.Prepare(2, fx.P2, EpochFixture.Seed(2));
        foreach (var b in joining) sealer.PreIssue(2, fx.P2, Input(b));
        var e2 = sealer.Seal(2, fx.P2, joining.Select(Input).ToList(), 20, EpochFixture.Seed(2));
        Assert.Empty(sealer.LastDeferred);
        Assert.True(e2.PreIssuedUsed >= joining.Length + 2);   // the newcomers and the k_cover cover set (the power-of-two filler may be proven at the seal)
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        var v2 = fx.Verifier.Verify(e2.Bundle, v1.State);
        Assert.True(v1.IsValid && v2.IsValid, string.Join("\n", v1.Findings.Concat(v2.Findings)));
        // a pre-issue for a submission that is not the one sealed is not used
        var sealer2 = new EpochSealer(fx.Statements);
        var e1b = sealer2.Seal(1, fx.P1, keys.Skip(3).Select(k => Input(fx.Built1[k])).ToList(), 10, EpochFixture.Seed(1));
        sealer2.PreIssue(2, fx.P2, Input(fx.Built1[keys[0]]));
        var e2b = sealer2.Seal(2, fx.P2, joining.Select(Input).ToList(), 20, EpochFixture.Seed(2));
        Assert.DoesNotContain(e2b.Bundle.Selections, x => x.TraderPublicKey.Span.SequenceEqual(fx.Built1[keys[0]].Submission.TraderPublicKey.Span) && x.IssuedEpoch != 2);
        var r = fx.Verifier.Verify(e2b.Bundle, fx.Verifier.Verify(e1b.Bundle, null).State);
        Assert.True(r.IsValid, string.Join("\n", r.Findings));
    }

    [Fact]
    public void Fewer_than_k_min_newcomers_in_an_incremental_epoch_are_deferred_and_a_bundle_admitting_them_is_refused()
    {
        var keys = fx.Population.Select(t => t.KeyHex).ToList();
        SealInput Input(BuiltSubmission b) => new(b.Submission, b.Opening, b.Digest);
        var sealer = new EpochSealer(fx.Statements);
        var e1 = sealer.Seal(1, fx.P1, keys.Skip(1).Select(k => Input(fx.Built1[k])).ToList(), 10, EpochFixture.Seed(1));
        var e2 = sealer.Seal(2, fx.P2, [Input(fx.Built[keys[0]])], 20, EpochFixture.Seed(2));   // one newcomer, k_min 3
        Assert.Equal([keys[0]], sealer.LastDeferred);
        Assert.Equal((uint)(EpochFixture.Traders - 1), e2.Bundle.TraderCount);
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        Assert.True(fx.Verifier.Verify(e2.Bundle, v1.State).IsValid);
        // a venue that admits the lone newcomer anyway
        var m = new EpochSealer(fx.Statements);
        var m1 = m.Seal(1, fx.P1, keys.Skip(1).Select(k => Input(fx.Built1[k])).ToList(), 10, EpochFixture.Seed(1));
        var forced = m.Seal(2, fx.P2, [Input(fx.Built[keys[0]])], 20, EpochFixture.Seed(2), forceCheckpoint: true).Bundle;
        forced = (forced with { Checkpoint = false, CheckpointEpoch = 1 }).Rehashed();
        var r = fx.Verifier.Verify(forced, fx.Verifier.Verify(m1.Bundle, null).State);
        Assert.Contains(r.Findings, x => x.Check == "privacy" && x.Message.Contains("newcomer"));
    }

    [Fact]
    public void The_reissued_carried_set_is_a_power_of_two_and_another_size_is_named()
    {
        int carried = fx.E2.Bundle.Selections.Select(x => x.TraderPublicKey).Distinct().Count() - fx.E2.Bundle.Submissions.Count;
        Assert.Equal(EpochSealer.ReissueTarget(carried, EpochFixture.Traders - 2), carried);
        Assert.Equal(8, EpochSealer.ReissueTarget(5, 100));
        Assert.Equal(7, EpochSealer.ReissueTarget(5, 7));
        Assert.Equal(0, EpochSealer.ReissueTarget(0, 7));
        Assert.Equal(1, EpochSealer.ReissueTarget(1, 7));
    }

    [Fact]
    public void A_non_checkpoint_bundle_without_its_parent_is_refused()
    {
        var r = fx.Verifier.Verify(fx.E2.Bundle, null);
        Assert.False(r.IsValid);
        Assert.Contains(r.Findings, f => f.Check == "chain_link");
    }
}
