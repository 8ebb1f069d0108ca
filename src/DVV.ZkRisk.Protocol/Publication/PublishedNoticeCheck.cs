using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Verification;

using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;

namespace DVV.ZkRisk.Protocol.Publication;

/// <summary>
/// What anyone holding a margin notice can check against a verified bundle without the trader's opening (its book and
/// blindings) or key: the dashboard's trader view, where the notice is pasted into a page served by someone else.
/// <list type="bullet">
/// <item>notice: for this epoch and bundle, signed by the venue key the epoch's governed parameters pin, well formed;</item>
/// <item>inclusion: the trader is a leaf of the bundle's Merkle tree and the proof verifies against merkle_root;</item>
/// <item>selection: for every shock the notice says is unflagged (lam = 0), every band's selection commitment opens to
/// zero with the notice's blinding, G_sb = rho_sb B~; for the flagged shocks, G_sb - rho_sb B~ is the same point in every
/// flagged shock of a band (it is (S_b + chi z_b) B, or S_b B before selection.v4, whatever the unknown S_b). So the flags
/// the notice states are the flags the bundle's proofs counted, up to the one thing only the opening tells: the values;</item>
/// <item>cluster and unvalued: the notice names the cluster the bundle margins the trader in, and is labelled unvalued
/// exactly when the bundle lists the book.</item>
/// </list>
/// The amounts (IM from the book, CAVB from the committed short exposure S_b) need the opening:
/// <see cref="Notices.TraderCheck(VerifiedEpoch, ReadOnlySpan{byte}, Records.Opening?, MarginNotice?)"/> recomputes them.
/// </summary>
public static class PublishedNoticeCheck
{
    /// <summary>The problems found (empty: every check above holds), each of a <see cref="TraderCheckKind"/>.</summary>
    public static IReadOnlyList<TraderProblem> Check(VerifiedEpoch epoch, MarginNotice notice)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(notice);
        var problems = new List<TraderProblem>();
        var trader = notice.TraderPublicKey.Span;
        if (notice.Epoch != epoch.Epoch || !notice.BundleHash.Span.SequenceEqual(epoch.BundleHash))
        {
            problems.Add(new(TraderCheckKind.Notice, $"for epoch {notice.Epoch}, bundle {Hex(notice.BundleHash.Span)}: not epoch {epoch.Epoch}'s published bundle {Hex(epoch.BundleHash)}"));
            return problems;
        }
        var venueKey = epoch.Bundle.Parameters!.VenueSigningKey.Span;
        if (!(Ed25519PublicKey.TryFromBytes(venueKey, out var vk) && vk!.Verify(Notices.Digest(notice), notice.VenueSignature.Span)))
            problems.Add(new(TraderCheckKind.Notice, venueKey.IsEmpty ? "the epoch's parameters pin no venue signing key to check the notice with"
                : "the venue signature does not verify against the venue key the epoch's parameters pin (the notice was altered or not issued by the venue)"));
        if (trader.Length != 32) { problems.Add(new(TraderCheckKind.Notice, $"trader_public_key must be 32 bytes, got {trader.Length}")); return problems; }

        var inc = epoch.State.Inclusion(trader);
        if (inc is null) { problems.Add(new(TraderCheckKind.Inclusion, $"trader {Hex(trader)} is not in epoch {epoch.Epoch}'s Merkle tree")); return problems; }
        if (!DVV.ZkRisk.Crypto.Merkle.MerkleTree.Verify(epoch.Bundle.MerkleRoot.ToArray(), inc.Value.Leaf, inc.Value.Proof))
            problems.Add(new(TraderCheckKind.Inclusion, "the inclusion proof does not verify against the bundle's Merkle root"));

        epoch.State.TryGet(trader, out var st);
        int shocks = epoch.RiskParameters.ShockCount, bands = st!.Short.Length;
        if (notice.LiquidationFlags.Count != shocks || notice.SelectionOpenings.Count != shocks * bands)
        {
            problems.Add(new(TraderCheckKind.Notice, $"needs {shocks} flags and {shocks * bands} selection openings, has {notice.LiquidationFlags.Count} and {notice.SelectionOpenings.Count}"));
            return problems;
        }
        var pc = PedersenGens.Default;
        string G = epoch.CombinesCells ? "G" : "D";
        var flaggedValue = new RistrettoPoint?[bands];   // (S_b + chi z_b) B of the first flagged shock
        for (int s = 0; s < shocks && !problems.Exists(p => p.Kind == TraderCheckKind.Selection); s++)
            for (int b = 0; b < bands; b++)
            {
                var valuePart = st.Selected![s][b] - pc.MulBlinding(notice.SelectionOpenings[s * bands + b]);
                if (!notice.LiquidationFlags[s])
                {
                    if (!valuePart.IsIdentity)
                    { problems.Add(new(TraderCheckKind.Selection, $"{G}[s={s}, b={b}] does not open to 0 with the notice's blinding, yet the notice says the trader is not flagged in shock {s} (the bundle counted another flag)")); break; }
                }
                else if (flaggedValue[b] is { } first)
                {
                    if (valuePart != first)
                    { problems.Add(new(TraderCheckKind.Selection, $"{G}[s={s}, b={b}] with the notice's blinding selects another value than the trader's other flagged shocks (the bundle counted another flag)")); break; }
                }
                else flaggedValue[b] = valuePart;
            }

        string self = Convert.ToHexStringLower(trader);
        var cluster = epoch.Bundle.Clusters.FirstOrDefault(c => c.Members.Any(m => Convert.ToHexStringLower(m.Span) == self));
        var members = cluster?.Members ?? [];
        if (notice.ClusterMembers.Count != members.Count || !notice.ClusterMembers.Zip(members).All(p => p.First.Span.SequenceEqual(p.Second.Span)))
            problems.Add(new(TraderCheckKind.Cluster, cluster is null ? "the notice names a cluster but the bundle margins the trader alone"
                : $"the bundle margins the trader in a cluster of {members.Count} accounts, the notice names {notice.ClusterMembers.Count}"));
        bool listed = epoch.Unvalued.Contains(self);
        if (notice.Unvalued != listed)
            problems.Add(new(TraderCheckKind.Notice, listed ? "the bundle lists the book as unvalued but the notice charges a margin"
                : "says the book is unvalued but the bundle does not list it"));
        return problems;
    }

    private static string Hex(ReadOnlySpan<byte> b) => b.IsEmpty ? "(none)" : Convert.ToHexStringLower(b)[..Math.Min(16, 2 * b.Length)] + "...";
}
