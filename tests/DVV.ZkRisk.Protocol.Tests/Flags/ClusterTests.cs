using System.Globalization;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Risk;
using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;
using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests.Flags;

/// <summary>
/// Issue 15, linked accounts (circuits/cluster.v1.json): a book split over 2..10 accounts, detected (shared funding) or
/// declared (every account names the others), is margined as one and never pays less than the book in one account; the
/// members' flag proofs show every member flagged at least by its own data and by the members' summed data, so a cluster a
/// venue invents cannot unflag anyone; a declared cluster must be honoured and only what the members declared is declared.
/// </summary>
[Collection("epochs")]
public sealed class ClusterTests(EpochFixture fx)
{
    private static readonly TraderSdk Sdk = new(ProofSystems.Default);
    private static int Shocks => EpochFixture.Risk.ShockCount;
    private static string Expiry(int days) => EpochFixture.T0.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed record Leg(string Type, double Strike, int Days, long SizeE4);
    private sealed record Account(Ed25519PrivateKey Key, List<Leg> Legs, long CollateralUsd, long CoinSixteenths)
    {
        public string Hex => Convert.ToHexStringLower(Key.PublicKey.ToBytes());
        public byte[] Json(string name) => System.Text.Encoding.UTF8.GetBytes(
            "{\"account\":\"" + name + "\",\"collateralUsd\":" + CollateralUsd.ToString(CultureInfo.InvariantCulture)
            + ",\"collateralCoin\":" + (CoinSixteenths / 16.0).ToString("R", CultureInfo.InvariantCulture) + ",\"positions\":["
            + string.Join(",", Legs.Where(l => l.SizeE4 != 0).Select(l => "{\"instrument\":\"option\",\"type\":\"" + l.Type + "\",\"strike\":" + l.Strike.ToString(CultureInfo.InvariantCulture)
                + ",\"expiry\":\"" + Expiry(l.Days) + "\",\"size\":" + (l.SizeE4 / 10_000.0).ToString("R", CultureInfo.InvariantCulture) + "}")) + "]}");
    }

    /// <summary>The book to split: short puts and calls that a 30% move liquidates, a long wing, USD and coin collateral.</summary>
    private static Account Whole() => new(Ed25519PrivateKey.Generate(),
        [new("put", 90_000, 30, -50_000), new("put", 80_000, 30, 20_000), new("call", 112_000, 10, -30_000), new("put", 95_000, 10, -10_000)],
        CollateralUsd: 14_000, CoinSixteenths: 8);

    /// <summary>A random split over <paramref name="k"/> accounts: every leg cut into k signed parts (with offsetting legs:
    /// one account long what another is short beyond its share), the collateral cut into whole dollars and sixteenths of a
    /// coin, so the members' books merge exactly into <paramref name="whole"/>.</summary>
    private static List<Account> Split(Account whole, int k, Random rng)
    {
        var parts = Enumerable.Range(0, k).Select(_ => (Legs: new List<Leg>(), Usd: 0L, Coin: 0L)).ToList();
        foreach (var leg in whole.Legs)
        {
            var sizes = new long[k];
            long left = leg.SizeE4;
            for (int i = 0; i < k - 1; i++) { sizes[i] = (long)Math.Round(leg.SizeE4 * rng.NextDouble() / k * 2); left -= sizes[i]; }
            sizes[k - 1] = left;
            if (k > 1 && rng.Next(2) == 0) { long x = 10_000 * (1 + rng.Next(3)); int a = rng.Next(k), b = (a + 1 + rng.Next(k - 1)) % k; sizes[a] += x; sizes[b] -= x; }
            for (int i = 0; i < k; i++) parts[i].Legs.Add(leg with { SizeE4 = sizes[i] });
        }
        long usd = whole.CollateralUsd, coin = whole.CoinSixteenths;
        var result = new List<Account>();
        for (int i = 0; i < k; i++)
        {
            long u = i == k - 1 ? usd : rng.NextInt64(usd + 1), c = i == k - 1 ? coin : rng.NextInt64(coin + 1);
            usd -= u; coin -= c;
            result.Add(new Account(Ed25519PrivateKey.Generate(), parts[i].Legs, u, c));
        }
        return result;
    }

    private sealed record Sealed(EpochSealer Sealer, SealResult Result, VerificationResult Verified, Dictionary<string, BuiltSubmission> Built);

    /// <summary>Epoch 1 of the fixture's population plus <paramref name="accounts"/>; declared: each names the others.</summary>
    private Sealed Seal(IReadOnlyList<Account> accounts, bool declare, bool fund, IReadOnlyDictionary<string, LiquidationFlags>? lies = null)
    {
        var info = EpochFixture.Info(1, fx.P1);
        var built = new Dictionary<string, BuiltSubmission>(StringComparer.Ordinal);
        var inputs = fx.Population.Select(t => fx.Built1[t.KeyHex]).Select(b => new SealInput(b.Submission, b.Opening, b.Digest)).ToList();
        for (int i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var linked = declare ? accounts.Where(o => o != a).Select(o => (ReadOnlyMemory<byte>)o.Key.PublicKey.ToBytes()).ToList() : null;
            var b = Sdk.Build(info, a.Key, a.Json($"acct-{i}"), fx.Authorities.Admit(a.Key.PublicKey.ToBytes()), linkedAccounts: linked);
            built[a.Hex] = b;
            inputs.Add(new SealInput(b.Submission, b.Opening, b.Digest));
        }
        var sealer = new EpochSealer(fx.Statements)
        {
            MisstatedFlags = lies,
            FundingSources = fund ? accounts.ToDictionary(a => a.Hex, _ => "master-7") : null,
        };
        var r = sealer.Seal(1, fx.P1, inputs, 1000, EpochFixture.Seed(1));
        return new Sealed(sealer, r, fx.Verifier.Verify(r.Bundle, null), built);
    }

    private static MarginNotice Notice(Sealed s, string hex)
    {
        var v = s.Verified.Verified!;
        v.State.TryGet(Convert.FromHexString(hex), out var st);
        var cluster = v.Bundle.Clusters.FirstOrDefault(c => c.Members.Any(m => Convert.ToHexStringLower(m.Span) == hex));
        Notices.ClusterBasis? basis = null;
        if (cluster is not null)
        {
            var secrets = cluster.Members.Select(m => s.Result.Secrets[Convert.ToHexStringLower(m.Span)]).ToList();
            basis = Notices.Basis(v, cluster, secrets.Select(x => x.Book).ToList(), secrets.Select(x => (IReadOnlyList<ulong>)x.ShortValues).ToList());
        }
        return Notices.Build(v, st!, s.Result.Secrets[hex], s.Result.Valuations.GetValueOrDefault(hex), new VenueSigner(Ed25519PrivateKey.Generate()), basis);
    }

    private static double Usd(string v) => double.Parse(v, CultureInfo.InvariantCulture);

    [Fact]
    public void Splitting_a_book_over_2_to_10_accounts_never_lowers_the_total_margin()
    {
        var whole = Whole();
        var alone = Seal([whole], declare: false, fund: false);
        Assert.True(alone.Verified.IsValid, string.Join("\n", alone.Verified.Findings));
        var one = Notice(alone, whole.Hex);
        var oneFlags = alone.Result.Secrets[whole.Hex].Flags;
        Assert.True(oneFlags.Mask != 0, "the book must be flagged in some shock for the test to bite");
        Assert.True(Usd(one.Cavb) > 0);
        var rng = new Random(15);
        for (int k = 2; k <= 10; k++)
        {
            var accounts = Split(whole, k, rng);
            bool declare = k % 2 == 0;
            var split = Seal(accounts, declare, fund: !declare);
            Assert.True(split.Verified.IsValid, $"k = {k}: " + string.Join("\n", split.Verified.Findings));
            var cluster = Assert.Single(split.Result.Bundle.Clusters);
            Assert.Equal(accounts.Select(a => a.Hex).Order(StringComparer.Ordinal), cluster.Members.Select(m => Convert.ToHexStringLower(m.Span)));
            Assert.Equal(declare ? ClusterKind.Declared : ClusterKind.Detected, cluster.Kind);
            if (!declare) Assert.Contains("shared funding", cluster.Evidence);
            // every member carries the cluster's flags, at least the unsplit book's
            var flags = split.Result.Secrets[accounts[0].Hex].Flags;
            Assert.All(accounts, a => Assert.Equal(flags.Mask, split.Result.Secrets[a.Hex].Flags.Mask));
            Assert.Equal(oneFlags.Mask, flags.Mask & oneFlags.Mask);
            // every member's notice is the cluster's, and the cluster pays at least what the book alone paid (within a cent:
            // withheld cells enter V(s) with weights rounded to 2^-16, so a cell that changes between published and withheld
            // moves V by a rounding)
            var notices = accounts.Select(a => Notice(split, a.Hex)).ToList();
            Assert.All(notices, n => Assert.Equal(notices[0].TotalMargin, n.TotalMargin));
            Assert.All(notices, n => Assert.Equal(k, n.ClusterMembers.Count));
            Assert.Equal(one.InitialMargin, notices[0].InitialMargin);
            Assert.True(Usd(notices[0].TotalMargin) >= Usd(one.TotalMargin) - 0.01,
                $"k = {k}: the cluster pays {notices[0].TotalMargin} (IM {notices[0].InitialMargin}, CAVB {notices[0].Cavb}), the book alone {one.TotalMargin} (CAVB {one.Cavb})");
            Assert.True(Usd(notices[0].Cavb) >= Usd(one.Cavb) - 0.01);
        }
    }

    [Fact]
    public void A_declared_clusters_notices_check_out_with_every_members_opening_and_not_without()
    {
        var accounts = Split(Whole(), 3, new Random(7));
        var s = Seal(accounts, declare: true, fund: false);
        Assert.True(s.Verified.IsValid, string.Join("\n", s.Verified.Findings));
        Assert.Equal(ClusterKind.Declared, Assert.Single(s.Result.Bundle.Clusters).Kind);
        Assert.Equal(2 * Shocks, (int)s.Result.Bundle.FlagProofs.First(p => Convert.ToHexStringLower(p.TraderPublicKey.Span) == accounts[0].Hex).Proof!.ValueCount);
        var v = s.Verified.Verified!;
        var order = accounts.OrderBy(a => a.Hex, StringComparer.Ordinal).ToList();
        var openings = order.Select(a => s.Built[a.Hex].Opening).ToList();
        foreach (var a in accounts)
        {
            var n = Notice(s, a.Hex);
            // (the fixture's parameter set pins no venue signing key: that part of the check is the notice tests' business)
            Assert.Empty(Notices.TraderCheck(v, a.Key.PublicKey.ToBytes(), s.Built[a.Hex].Opening, n, openings).Where(p => !p.Message.Contains("pin no venue signing key")));
            Assert.Contains(Notices.TraderCheck(v, a.Key.PublicKey.ToBytes(), s.Built[a.Hex].Opening, n), p => p.Kind == TraderCheckKind.Cluster);
        }
        // a member's opening swapped for another's does not open its commitments; a notice that drops the cluster is caught
        var swapped = openings.ToList();
        (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
        var a0 = order[0];
        Assert.Contains(Notices.TraderCheck(v, a0.Key.PublicKey.ToBytes(), s.Built[a0.Hex].Opening, Notice(s, a0.Hex), swapped), p => p.Kind == TraderCheckKind.Cluster);
        var alone = Notice(s, a0.Hex) with { ClusterMembers = [] };
        Assert.Contains(Notices.TraderCheck(v, a0.Key.PublicKey.ToBytes(), s.Built[a0.Hex].Opening, alone, openings), p => p.Kind == TraderCheckKind.Cluster);
        Assert.True(VenueAttackChecks.Audit(fx, s.Result.Bundle).Ok);
        // the wire is the proto's: protoc's generated parser reads the clusters, the linked accounts and the notice's members
        var wire = V1.EpochBundle.Parser.ParseFrom(Codec.WireCodec.Encode(s.Result.Bundle));
        var wc = Assert.Single(wire.Clusters);
        Assert.Equal(V1.ClusterKind.Declared, wc.Kind);
        Assert.Equal(order.Select(o => o.Hex), wc.Members.Select(m => Convert.ToHexStringLower(m.ToByteArray())));
        var mine = wire.Submissions.Single(x => Convert.ToHexStringLower(x.TraderPublicKey.ToByteArray()) == a0.Hex);
        Assert.Equal(order.Skip(1).Select(o => o.Hex), mine.LinkedAccounts.Select(m => Convert.ToHexStringLower(m.ToByteArray())));
        Assert.Equal(3, V1.MarginNotice.Parser.ParseFrom(Codec.WireCodec.Encode(Notice(s, a0.Hex))).ClusterMembers.Count);
        Assert.Equal(3, Codec.WireCodec.DecodeNotice(Codec.WireCodec.Encode(Notice(s, a0.Hex))).ClusterMembers.Count);
    }

    /// <summary>A venue that puts a flagged trader in a cluster with a solvent account so that the summed distance is
    /// positive, and then unflags it: the member's own part of the floor proof cannot be made.</summary>
    [Fact]
    public void A_cluster_cannot_unflag_a_member_that_its_own_data_flags()
    {
        var poor = new Account(Ed25519PrivateKey.Generate(), [new("put", 95_000, 30, -40_000)], CollateralUsd: 500, CoinSixteenths: 0);
        var rich = new Account(Ed25519PrivateKey.Generate(), [], CollateralUsd: 5_000_000, CoinSixteenths: 0);
        var honest = Seal([poor, rich], declare: false, fund: true);
        Assert.True(honest.Verified.IsValid, string.Join("\n", honest.Verified.Findings));
        var model = EpochContext.Of(fx.P1).FlagModel;
        var sec = honest.Result.Secrets[poor.Hex];
        int shock = Enumerable.Range(0, Shocks).First(x => model.Distance(x, sec.ShortValues, sec.LongValues, sec.CollateralUsd, sec.CollateralCoin) < 0);
        // honest: the cluster keeps the poor account's own flag although the summed distance is positive
        Assert.True(sec.Flags[shock]);
        var lie = new LiquidationFlags(sec.Flags.Mask & ~(1u << shock), Shocks);
        var lying = Seal([poor, rich], declare: false, fund: true, lies: new Dictionary<string, LiquidationFlags> { [poor.Hex] = lie, [rich.Hex] = lie });
        VenueAttackChecks.AssertFinding(lying.Verified, "flag_proof");
        Assert.DoesNotContain(lying.Verified.Findings, f => f.Check is "selection_proof" or "sum_proof" or "cluster");
        VenueAttackChecks.AssertAuditNames(VenueAttackChecks.Audit(fx, lying.Result.Bundle), "flag_proof");
    }

    /// <summary>What the venue says about clusters is checked: it cannot drop a mutual declaration, call a detected cluster
    /// declared, list a trader twice or a cluster of one; each is named.</summary>
    [Fact]
    public void The_venues_cluster_list_is_checked_against_the_declarations_and_its_own_shape()
    {
        var accounts = Split(Whole(), 3, new Random(3));
        var declared = Seal(accounts, declare: true, fund: false);
        var detected = Seal(accounts, declare: false, fund: true);
        Assert.True(declared.Verified.IsValid && detected.Verified.IsValid);
        VerificationResult Edit(Sealed s, Func<IReadOnlyList<AccountCluster>, IReadOnlyList<AccountCluster>> change)
        {
            var b = s.Result.Bundle with { Clusters = change(s.Result.Bundle.Clusters) };
            b = b with { BundleHash = BundleFormat.Hash(b) };
            return fx.Verifier.Verify(b, null);
        }
        VenueAttackChecks.AssertFinding(Edit(declared, _ => []), "cluster", "declare each other linked");
        VenueAttackChecks.AssertFinding(Edit(detected, cs => [cs[0] with { Kind = ClusterKind.Declared }]), "cluster", "does not declare exactly");
        VenueAttackChecks.AssertFinding(Edit(detected, cs => [cs[0] with { Members = [cs[0].Members[0]] }]), "cluster", "2 to 64");
        VenueAttackChecks.AssertFinding(Edit(detected, cs => [cs[0] with { Members = [.. cs[0].Members.Reverse()] }]), "cluster", "ascending");
        VenueAttackChecks.AssertFinding(Edit(detected, cs => [cs[0], cs[0]]), "cluster", "two clusters");
        // dropping a detected cluster leaves its members' two-part proofs without the cluster they were made for
        VenueAttackChecks.AssertFinding(Edit(detected, _ => []), "flag_proof");
    }

    /// <summary>A member's new submission re-proves the whole cluster in an incremental epoch (each member's flag proof covers
    /// the summed distance); the chain verifies.</summary>
    [Fact]
    public void A_members_new_submission_reissues_every_member_of_its_cluster()
    {
        var accounts = Split(Whole(), 3, new Random(5));
        var s1 = Seal(accounts, declare: false, fund: true);
        Assert.True(s1.Verified.IsValid);
        var info2 = EpochFixture.Info(2, fx.P2);
        var a = accounts[1] with { CollateralUsd = accounts[1].CollateralUsd + 1_000 };
        var b = Sdk.Build(info2, a.Key, a.Json("acct-1"), fx.Authorities.Admit(a.Key.PublicKey.ToBytes()));
        // k_min newcomers or none: the replaced member is not a newcomer
        var r2 = s1.Sealer.Seal(2, fx.P2, [new SealInput(b.Submission, b.Opening, b.Digest)], 2000, EpochFixture.Seed(2));
        var issued = r2.Bundle.Selections.Select(p => Convert.ToHexStringLower(p.TraderPublicKey.Span)).ToHashSet();
        Assert.All(accounts, m => Assert.Contains(m.Hex, issued));
        var v2 = fx.Verifier.Verify(r2.Bundle, s1.Verified.State);
        Assert.True(v2.IsValid, string.Join("\n", v2.Findings));
        Assert.Single(r2.Bundle.Clusters);
    }

    /// <summary>What the venue detects and what it must not: two accounts with one book (positions and collateral) are a
    /// detected cluster; a declaration that the other account does not make is no cluster (one account cannot bind another).</summary>
    [Fact]
    public void Identical_books_are_detected_and_a_one_sided_declaration_binds_no_one()
    {
        var book = new List<Leg> { new("put", 90_000, 30, -20_000) };
        var twins = new[] { new Account(Ed25519PrivateKey.Generate(), book, 7_000, 0), new Account(Ed25519PrivateKey.Generate(), book, 7_000, 0) };
        var detected = Seal(twins, declare: false, fund: false);
        Assert.True(detected.Verified.IsValid, string.Join("\n", detected.Verified.Findings));
        var c = Assert.Single(detected.Result.Bundle.Clusters);
        Assert.Equal((ClusterKind.Detected, "identical books"), (c.Kind, c.Evidence));

        var info = EpochFixture.Info(1, fx.P1);
        var a = new Account(Ed25519PrivateKey.Generate(), book, 7_000, 0);
        var b = new Account(Ed25519PrivateKey.Generate(), [new("call", 110_000, 30, -10_000)], 3_000, 0);
        var inputs = fx.Population.Select(t => fx.Built1[t.KeyHex]).Select(x => new SealInput(x.Submission, x.Opening, x.Digest)).ToList();
        var ba = Sdk.Build(info, a.Key, a.Json("a"), fx.Authorities.Admit(a.Key.PublicKey.ToBytes()), linkedAccounts: [b.Key.PublicKey.ToBytes()]);
        var bb = Sdk.Build(info, b.Key, b.Json("b"), fx.Authorities.Admit(b.Key.PublicKey.ToBytes()));
        inputs.Add(new SealInput(ba.Submission, ba.Opening, ba.Digest));
        inputs.Add(new SealInput(bb.Submission, bb.Opening, bb.Digest));
        var r = new EpochSealer(fx.Statements).Seal(1, fx.P1, inputs, 1000, EpochFixture.Seed(1));
        Assert.Empty(r.Bundle.Clusters);
        Assert.True(fx.Verifier.Verify(r.Bundle, null).IsValid);
    }
}
