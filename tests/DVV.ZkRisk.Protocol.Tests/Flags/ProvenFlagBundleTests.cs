using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using Google.Protobuf;

using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests.Flags;

/// <summary>
/// Issue 15: the flags of a bundle are proven (circuits/flag.v1.json, selection.v3). Each attack is built with the venue's
/// own sealer holding every opening (<see cref="EpochSealer.MisstatedFlags"/>: selection parts, sums and sum proofs all
/// consistent with the lie, a flag proof attempted for it) or by editing only the fields the venue controls and
/// re-hashing; the verifier and the audit must refuse each, naming the check.
/// </summary>
[Collection("epochs")]
public sealed class ProvenFlagBundleTests(EpochFixture fx)
{
    private List<string> Keys => fx.Population.Select(t => t.KeyHex).ToList();
    private static SealInput In(BuiltSubmission b) => new(b.Submission, b.Opening, b.Digest);
    private static int Shocks => EpochFixture.Risk.ShockCount;

    private static void AssertFinding(VerificationResult r, string check, string? contains = null) => VenueAttackChecks.AssertFinding(r, check, contains);
    private AuditReport Audit(params EpochBundle[] chain) => VenueAttackChecks.Audit(fx, chain);
    private static void AssertAuditNames(AuditReport r, string check) => VenueAttackChecks.AssertAuditNames(r, check);

    /// <summary>Epoch 1 sealed by a venue that issues <paramref name="lies"/> instead of the band model's flags.</summary>
    private (EpochSealer Sealer, SealResult Sealed) SealLying(Dictionary<string, LiquidationFlags> lies)
    {
        var m = new EpochSealer(fx.Statements) { MisstatedFlags = lies };
        return (m, m.Seal(1, fx.P1, Keys.Select(k => In(fx.Built1[k])).ToList(), 1000, EpochFixture.Seed(1)));
    }

    /// <summary>A trader and a shock where the band model gives <paramref name="flagged"/>.</summary>
    private (string Hex, int Shock, LiquidationFlags Flags) Victim(bool flagged)
    {
        foreach (var k in Keys)
        {
            var f = fx.Sealer.Secrets(Convert.FromHexString(k))!.Flags;
            for (int s = 0; s < f.Count; s++) if (f[s] == flagged) return (k, s, f);
        }
        throw new InvalidOperationException($"no fixture trader has a shock with lam = {(flagged ? 1 : 0)}");
    }

    [Fact]
    public void Honest_bundles_prove_every_published_traders_flags_against_the_parameter_sets_coefficients()
    {
        Assert.True(fx.V1.IsValid && fx.V2.IsValid, string.Join("\n", fx.V1.Findings.Concat(fx.V2.Findings)));
        Assert.True(fx.Statements.ProvesFlags);
        var b = fx.E1.Bundle;
        Assert.Equal(EpochFixture.Traders, b.FlagProofs.Count);
        Assert.All(b.Selections, p => Assert.NotNull(p.FlagBit));
        Assert.All(b.Submissions, s => Assert.True(s.HasCollateral));
        var own = EpochContext.Of(fx.P1).FlagModel;
        Assert.Equal(own.LongCoefficients.ToArray(), b.FlagCoefficients!.Long);
        Assert.Equal(own.CoinCoefficients.ToArray(), b.FlagCoefficients.Coin);
        // the sealer's flags (as of epoch 2, its last seal) are the band model's: lam_s = [d_s < 0] from each trader's opening
        var model2 = EpochContext.Of(fx.P2).FlagModel;
        foreach (var k in Keys)
        {
            var sec = fx.Sealer.Secrets(Convert.FromHexString(k))!;
            for (int s = 0; s < Shocks; s++)
                Assert.Equal(model2.Distance(s, sec.ShortValues, sec.LongValues, sec.CollateralUsd, sec.CollateralCoin) < 0, sec.Flags[s]);
        }
        Assert.True(Audit(fx.E1.Bundle, fx.E2.Bundle).Ok);
    }

    [Fact]
    public void A_venue_that_unflags_a_trader_whose_distance_is_negative_cannot_make_an_accepted_bundle()
    {
        var (hex, shock, flags) = Victim(flagged: true);
        var lie = new LiquidationFlags(flags.Mask & ~(1u << shock), Shocks);
        var (m, sealed1) = SealLying(new() { [hex] = lie });
        // every other proof of the bundle is the venue's real work and verifies: only the flag proof cannot be made
        var r = fx.Verifier.Verify(sealed1.Bundle, null);
        AssertFinding(r, "flag_proof", hex[..16]);
        Assert.DoesNotContain(r.Findings, f => f.Check is "selection_proof" or "sum_proof" or "count_proof");
        AssertAuditNames(Audit(sealed1.Bundle), "flag_proof");

        // nor by leaving the victim's flag proof out
        var dropped = sealed1.Bundle.Message();
        var keep = dropped.FlagProofs.Where(p => Convert.ToHexStringLower(p.TraderPublicKey.Span) != hex).ToList();
        dropped.FlagProofs.Clear(); dropped.FlagProofs.Add(keep);
        AssertFinding(fx.Verifier.Verify(dropped.Rehash(), null), "flag_proof", "without a flag proof");

        // nor by declaring it unvalued (the conservative rule needs lam = 1 in every shock, which the parts do not hold)
        var named = sealed1.Bundle.Message();
        named.FlagProofs.Clear(); named.FlagProofs.Add(keep);
        var reveal = ConservativeFlagsRule.Reveal(Convert.FromHexString(hex), m.Secrets(Convert.FromHexString(hex))!, EpochFixture.Risk.TotalBands, Shocks);
        var withReveal = (named.Record() with { Unvalued = [reveal] }).Rehashed();
        AssertFinding(fx.Verifier.Verify(withReveal, null, checkRangeProofs: false), "unvalued");
    }

    [Fact]
    public void A_venue_that_flags_a_trader_whose_distance_is_not_negative_cannot_make_an_accepted_bundle()
    {
        var (hex, shock, flags) = Victim(flagged: false);
        var (_, sealed1) = SealLying(new() { [hex] = new LiquidationFlags(flags.Mask | (1u << shock), Shocks) });
        var r = fx.Verifier.Verify(sealed1.Bundle, null);
        AssertFinding(r, "flag_proof", hex[..16]);
        AssertAuditNames(Audit(sealed1.Bundle), "flag_proof");
    }

    [Fact]
    public void Coefficients_not_from_the_parameter_set_are_refused_by_name_and_one_unit_is_tolerated()
    {
        var moved = fx.E1.Bundle.Message();
        moved.FlagCoefficients.Short[5] += 1_000;
        var r = fx.Verifier.Verify(moved.Rehash(), null);
        AssertFinding(r, "flag_coefficients", "short[shock 0, band 5]");
        AssertAuditNames(Audit(moved.Record()), "flag_coefficients");

        // within the tolerance the coefficients are accepted, but the proofs were made with the venue's own: they no
        // longer verify (the coefficient digest is in every flag transcript)
        var nudged = fx.E1.Bundle.Message();
        nudged.FlagCoefficients.Long[3] += 1;
        var n = fx.Verifier.Verify(nudged.Rehash(), null);
        Assert.DoesNotContain(n.Findings, f => f.Check == "flag_coefficients");
        AssertFinding(n, "flag_proof", "does not verify");

        var missing = fx.E1.Bundle.Message();
        missing.FlagCoefficients = null;
        AssertFinding(fx.Verifier.Verify(missing.Rehash(), null), "flag_coefficients", "missing");
        var shortList = fx.E1.Bundle.Message();
        shortList.FlagCoefficients.Coin.RemoveAt(0);
        AssertFinding(fx.Verifier.Verify(shortList.Rehash(), null), "flag_coefficients", "expected");
    }

    [Fact]
    public void Flag_proofs_and_flag_bits_out_of_place_are_refused()
    {
        // a flag proof for a trader whose parts the incremental bundle does not carry
        var e2 = fx.E2.Bundle.Message();
        var published = e2.Selections.Select(p => Convert.ToHexStringLower(p.TraderPublicKey.Span)).ToHashSet();
        var outsider = Keys.First(k => !published.Contains(k));
        var stray = fx.E1.Bundle.FlagProofs.First(p => Convert.ToHexStringLower(p.TraderPublicKey.Span) == outsider);
        var list = e2.FlagProofs.Select(p => p.Clone()).Append(WireCodecProofMessage(stray)).OrderBy(p => Convert.ToHexStringLower(p.TraderPublicKey.Span)).ToList();
        e2.FlagProofs.Clear(); e2.FlagProofs.Add(list);
        AssertFinding(fx.Verifier.Verify(e2.Rehash(), fx.V1.State), "flag_proof", "without selection parts");

        // two proofs for one trader
        var twice = fx.E1.Bundle.Message();
        twice.FlagProofs.Insert(1, twice.FlagProofs[0].Clone());
        AssertFinding(fx.Verifier.Verify(twice.Rehash(), null), "flag_proof", "sorted");

        // a part without its flag bit (a selection.v2 part in a selection.v3 bundle)
        var noBit = fx.E1.Bundle.Message();
        noBit.Selections[0].FlagBit = null;
        AssertFinding(fx.Verifier.Verify(noBit.Rehash(), null), "selection", "flag_bit");

        // the flag bits of two shocks swapped: the selection proofs bind each F_s to its own shock
        var swapped = fx.E1.Bundle.Message();
        (swapped.Selections[0].FlagBit, swapped.Selections[1].FlagBit) = (swapped.Selections[1].FlagBit, swapped.Selections[0].FlagBit);
        var sw = fx.Verifier.Verify(swapped.Rehash(), null);
        Assert.False(sw.IsValid);
        Assert.Contains(sw.Findings, f => f.Check is "selection_proof" or "flag_proof");
    }

    private static V1.FlagProof WireCodecProofMessage(TraderFlagProof p)
    {
        var b = new EpochBundle { FlagProofs = [p] };
        return V1.EpochBundle.Parser.ParseFrom(WireCodec.Encode(b)).FlagProofs[0];
    }
}
