using System.Globalization;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;

using Scalar = DVV.ZkRisk.Crypto.Scalar;
using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;
using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;

namespace DVV.ZkRisk.Protocol.Publication;

/// <summary>A trader's margin for a verified epoch, computed from the proven aggregates and that trader's own data only.</summary>
public sealed record OwnMargin(double InitialMargin, double MaintenanceMargin, double Cavb, double Total, LiquidationFlags Flags, int BindingShock);

/// <summary>Margin notices (DESIGN.md 2 step 6): computing them, their canonical digests and signatures, and the
/// trader's own check of one against a verified bundle.</summary>
public static class Notices
{
    /// <summary>IM and MM from the trader's book on the epoch's market; CAVB from <see cref="VerifiedEpoch.Aggregates"/>,
    /// the trader's committed short exposure and its flags.</summary>
    public static OwnMargin Compute(VerifiedEpoch epoch, DVV.ZkRisk.Risk.PositionBook book, ReadOnlySpan<ulong> committedShort, LiquidationFlags flags) =>
        Compute(epoch, epoch.Context.Value(book), committedShort, flags);

    /// <summary>The same from a valuation of the book already made for this epoch (the seal's): no second evaluation.</summary>
    internal static OwnMargin Compute(VerifiedEpoch epoch, TraderRisk risk, ReadOnlySpan<ulong> committedShort, LiquidationFlags flags)
    {
        var cavb = epoch.Cavb.Compute(epoch.Aggregates, committedShort, flags);
        return new OwnMargin(risk.InitialMargin, risk.MaintenanceMargin, cavb.Cavb, risk.InitialMargin + cavb.Cavb, flags, cavb.BindingShock);
    }

    public static string Usd(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>CAVB alone, for a book the risk engine cannot value (the bundle's unvalued list): it depends only on the
    /// proven aggregates, the committed short exposure and the flags, never on the book's instruments.</summary>
    public static double CavbOnly(VerifiedEpoch epoch, ReadOnlySpan<ulong> committedShort, LiquidationFlags flags) =>
        epoch.Cavb.Compute(epoch.Aggregates, committedShort, flags).Cavb;

    /// <summary>What a cluster's notices are computed from (circuits/cluster.v1.json): its members as the bundle lists them,
    /// the merged book's valuation (null: the engine cannot value it) and the members' summed committed short exposure.</summary>
    internal sealed record ClusterBasis(AccountCluster Cluster, TraderRisk? MergedRisk, ulong[] SummedShort);

    /// <summary>The one definition of a cluster's margin basis, for the venue (from its secrets) and the trader's check (from
    /// the members' openings): IM and MM of the merged book (positions netted across members, collateral summed, DESIGN.md 4),
    /// and S_b summed over the members' committed values, never below the merged book's (offsetting legs count on both sides).</summary>
    internal static ClusterBasis Basis(VerifiedEpoch epoch, AccountCluster cluster, IReadOnlyList<DVV.ZkRisk.Risk.PositionBook> books, IReadOnlyList<IReadOnlyList<ulong>> shorts)
    {
        int bands = epoch.Context.BandCount;
        var sum = new ulong[bands];
        foreach (var s in shorts)
            for (int b = 0; b < bands; b++) sum[b] = checked(sum[b] + s[b]);
        TraderRisk? risk;
        try { risk = epoch.Context.Value(DVV.ZkRisk.Risk.PositionBook.Merge(cluster.Key, books)); }
        catch (Exception e) when (EpochContext.IsUnvaluable(e)) { risk = null; }
        return new ClusterBasis(cluster, risk, sum);
    }

    /// <param name="valuation">the seal's valuation of the trader's book (null: unvalued; its IM is not recomputed)</param>
    /// <param name="cluster">the trader's cluster (null: margined alone): the amounts are then the cluster's</param>
    internal static MarginNotice Build(VerifiedEpoch epoch, TraderState st, TraderSecrets sec, TraderRisk? valuation, VenueSigner venue, ClusterBasis? cluster = null)
    {
        var n = new MarginNotice
        {
            Epoch = epoch.Epoch, TraderPublicKey = st.Trader, BundleHash = epoch.BundleHash, SubmissionDigest = st.SubmissionDigest,
            SelectionEpoch = sec.SelectionEpoch, ClusterMembers = cluster?.Cluster.Members ?? [],
        };
        ReadOnlySpan<ulong> shorts = cluster is null ? sec.ShortValues : cluster.SummedShort;
        if (cluster is not null) valuation = cluster.MergedRisk;
        if (epoch.Unvalued.Contains(st.Hex) || valuation is null)
            // one book the engine cannot value must not stop everyone's notices (issue 17 item 7): say so, charge the buffer
            n = n with { Unvalued = true, Cavb = Usd(CavbOnly(epoch, shorts, sec.Flags)) };
        else
        {
            var m = Compute(epoch, valuation.Value, shorts, sec.Flags);
            n = n with { InitialMargin = Usd(m.InitialMargin), MaintenanceMargin = Usd(m.MaintenanceMargin), Cavb = Usd(m.Cavb), TotalMargin = Usd(m.Total) };
        }
        int shocks = sec.Flags.ShockCount, bands = sec.ShortValues.Length;
        var flags = new bool[shocks];
        var openings = new Scalar[shocks * bands];
        for (int s = 0; s < shocks; s++)
        {
            flags[s] = sec.Flags[s];
            for (int b = 0; b < bands; b++) openings[s * bands + b] = sec.SelectionOpening(s, b).Blinding;
        }
        n = n with { LiquidationFlags = flags, SelectionOpenings = openings };
        return n with { VenueSignature = venue.Sign(Digest(n)) };
    }

    /// <summary>The digest the venue signs: the notice's canonical encoding with the signature cleared, domain-separated.</summary>
    public static byte[] Digest(MarginNotice n)
    {
        using var h = new CanonicalHash(DomainLabels.MarginNotice);
        return h.Bytes(Codec.WireCodec.Encode(n with { VenueSignature = default })).Finish();
    }

    /// <summary>What a trader signs to ask for its notice.</summary>
    public static byte[] RequestDigest(ulong epoch, ReadOnlySpan<byte> trader, long requestedAtUnixMs)
    {
        using var h = new CanonicalHash(DomainLabels.MarginNoticeRequest);
        return h.U64(epoch).Bytes(trader).I64(requestedAtUnixMs).Finish();
    }

    public static MarginNoticeRequest SignedRequest(ulong epoch, Ed25519PrivateKey trader, DateTimeOffset now)
    {
        var pk = trader.PublicKey.ToBytes();
        long at = now.ToUnixTimeMilliseconds();
        return new MarginNoticeRequest(epoch, pk, at, trader.Sign(RequestDigest(epoch, pk, at)));
    }

    /// <summary>
    /// The trader's own check (DESIGN.md 1): its submission is the one in the verified state (Merkle inclusion), its
    /// commitments open to its opening, every selection commitment D_sb opens to (lam_s S_b, the notice's blinding) so the
    /// flags in the notice are the ones the proofs counted, and its margin recomputes from the proven aggregates.
    /// Returns the problems found, each of a <see cref="TraderCheckKind"/> (empty: everything holds).
    /// </summary>
    /// <remarks>The notice's signature is checked against the venue signing key the epoch's governed parameters pin.</remarks>
    public static IReadOnlyList<TraderProblem> TraderCheck(VerifiedEpoch epoch, ReadOnlySpan<byte> trader, Opening? opening, MarginNotice? notice) =>
        TraderCheck(epoch, trader, opening, notice, null);

    /// <summary>
    /// As <see cref="TraderCheck(VerifiedEpoch, ReadOnlySpan{byte}, Opening?, MarginNotice?)"/> for a member of a linked-account
    /// cluster: <paramref name="memberOpenings"/> holds every member's opening in the cluster's order (ascending keys, the
    /// trader's own included), each checked against that member's commitments in the bundle, and the cluster's margin is
    /// recomputed from them (the merged book's IM, the summed committed exposure's CAVB). Without them a cluster notice's
    /// amounts cannot be recomputed, which is reported.
    /// </summary>
    public static IReadOnlyList<TraderProblem> TraderCheck(VerifiedEpoch epoch, ReadOnlySpan<byte> trader, Opening? opening, MarginNotice? notice,
        IReadOnlyList<Opening>? memberOpenings)
    {
        var problems = new List<TraderProblem>();
        if (!CheckInclusion(epoch, trader, problems)) return problems;
        epoch.State.TryGet(trader, out var st);
        var pc = PedersenGens.Default;
        int bands = st!.Short.Length;
        if (opening != null)
        {
            if (!SubmissionDigest.Signed(st.Submission).AsSpan().SequenceEqual(st.SubmissionDigest)) problems.Add(new(TraderCheckKind.Submission, "digest mismatch"));
            if (opening.ShortValues.Count != bands || opening.ShortBlindings.Count != bands || opening.LongValues.Count != bands || opening.LongBlindings.Count != bands)
                problems.Add(new(TraderCheckKind.Opening, $"must hold {bands} values and blindings per side"));
            else
                for (int b = 0; b < bands; b++)
                {
                    if (pc.Commit(opening.ShortValues[b], opening.ShortBlindings[b]) != st.Short[b])
                        problems.Add(new(TraderCheckKind.Opening, $"short_commitments[{b}] in the bundle does not open to the trader's opening (the venue counted another submission)"));
                    if (pc.Commit(opening.LongValues[b], opening.LongBlindings[b]) != st.Long[b])
                        problems.Add(new(TraderCheckKind.Opening, $"long_commitments[{b}] in the bundle does not open to the trader's opening"));
                }
        }
        if (notice != null && opening != null && problems.Count == 0)
        {
            CheckIssued(epoch, notice, problems);
            if (!notice.TraderPublicKey.Span.SequenceEqual(trader)) problems.Add(new(TraderCheckKind.Notice, "for another trader"));
            int shocks = epoch.RiskParameters.ShockCount;
            if (!CheckShape(epoch, notice, bands, problems)) return problems;
            uint mask = 0;
            for (int s = 0; s < shocks; s++)
            {
                if (notice.LiquidationFlags[s]) mask |= 1u << s;
                for (int b = 0; b < bands; b++)
                {
                    ulong v = notice.LiquidationFlags[s] ? opening.ShortValues[b] : 0;
                    // selection.v4: G_sb opens to lam (S_b + chi z_b), z_b = [S_b != 0]
                    var expected = pc.Commit(v, notice.SelectionOpenings[s * bands + b]);
                    if (epoch.CombinesCells && v != 0) expected += pc.MulValueBase(Sealing.CountWeight.Chi);
                    if (expected != st.Selected![s][b])
                    { problems.Add(new(TraderCheckKind.Selection, $"{(epoch.CombinesCells ? "G" : "D")}[s={s}, b={b}] does not open to lam={(notice.LiquidationFlags[s] ? 1 : 0)} x {(epoch.CombinesCells ? "(S_b + chi z_b)" : "S_b")} with the notice's blinding")); break; }
                }
            }
            var flags = new LiquidationFlags(mask, shocks);
            string self = Convert.ToHexStringLower(trader);
            if (!CheckCluster(epoch, self, notice, problems, out var cluster)) return problems;
            ClusterBasis? basis = null;
            if (cluster is not null)
            {
                if (ClusterOpenings(epoch, cluster, memberOpenings, problems) is not { } books) return problems;
                basis = Basis(epoch, cluster, books.Books, books.Shorts);
            }
            ReadOnlySpan<ulong> shorts = basis is null ? opening.ShortValues.ToArray() : basis.SummedShort;
            bool listed = CheckUnvaluedLabel(epoch, self, notice, problems);
            if (listed)
            {
                // the bundle's check already showed every flag is 1; the buffer recomputes without the book
                var cavb = Usd(CavbOnly(epoch, shorts, flags));
                if (notice.Cavb != cavb) problems.Add(new(TraderCheckKind.Margin, $"cavb in the notice is {notice.Cavb}, recomputed {cavb}"));
                return problems;
            }
            OwnMargin own;
            try
            {
                own = basis is null ? Compute(epoch, Book.OpeningBook.ParseStored(opening.BookJson), shorts, flags)
                    : basis.MergedRisk is { } mr ? Compute(epoch, mr, shorts, flags)
                    : throw new RiskInputException("the cluster's merged book cannot be valued, yet the notice charges a margin");
            }
            catch (Exception e) when (EpochContext.IsUnvaluable(e)) { problems.Add(new(TraderCheckKind.Book, e.Message)); return problems; }
            void Cmp(string name, string claimed, double mine)
            {
                if (claimed != Usd(mine)) problems.Add(new(TraderCheckKind.Margin, $"{name} in the notice is {claimed}, recomputed {Usd(mine)}"));
            }
            Cmp("initial_margin", notice.InitialMargin, own.InitialMargin);
            Cmp("cavb", notice.Cavb, own.Cavb);
            Cmp("total_margin", notice.TotalMargin, own.Total);
        }
        return problems;
    }

    // ---- the checks of a notice against the bundle that need no opening: TraderCheck and PublishedNoticeCheck share them ----

    /// <summary>The trader is a leaf of the epoch's Merkle tree and its inclusion proof verifies; false when it is not a leaf.</summary>
    internal static bool CheckInclusion(VerifiedEpoch epoch, ReadOnlySpan<byte> trader, List<TraderProblem> problems)
    {
        var inc = epoch.State.Inclusion(trader);
        if (inc is null) { problems.Add(new(TraderCheckKind.Inclusion, $"trader {BundleCheck.Hex(trader)} is not in epoch {epoch.Epoch}'s Merkle tree")); return false; }
        if (!DVV.ZkRisk.Crypto.Merkle.MerkleTree.Verify(epoch.Bundle.MerkleRoot.ToArray(), inc.Value.Leaf, inc.Value.Proof))
            problems.Add(new(TraderCheckKind.Inclusion, "the inclusion proof does not verify against the bundle's Merkle root"));
        return true;
    }

    /// <summary>The notice names this epoch and its bundle hash, and the venue key the epoch's governed parameters pin signed
    /// it; false when it is for another epoch or bundle (its state is then not this one's).</summary>
    internal static bool CheckIssued(VerifiedEpoch epoch, MarginNotice notice, List<TraderProblem> problems)
    {
        bool here = notice.Epoch == epoch.Epoch && notice.BundleHash.Span.SequenceEqual(epoch.BundleHash);
        if (!here)
            problems.Add(new(TraderCheckKind.Notice, $"for epoch {notice.Epoch}, bundle {BundleCheck.Hex(notice.BundleHash.Span)}: not epoch {epoch.Epoch}'s bundle {BundleCheck.Hex(epoch.BundleHash)}"));
        var venueKey = epoch.Bundle.Parameters!.VenueSigningKey.Span;
        if (!(Ed25519PublicKey.TryFromBytes(venueKey, out var vk) && vk!.Verify(Digest(notice), notice.VenueSignature.Span)))
            problems.Add(new(TraderCheckKind.Notice, venueKey.IsEmpty ? "the epoch's parameters pin no venue signing key to check the notice with"
                : "the venue signature does not verify against the venue key the epoch's parameters pin (the notice was altered or not issued by the venue)"));
        return here;
    }

    /// <summary>One flag per shock and one selection opening per (shock, band); false (and no further check) otherwise.</summary>
    internal static bool CheckShape(VerifiedEpoch epoch, MarginNotice notice, int bands, List<TraderProblem> problems)
    {
        int shocks = epoch.RiskParameters.ShockCount;
        if (notice.LiquidationFlags.Count == shocks && notice.SelectionOpenings.Count == shocks * bands) return true;
        problems.Add(new(TraderCheckKind.Notice, $"needs {shocks} flags and {shocks * bands} selection openings, has {notice.LiquidationFlags.Count} and {notice.SelectionOpenings.Count}"));
        return false;
    }

    /// <summary>The notice names the cluster the bundle margins the trader (hex key <paramref name="self"/>) in, or none;
    /// <paramref name="cluster"/> is the bundle's.</summary>
    internal static bool CheckCluster(VerifiedEpoch epoch, string self, MarginNotice notice, List<TraderProblem> problems, out AccountCluster? cluster)
    {
        cluster = epoch.Bundle.Clusters.FirstOrDefault(c => c.Members.Any(m => Convert.ToHexStringLower(m.Span) == self));
        var members = cluster?.Members ?? [];
        if (notice.ClusterMembers.Count == members.Count && notice.ClusterMembers.Zip(members).All(p => p.First.Span.SequenceEqual(p.Second.Span))) return true;
        problems.Add(new(TraderCheckKind.Cluster, cluster is null ? "the notice names a cluster but the bundle margins the trader alone"
            : $"the bundle margins the trader in cluster {cluster.Key[..16]}... of {cluster.Members.Count} accounts, the notice names {notice.ClusterMembers.Count}"));
        return false;
    }

    /// <summary>The notice is labelled unvalued exactly when the bundle lists the book; returns whether it does.</summary>
    internal static bool CheckUnvaluedLabel(VerifiedEpoch epoch, string self, MarginNotice notice, List<TraderProblem> problems)
    {
        bool listed = epoch.Unvalued.Contains(self);
        if (notice.Unvalued != listed)
            problems.Add(new(TraderCheckKind.Notice, listed ? "the bundle lists the book as unvalued but the notice charges a margin"
                : "says the book is unvalued but the bundle does not list it"));
        return listed;
    }

    /// <summary>Every member's opening checked against its commitments in the state; the books and committed short values,
    /// or null with the problems added.</summary>
    private static (List<DVV.ZkRisk.Risk.PositionBook> Books, List<IReadOnlyList<ulong>> Shorts)? ClusterOpenings(VerifiedEpoch epoch, AccountCluster cluster,
        IReadOnlyList<Opening>? openings, List<TraderProblem> problems)
    {
        if (openings is null || openings.Count != cluster.Members.Count)
        {
            problems.Add(new(TraderCheckKind.Cluster, $"the notice margins a cluster of {cluster.Members.Count} accounts as one: pass every member's opening (in the cluster's key order) to recompute it"));
            return null;
        }
        var pc = PedersenGens.Default;
        var books = new List<DVV.ZkRisk.Risk.PositionBook>();
        var shorts = new List<IReadOnlyList<ulong>>();
        for (int i = 0; i < openings.Count; i++)
        {
            epoch.State.TryGet(cluster.Members[i].Span, out var st);
            var o = openings[i];
            int bands = st!.Short.Length;
            bool opens = o.ShortValues.Count == bands && o.ShortBlindings.Count == bands && o.LongValues.Count == bands && o.LongBlindings.Count == bands;
            for (int b = 0; b < bands && opens; b++)
                opens = pc.Commit(o.ShortValues[b], o.ShortBlindings[b]) == st.Short[b] && pc.Commit(o.LongValues[b], o.LongBlindings[b]) == st.Long[b];
            if (!opens) { problems.Add(new(TraderCheckKind.Cluster, $"member {i}'s opening does not open its commitments in the bundle")); return null; }
            try { books.Add(Book.OpeningBook.ParseStored(o.BookJson)); }
            catch (Exception e) when (EpochContext.IsUnvaluable(e)) { problems.Add(new(TraderCheckKind.Book, $"member {i}: {e.Message}")); return null; }
            shorts.Add(o.ShortValues);
        }
        return (books, shorts);
    }
}

/// <summary>The venue's notice signer (its Ed25519 receipt key).</summary>
internal sealed class VenueSigner(Ed25519PrivateKey key)
{
    public byte[] Sign(byte[] digest) => key.Sign(digest);
    public byte[] PublicKey => key.PublicKey.ToBytes();
}
