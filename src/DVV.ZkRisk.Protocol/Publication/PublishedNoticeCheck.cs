using DVV.ZkRisk.Crypto;
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
        if (!Notices.CheckIssued(epoch, notice, problems)) return problems;
        if (trader.Length != 32) { problems.Add(new(TraderCheckKind.Notice, $"trader_public_key must be 32 bytes, got {trader.Length}")); return problems; }
        if (!Notices.CheckInclusion(epoch, trader, problems)) return problems;

        epoch.State.TryGet(trader, out var st);
        int shocks = epoch.RiskParameters.ShockCount, bands = st!.Short.Length;
        if (!Notices.CheckShape(epoch, notice, bands, problems)) return problems;
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
        Notices.CheckCluster(epoch, self, notice, problems, out _);
        Notices.CheckUnvaluedLabel(epoch, self, notice, problems);
        return problems;
    }
}
