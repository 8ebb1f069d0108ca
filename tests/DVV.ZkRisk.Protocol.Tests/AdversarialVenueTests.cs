using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;
using DVV.ZkRisk.Cli.Demo;

using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Issue 17: each attack built the way a malicious venue would build it, with the venue's own sealer (every proof in the
/// bundle is real and verifies) and only the fields the venue controls changed, re-hashed. The verifier and the audit
/// (EpochAudit over the bundle files) must refuse each with a named finding; each has an honest control that passes.
/// </summary>
[Collection("epochs")]
public sealed class AdversarialVenueTests(EpochFixture fx)
{
    private List<string> Keys => fx.Population.Select(t => t.KeyHex).ToList();
    private static SealInput In(BuiltSubmission b) => new(b.Submission, b.Opening, b.Digest);
    private static V1.EpochBundle Rehash(V1.EpochBundle b) => b.Rehash();
    private static string Short(string hex) => hex[..16];

    private EpochParameters P3 => fx.Params(3, 96_000);

    /// <summary>An honest replay of the fixture's chain with a fresh sealer (epochs 1 and 2), verified.</summary>
    private (EpochSealer Sealer, VerificationResult V1, VerificationResult V2) HonestChain(bool malicious = false)
    {
        var m = new EpochSealer(fx.Statements) { PlayMaliciousVenue = malicious };
        var e1 = m.Seal(1, fx.P1, Keys.Select(k => In(fx.Built1[k])).ToList(), 1000, EpochFixture.Seed(1));
        var e2 = m.Seal(2, fx.P2, Keys.Take(2).Select(k => In(fx.Built[k])).ToList(), 2000, EpochFixture.Seed(2));
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        var v2 = fx.Verifier.Verify(e2.Bundle, v1.State);
        Assert.True(v1.IsValid && v2.IsValid, string.Join("\n", v1.Findings.Concat(v2.Findings)));
        return (m, v1, v2);
    }

    private static void AssertFinding(VerificationResult r, string check, string? contains = null) => VenueAttackChecks.AssertFinding(r, check, contains);
    private AuditReport Audit(params EpochBundle[] chain) => VenueAttackChecks.Audit(fx, chain);
    private static void AssertAuditNames(AuditReport r, string check) => VenueAttackChecks.AssertAuditNames(r, check);

    // ---- item 1: a checkpoint must equal the parent state folded with this epoch's changes ----

    [Fact]
    public void Checkpoint_that_drops_a_live_trader_and_carries_a_superseded_submission_is_refused()
    {
        var keys = Keys;
        // the venue's sealer state forgets trader 5 and never took trader 0's epoch-2 replacement
        var m = new EpochSealer(fx.Statements);
        m.Seal(1, fx.P1, keys.Where(k => k != keys[5]).Select(k => In(fx.Built1[k])).ToList(), 1000, EpochFixture.Seed(1));
        m.Seal(2, fx.P2, [In(fx.Built[keys[1]])], 2000, EpochFixture.Seed(2));
        var forged = m.Seal(3, P3, [], 3000, EpochFixture.Seed(3), forceCheckpoint: true).Bundle;
        Assert.True(forged.Checkpoint);
        forged = (forged with { PreviousBundleHash = fx.E2.Bundle.BundleHash }).Rehashed();   // linked to the honest chain

        var r = fx.Verifier.Verify(forged, fx.V2.State);
        AssertFinding(r, "fold", Short(keys[5]));             // dropped
        AssertFinding(r, "fold", "signed for epoch 1");       // trader 0's superseded submission carried
        AssertAuditNames(Audit(fx.E1.Bundle, fx.E2.Bundle, forged), "fold");

        // the checkpoint was only internally consistent: without its parent it verifies (and says what it trusted)
        var alone = fx.Verifier.Verify(forged, null);
        Assert.True(alone.IsValid, string.Join("\n", alone.Findings));
        Assert.Contains(alone.Trusted, t => t.Contains("carried state"));
    }

    [Fact]
    public void Honest_checkpoint_after_an_incremental_epoch_folds_from_its_parent()
    {
        var (m, _, v2) = HonestChain();
        var cp = m.Seal(3, P3, [], 3000, EpochFixture.Seed(3), forceCheckpoint: true);
        var r = fx.Verifier.Verify(cp.Bundle, v2.State);
        Assert.True(r.IsValid, string.Join("\n", r.Findings));
        Assert.Empty(r.Trusted);
        Assert.Equal(EpochFixture.Traders, r.State!.Count);
    }

    // ---- item 2: no superseded submission can come back ----

    [Fact]
    public void Incremental_bundle_that_replays_a_superseded_submission_is_refused()
    {
        var keys = Keys;
        var (m, v1, v2) = HonestChain(malicious: true);
        // epoch 3: the venue re-introduces trader 0's epoch-1 submission (public in bundle 1, validly signed)
        var replay = m.Seal(3, P3, [In(fx.Built1[keys[0]])], 3000, EpochFixture.Seed(3)).Bundle;
        Assert.False(replay.Checkpoint);
        Assert.Single(replay.Submissions);
        var r = fx.Verifier.Verify(replay, v2.State);
        AssertFinding(r, "fold", "signed for epoch 1");
        AssertAuditNames(Audit(v1.Bundle, v2.Bundle, replay), "fold");

        // the same trader's fresh submission for epoch 3 is accepted
        var info3 = EpochFixture.Info(3, P3);
        var fresh = new TraderSdk(ProofSystems.Default).Build(info3, fx.Population[0].Key, fx.Population[0].BookJson, fx.Admit(fx.Population[0]));
        var (h, _, hv2) = HonestChain();
        var ok = fx.Verifier.Verify(h.Seal(3, P3, [In(fresh)], 3000, EpochFixture.Seed(3)).Bundle, hv2.State);
        Assert.True(ok.IsValid, string.Join("\n", ok.Findings));
    }

    [Fact]
    public void Incremental_bundle_that_repeats_the_live_submission_is_refused()
    {
        var b = fx.E2.Bundle.Message();
        b.Submissions.Add(fx.Built[Keys[4]].Submission.Message());   // trader 4's live epoch-1 submission, listed again as if new
        AssertFinding(fx.Verifier.Verify(Rehash(b), fx.V1.State), "fold", "repeats the live submission");
    }

    // ---- item 4: governance pinned at genesis, changed only by the quorum in force ----

    [Fact]
    public void Parameter_set_signed_by_another_key_mid_chain_is_refused()
    {
        var (m, v1, v2) = HonestChain();
        // the venue lowers k_min and k_cover and signs the set with a governance of its own
        var rogue = EpochAuthorities.Development("rogue venue");
        var lowered = EpochFixture.Risk with { KMin = 1, KCover = 0 };
        var p3 = Parameters.Seal(Parameters.Create(lowered, new DVV.ZkRisk.Risk.MarketSnapshot(EpochFixture.T0.AddMinutes(3), 96_000,
            DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000), rangeBits: 16, checkpointInterval: 8), rogue, EpochFixture.Seed(3));
        var b3 = m.Seal(3, p3, [], 3000, EpochFixture.Seed(3)).Bundle;
        var r = fx.Verifier.Verify(b3, v2.State);
        AssertFinding(r, "governance", "does not verify");
        AssertAuditNames(Audit(v1.Bundle, v2.Bundle, b3), "governance");

        // one signature of the two the 2-of-3 quorum needs is not enough either
        var half = fx.Params(3, 96_000);
        half = half with { GovernanceSignatures = [half.GovernanceSignatures[0]], CoverSeedCommitment = CoverSet.Commitment(EpochFixture.Seed(3)) };
        var (m2, _, w2) = HonestChain();
        AssertFinding(fx.Verifier.Verify(m2.Seal(3, half, [], 3000, EpochFixture.Seed(3)).Bundle, w2.State), "governance", "needs 2");
    }

    [Fact]
    public void A_chain_whose_first_bundle_declares_another_governance_fails_against_the_pinned_root()
    {
        var rogue = EpochAuthorities.Development("rogue venue");
        var p1 = Parameters.Seal(Parameters.Create(EpochFixture.Risk, new DVV.ZkRisk.Risk.MarketSnapshot(EpochFixture.T0.AddMinutes(1), 100_000,
            DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000), rangeBits: 16, checkpointInterval: 8), rogue, EpochFixture.Seed(1));
        var info = EpochFixture.Info(1, p1);
        var sdk = new TraderSdk(ProofSystems.Default);
        var t = fx.Population[2];
        var b = sdk.Build(info, t.Key, t.BookJson, rogue.Admit(t.Key.PublicKey.ToBytes()));
        var bundle = new EpochSealer(fx.Statements).Seal(1, p1, [In(b)], 1, EpochFixture.Seed(1)).Bundle;
        AssertFinding(fx.Verifier.Verify(bundle, null), "governance", "pinned governance");
        // without a pin the same bundle verifies, and the result says the governance was taken on trust
        var unpinned = new BundleVerifier(fx.Statements).Verify(bundle, null);
        Assert.True(unpinned.IsValid, string.Join("\n", unpinned.Findings));
        Assert.Contains(unpinned.Trusted, x => x.Contains("no pinned governance root"));
    }

    [Fact]
    public void Governance_hand_over_needs_the_old_quorum_and_binds_the_next_epoch_to_the_new_committee()
    {
        var (m, _, v2) = HonestChain();
        var next = EpochAuthorities.Development("next committee");
        var market = (ulong e) => new DVV.ZkRisk.Risk.MarketSnapshot(EpochFixture.T0.AddMinutes(e), 96_000, DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000);
        var p3 = Parameters.WithCoverSeed(fx.Authorities.HandOver(Parameters.Create(EpochFixture.Risk, market(3), rangeBits: 16, checkpointInterval: 8), next), EpochFixture.Seed(3));
        var v3 = fx.Verifier.Verify(m.Seal(3, p3, [], 3000, EpochFixture.Seed(3)).Bundle, v2.State);
        Assert.True(v3.IsValid, string.Join("\n", v3.Findings));

        // epoch 4: signed by the new committee it is accepted; signed by the old one (now out of office) refused
        var b4 = m.Seal(4, Parameters.Seal(Parameters.Create(EpochFixture.Risk, market(4), rangeBits: 16, checkpointInterval: 8), next, EpochFixture.Seed(4)),
            [], 4000, EpochFixture.Seed(4)).Bundle;
        var v4 = fx.Verifier.Verify(b4, v3.State);
        Assert.True(v4.IsValid, string.Join("\n", v4.Findings));
        var (m5, _, w2) = HonestChain();
        var w3 = fx.Verifier.Verify(m5.Seal(3, p3, [], 3000, EpochFixture.Seed(3)).Bundle, w2.State);
        var stale = fx.Authorities.HandOver(Parameters.Create(EpochFixture.Risk, market(4), rangeBits: 16, checkpointInterval: 8), next);   // old quorum, new fields
        var wrong4 = m5.Seal(4, Parameters.WithCoverSeed(stale, EpochFixture.Seed(4)), [], 4000, EpochFixture.Seed(4)).Bundle;
        AssertFinding(fx.Verifier.Verify(wrong4, w3.State), "governance", "does not verify");
    }

    // ---- item 6: only admitted trader keys are counted ----

    [Fact]
    public void Sock_puppet_without_an_authority_admission_is_refused()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = EpochFixture.Info(1, fx.P1);
        var victim = fx.Population[3];
        // the venue submits the victim's book again under keys of its own: self-admitted, and not admitted at all
        var puppet = Ed25519PrivateKey.Generate();
        var selfAdmitted = sdk.Build(info, puppet, victim.BookJson, Admissions.Issue(puppet, puppet.PublicKey.ToBytes(), EpochFixture.T0));
        var other = Ed25519PrivateKey.Generate();
        var unadmitted = sdk.Build(info, other, victim.BookJson, null);
        var borrowed = sdk.Build(info, Ed25519PrivateKey.Generate(), victim.BookJson, fx.Admit(victim));   // another trader's admission
        foreach (var (sub, reason) in new[] { (selfAdmitted, "not one of the parameter set's onboarding authorities"), (unadmitted, "missing"), (borrowed, "another trader key") })
        {
            var bundle = new EpochSealer(fx.Statements).Seal(1, fx.P1, Keys.Select(k => In(fx.Built1[k])).Append(In(sub)).ToList(), 1, EpochFixture.Seed(1)).Bundle;
            AssertFinding(fx.Verifier.Verify(bundle, null), "admission", reason);
            AssertAuditNames(Audit(bundle), "admission");
        }
    }

    // ---- item 11: the cover set is derived from the committed seed ----

    [Fact]
    public void Cover_set_is_the_derived_one_and_a_wrong_seed_or_a_missing_cover_trader_is_named()
    {
        var b = fx.E2.Bundle;
        var changed = b.Submissions.Select(s => Convert.ToHexStringLower(s.TraderPublicKey.Span)).ToHashSet();
        var cover = CoverSet.Derive(b.CoverSeed.Span, 2, fx.V1.State!.Traders.Select(t => t.Hex).Where(h => !changed.Contains(h)), EpochFixture.Risk.KCover);
        Assert.Equal(EpochFixture.Risk.KCover, cover.Count);
        var reissued = b.Selections.Select(s => Convert.ToHexStringLower(s.TraderPublicKey.Span)).ToHashSet();
        Assert.All(cover, h => Assert.Contains(h, reissued));

        var wrongSeed = b.Message();
        wrongSeed.CoverSeed = ByteString.CopyFrom(new byte[32]);
        AssertFinding(fx.Verifier.Verify(Rehash(wrongSeed), fx.V1.State), "cover", "cover-seed commitment");

        var dropped = b.Message();
        var victim = cover[0];
        var keep = dropped.Selections.Where(s => Convert.ToHexStringLower(s.TraderPublicKey.Span) != victim).ToList();
        dropped.Selections.Clear(); dropped.Selections.Add(keep);
        AssertFinding(fx.Verifier.Verify(Rehash(dropped), fx.V1.State), "cover", Short(victim));

        // the sealer refuses a seed its parameter set did not commit to
        Assert.Throws<InvalidOperationException>(() => new EpochSealer(fx.Statements).Seal(1, fx.P1, [], 1, new byte[32]));
    }

    // ---- item 7: expiry is a rule, and one trader's data never stops a seal ----

    private static byte[] ShortPutBook(DateTimeOffset expiry) => System.Text.Encoding.UTF8.GetBytes(
        $"{{\"account\":\"t\",\"collateralUsd\":50000,\"positions\":[{{\"instrument\":\"option\",\"type\":\"put\",\"strike\":95000,\"expiry\":\"{expiry:O}\",\"size\":-0.5}}]}}");

    [Fact]
    public void A_submission_whose_option_expires_leaves_the_state_by_the_expiry_rule_and_the_seal_goes_on()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var shortLived = Ed25519PrivateKey.Generate();
        var book = ShortPutBook(EpochFixture.T0.AddMinutes(2.5));   // alive at epochs 1 and 2, expired at epoch 3
        var b1 = sdk.Build(EpochFixture.Info(1, fx.P1), shortLived, book, fx.Authorities.Admit(shortLived.PublicKey.ToBytes()));
        Assert.Equal(EpochFixture.T0.AddMinutes(2.5).ToUnixTimeMilliseconds(), b1.Submission.ValidUntilUnixMs);
        var m = new EpochSealer(fx.Statements);
        var e1 = m.Seal(1, fx.P1, Keys.Select(k => In(fx.Built1[k])).Append(In(b1)).ToList(), 1, EpochFixture.Seed(1));
        var e2 = m.Seal(2, fx.P2, [], 2, EpochFixture.Seed(2));
        var e3 = m.Seal(3, P3, [], 3, EpochFixture.Seed(3));       // used to throw: the book's option had expired
        Assert.Equal([Convert.ToHexStringLower(shortLived.PublicKey.ToBytes())], e3.Bundle.ExpiredTraders.Select(x => Convert.ToHexStringLower(x.Span)));
        Assert.Equal((uint)EpochFixture.Traders, e3.Bundle.TraderCount);
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        var v2 = fx.Verifier.Verify(e2.Bundle, v1.State);
        var v3 = fx.Verifier.Verify(e3.Bundle, v2.State);
        Assert.True(v1.IsValid && v2.IsValid && v3.IsValid, string.Join("\n", v1.Findings.Concat(v2.Findings).Concat(v3.Findings)));
        Assert.False(v3.State!.TryGet(shortLived.PublicKey.ToBytes(), out _));

        // the venue may not hide an expiry (keep the trader) nor invent one (drop a live trader)
        var kept = e3.Bundle.Message(); kept.ExpiredTraders.Clear();
        AssertFinding(fx.Verifier.Verify(Rehash(kept), v2.State), "expiry");
        var invented = e3.Bundle.Message(); invented.ExpiredTraders.Add(ByteString.CopyFrom(fx.Population[4].Key.PublicKey.ToBytes()));
        AssertFinding(fx.Verifier.Verify(Rehash(invented), v2.State), "expiry");
    }

    [Fact]
    public void A_book_the_risk_engine_cannot_value_is_flagged_everywhere_by_rule_and_named_not_fatal()
    {
        // only a malicious (or broken) venue lets such a book in: its option has expired at epoch 2's valuation time
        var sdk = new TraderSdk(ProofSystems.Default);
        var k = Ed25519PrivateKey.Generate();
        var b = sdk.Build(EpochFixture.Info(1, fx.P1), k, ShortPutBook(EpochFixture.T0.AddMinutes(1.5)), fx.Authorities.Admit(k.PublicKey.ToBytes()));
        var m = new EpochSealer(fx.Statements) { PlayMaliciousVenue = true };
        var e1 = m.Seal(1, fx.P1, Keys.Select(x => In(fx.Built1[x])).ToList(), 1, EpochFixture.Seed(1));
        var e2 = m.Seal(2, fx.P2, [In(b)], 2, EpochFixture.Seed(2), forceCheckpoint: true);   // the seal does not throw
        string hex = Convert.ToHexStringLower(k.PublicKey.ToBytes());
        Assert.Equal([hex], m.LastUnvalued);
        Assert.True(m.Secrets(k.PublicKey.ToBytes())!.Flags.Count == EpochFixture.Risk.ShockCount);   // flagged in every shock
        // and the verifier names what is wrong with the bundle: a submission signed for another epoch, and expired
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        var r = fx.Verifier.Verify(e2.Bundle, v1.State);
        AssertFinding(r, "fold", "signed for epoch 1");
        AssertFinding(r, "expiry", Short(hex));
    }

    /// <summary>Epoch 1 admits the nine fixture traders and one whose signed submission never expires (valid_until 0, which
    /// the gateway would refuse) but whose put expires before epoch 2's valuation: at epoch 2 the book cannot be valued.
    /// Parameters pin a venue signing key so notices can be checked.</summary>
    private (EpochSealer Sealer, VerificationResult V1, VerificationResult V2, Ed25519PrivateKey Trader, BuiltSubmission Built, Ed25519PrivateKey Venue) UnvaluableChain()
    {
        var venue = Ed25519PrivateKey.Generate();
        EpochParameters P(ulong epoch, double spot)
        {
            var p = Parameters.Create(EpochFixture.Risk, new DVV.ZkRisk.Risk.MarketSnapshot(EpochFixture.T0.AddMinutes(epoch), spot, DemoMarket.SkewedSurface(),
                depthCoins: 20, clearingFundUsd: 20_000_000), rangeBits: 16, checkpointInterval: 8);
            return Parameters.Seal(p with { VenueSigningKey = venue.PublicKey.ToBytes() }, fx.Authorities, EpochFixture.Seed(epoch));
        }
        var p1 = P(1, 100_000); var p2 = P(2, 97_000);
        var info1 = EpochFixture.Info(1, p1);
        var sdk = new TraderSdk(ProofSystems.Default);
        var k = Ed25519PrivateKey.Generate();
        var b = sdk.Build(info1, k, ShortPutBook(EpochFixture.T0.AddMinutes(1.5)), fx.Authorities.Admit(k.PublicKey.ToBytes()));
        // the trader signs "no expiry" for a book that expires
        var (signed, digest) = TraderSdk.Sign(TraderSdk.Seal(info1, b.Submission with { ValidUntilUnixMs = 0 }, b.Opening), k);
        b = b with { Submission = signed, Digest = digest };
        var inputs1 = fx.Population.Select(t => In(sdk.Build(info1, t.Key, t.BookJson, fx.Admit(t)))).Append(In(b)).ToList();
        var m = new EpochSealer(fx.Statements);
        var e1 = m.Seal(1, p1, inputs1, 1000, EpochFixture.Seed(1));
        Assert.Empty(m.LastUnvalued);
        var e2 = m.Seal(2, p2, [], 2000, EpochFixture.Seed(2));   // the seal goes on
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        var v2 = fx.Verifier.Verify(e2.Bundle, v1.State);
        return (m, v1, v2, k, b, venue);
    }

    [Fact]
    public void A_carried_book_that_becomes_unvaluable_is_named_with_conservative_flags_the_bundle_verifies_and_its_notice_says_so()
    {
        var (m, v1, v2, k, b, venue) = UnvaluableChain();
        string hex = Convert.ToHexStringLower(k.PublicKey.ToBytes());
        Assert.True(v1.IsValid && v2.IsValid, string.Join("\n", v1.Findings.Concat(v2.Findings)));
        Assert.Equal([hex], m.LastUnvalued);
        var entry = Assert.Single(v2.Bundle.Unvalued);
        Assert.Equal(hex, Convert.ToHexStringLower(entry.TraderPublicKey.Span));
        Assert.Contains(hex, v2.Verified!.Unvalued);
        Assert.Equal(1, v2.Counts["unvalued"]);

        // notices: every trader gets one (publication does not stop); the unvalued one says so and still pays the buffer
        var signer = new DVV.ZkRisk.Protocol.Publication.VenueSigner(venue);
        v2.State!.TryGet(k.PublicKey.ToBytes(), out var st);
        var sec = m.Secrets(k.PublicKey.ToBytes())!;
        Assert.Equal(EpochFixture.Risk.ShockCount, sec.Flags.Count);
        var notice = DVV.ZkRisk.Protocol.Publication.Notices.Build(v2.Verified, st!, sec, m.Valuation(k.PublicKey.ToBytes()), signer);
        Assert.True(notice.Unvalued);
        Assert.Equal("", notice.InitialMargin);
        Assert.Equal("", notice.TotalMargin);
        Assert.True(double.Parse(notice.Cavb, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.All(notice.LiquidationFlags, Assert.True);
        Assert.Empty(DVV.ZkRisk.Protocol.Publication.Notices.TraderCheck(v2.Verified, k.PublicKey.ToBytes(), b.Opening, notice));
        // a notice that hides the rule, or charges another buffer, is caught by the trader's check
        var hidden = notice with { Unvalued = false }; hidden = hidden with { VenueSignature = venue.Sign(DVV.ZkRisk.Protocol.Publication.Notices.Digest(hidden)) };
        Assert.Contains(DVV.ZkRisk.Protocol.Publication.Notices.TraderCheck(v2.Verified, k.PublicKey.ToBytes(), b.Opening, hidden), p => p.Kind == DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Notice && p.Message.Contains("unvalued"));
        var dearer = notice with { Cavb = "999999999.00" }; dearer = dearer with { VenueSignature = venue.Sign(DVV.ZkRisk.Protocol.Publication.Notices.Digest(dearer)) };
        Assert.Contains(DVV.ZkRisk.Protocol.Publication.Notices.TraderCheck(v2.Verified, k.PublicKey.ToBytes(), b.Opening, dearer), p => p.Kind == DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Margin && p.Message.Contains("cavb"));
        // a valued trader's notice carries its margin and is not marked
        var other = fx.Population[0];
        v2.State.TryGet(other.Key.PublicKey.ToBytes(), out var ost);
        var on = DVV.ZkRisk.Protocol.Publication.Notices.Build(v2.Verified, ost!, m.Secrets(other.Key.PublicKey.ToBytes())!, m.Valuation(other.Key.PublicKey.ToBytes()), signer);
        Assert.False(on.Unvalued);
        Assert.NotEqual("", on.InitialMargin);
    }

    [Fact]
    public void Bundle_that_names_a_valued_trader_unvalued_or_forges_the_blindings_is_refused()
    {
        var (m, v1, v2, k, _, _) = UnvaluableChain();
        Assert.True(v2.IsValid, string.Join("\n", v2.Findings));
        int bands = EpochFixture.Risk.TotalBands, shocks = EpochFixture.Risk.ShockCount;
        // a trader whose parts were issued with some lambda = 0: the venue reveals its true rho, the check must fail
        var valued = fx.Population.Select(t => t.Key.PublicKey.ToBytes()).First(pk => m.Secrets(pk)!.Flags.Count < shocks);
        var named = (v2.Bundle with
        {
            Unvalued = [.. v2.Bundle.Unvalued.Append(ConservativeFlagsRule.Reveal(valued, m.Secrets(valued)!, bands, shocks))
                .OrderBy(u => Convert.ToHexStringLower(u.TraderPublicKey.Span), StringComparer.Ordinal)],
        }).Rehashed();
        var r = fx.Verifier.Verify(named, v1.State, checkRangeProofs: false);
        AssertFinding(r, "unvalued", "lambda = 1");
        AssertAuditNames(Audit(v1.Bundle, named), "unvalued");

        // the unvalued trader with a forged blinding, a non-canonical one, a missing one, and a trader not in the state
        var forged = v2.Bundle.Message();
        forged.Unvalued[0].Rho[3] = ByteString.CopyFrom(DVV.ZkRisk.Crypto.Scalar.Random().ToBytes());
        AssertFinding(fx.Verifier.Verify(Rehash(forged), v1.State, checkRangeProofs: false), "unvalued", "shock 0 band 3");
        var wide = v2.Bundle.Message();
        wide.Unvalued[0].Rho[1] = ByteString.CopyFrom(Enumerable.Repeat((byte)0xff, 32).ToArray());
        AssertFinding(fx.Verifier.Verify(Rehash(wide), v1.State, checkRangeProofs: false), "unvalued", "canonical");
        var shortList = v2.Bundle.Message();
        shortList.Unvalued[0].Rho.RemoveAt(0);
        AssertFinding(fx.Verifier.Verify(Rehash(shortList), v1.State, checkRangeProofs: false), "unvalued", "needs");
        var stranger = v2.Bundle.Message();
        stranger.Unvalued[0].TraderPublicKey = ByteString.CopyFrom(Ed25519PrivateKey.Generate().PublicKey.ToBytes());
        AssertFinding(fx.Verifier.Verify(Rehash(stranger), v1.State, checkRangeProofs: false), "unvalued", "not in the state");
        var twice = v2.Bundle.Message();
        twice.Unvalued.Add(twice.Unvalued[0].Clone());
        AssertFinding(fx.Verifier.Verify(Rehash(twice), v1.State, checkRangeProofs: false), "unvalued", "sorted");
    }

    // ---- items 9 and 10: what an observer of bundles can learn ----

    [Fact]
    public void Bundle_that_publishes_a_sealed_opening_is_refused_and_honest_bundles_carry_only_its_hash()
    {
        Assert.All(fx.E1.Bundle.Submissions, s => { Assert.Null(s.SealedOpening); Assert.Equal(32, s.SealedOpeningHash.Length); });
        var keys = Keys;
        var b = fx.E1.Bundle.Message();
        b.Submissions[3] = fx.Built1[Convert.ToHexStringLower(b.Submissions[3].TraderPublicKey.Span)].Submission.Message();   // box and all
        var r = fx.Verifier.Verify(Rehash(b), null);
        AssertFinding(r, "privacy", "sealed_opening");
        Assert.DoesNotContain(r.Findings, f => f.Check == "signature");   // same signed digest: only the publication is wrong
        AssertAuditNames(Audit(b.Record()), "privacy");
        Assert.NotEmpty(keys);
    }

    [Fact]
    public void Reissued_set_whose_size_tells_how_many_crossed_is_refused()
    {
        // a 25% fall changes some carried traders' band-model flags, so they are re-issued beyond the cover set and the
        // re-issued set is padded to a power of two
        var m = new EpochSealer(fx.Statements);
        var e1 = m.Seal(1, fx.P1, Keys.Select(k => In(fx.Built1[k])).ToList(), 1, EpochFixture.Seed(1));
        var e2 = m.Seal(2, fx.Params(2, 75_000), [], 2, EpochFixture.Seed(2));
        var v1 = fx.Verifier.Verify(e1.Bundle, null);
        Assert.True(fx.Verifier.Verify(e2.Bundle, v1.State).IsValid);
        var b = e2.Bundle.Message();
        var carried = b.Selections.Select(x => Convert.ToHexStringLower(x.TraderPublicKey.Span)).Distinct().ToList();
        var cover = CoverSet.Derive(b.CoverSeed.Span, 2, v1.State!.Traders.Select(t => t.Hex), EpochFixture.Risk.KCover);
        // drop one carried re-issue that is not in the derived cover (and its flag proof): the size is no longer a power of two
        var victim = carried.First(h => !cover.Contains(h));
        var keep = b.Selections.Where(x => Convert.ToHexStringLower(x.TraderPublicKey.Span) != victim).ToList();
        b.Selections.Clear(); b.Selections.Add(keep);
        var proofs = b.FlagProofs.Where(x => Convert.ToHexStringLower(x.TraderPublicKey.Span) != victim).ToList();
        b.FlagProofs.Clear(); b.FlagProofs.Add(proofs);
        var r = fx.Verifier.Verify(Rehash(b), v1.State);
        AssertFinding(r, "privacy", "selections");
        AssertAuditNames(Audit(e1.Bundle, b.Record()), "privacy");
    }

    [Fact]
    public void Sealed_openings_are_padded_to_size_classes_whatever_the_books_size()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = EpochFixture.Info(1, fx.P1);
        var lengths = new HashSet<int>();
        foreach (var positions in new[] { 0, 1, 8, 24 })
        {
            var t = fx.Population[positions % fx.Population.Count];
            var book = SampleBooks.Generate(new Random(positions), 100_000, EpochFixture.T0.AddMinutes(1), Math.Max(1, positions));
            var built = sdk.Build(info, t.Key, book, fx.Admit(t), withRangeProof: false);
            int n = built.Submission.SealedOpening.Ciphertext.Length - 16;
            Assert.True(OpeningPadding.IsClass(n), $"{n} bytes");
            lengths.Add(n);
        }
        Assert.Single(lengths);   // books of 1 to 24 positions all fall into the 8 KiB class
        Assert.Equal(16 << 10, OpeningPadding.ClassOf(9000));
        Assert.Equal(OpeningPadding.MinBytes, WireCodec.Size(OpeningPadding.Pad(new Opening())));
    }
}
