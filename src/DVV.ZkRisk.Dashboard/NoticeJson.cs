using System.Text.Json.Nodes;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// The trader view (POST /api/notice/check): a margin notice, pasted or uploaded, checked against the epoch's published,
/// verified bundle. Without the trader's key, ever. With the notice alone, <see cref="PublishedNoticeCheck"/> (venue
/// signature, inclusion, selection openings against the stated flags, cluster, unvalued label); with the trader's opening
/// as well (its book and blindings, which the venue holds already through the sealed opening of the submission), the
/// trader's full check <see cref="Notices.TraderCheck(Protocol.Verification.VerifiedEpoch, ReadOnlySpan{byte}, Opening?, MarginNotice?)"/>,
/// which recomputes IM, CAVB and the total.
/// </summary>
internal static class NoticeJson
{
    /// <summary>Largest notice or opening accepted (a notice is about 13 KB, an opening under 8 KB plus its book).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Messages listed per check; more are counted.</summary>
    public const int MaxProblemsPerCheck = 5;

    public static MarginNotice DecodeNotice(byte[] bytes)
    {
        if (bytes.Length == 0) throw new DashboardInputException("notice", "is empty: paste the notice (base64 or hex of the .notice file) or upload the file");
        try { return WireCodec.DecodeNotice(bytes); }
        catch (WireDecodeException e) { throw new DashboardInputException("notice", "not a MarginNotice: " + e.Message); }
    }

    public static Opening? DecodeOpening(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0) return null;
        try { return WireCodec.DecodeOpening(bytes); }
        catch (WireDecodeException e) { throw new DashboardInputException("opening", "not an Opening: " + e.Message); }
    }

    /// <param name="entry">the notice's epoch as the page has it; null: not sealed here</param>
    public static JsonObject Check(EpochEntry? entry, MarginNotice notice, Opening? opening)
    {
        if (entry is null) throw new DashboardInputException("notice.epoch", $"epoch {notice.Epoch} has no sealed bundle here", notFound: true);
        if (entry.Verified is not { } v)
            throw new DashboardInputException("notice.epoch", $"epoch {notice.Epoch}'s bundle {(entry.Verification.State == "pending" ? "is still being verified" : "did not verify")}: there is nothing proven to check the notice against", notFound: entry.Verification.State == "pending");
        var problems = PublishedNoticeCheck.Check(v, notice).ToList();
        bool recomputed = false;
        if (opening != null && problems.Count == 0 && notice.TraderPublicKey.Length == 32)
        {
            // the full check: the opening must open the bundle's commitments, then the amounts are recomputed
            problems.AddRange(Notices.TraderCheck(v, notice.TraderPublicKey.Span, opening, notice));
            recomputed = !problems.Exists(p => p.Kind is TraderCheckKind.Opening or TraderCheckKind.Submission or TraderCheckKind.Cluster or TraderCheckKind.Book);
        }
        JsonObject Line(string name, string what, params TraderCheckKind[] kinds)
        {
            var mine = problems.Where(p => kinds.Contains(p.Kind)).Select(p => p.Message).ToList();
            // a wrong opening fails every band: the first few say enough
            if (mine.Count > MaxProblemsPerCheck) mine = [.. mine.Take(MaxProblemsPerCheck), $"and {mine.Count - MaxProblemsPerCheck} more of the same kind"];
            return new JsonObject
            {
                ["name"] = name, ["what"] = what, ["ok"] = mine.Count == 0,
                ["problems"] = new JsonArray(mine.Select(p => (JsonNode)p).ToArray()),
            };
        }
        JsonObject NotRun(string name, string what, string why) => new()
            { ["name"] = name, ["what"] = what, ["ok"] = null, ["problems"] = new JsonArray((JsonNode)why) };
        const string MarginWhat = "IM, CAVB and the total recompute from the book and the proven aggregates";
        var checks = new JsonArray
        {
            Line("notice", "for this epoch's published bundle, signed by the venue key its governed parameters pin", TraderCheckKind.Notice),
            Line("inclusion", "the trader is a leaf of the bundle's Merkle tree", TraderCheckKind.Inclusion),
            Line("selection", "every selection commitment opens to the notice's flags with the notice's blindings", TraderCheckKind.Selection),
            Line("cluster", "the notice names the linked-account cluster the bundle margins the trader in", TraderCheckKind.Cluster),
        };
        if (opening != null)
        {
            checks.Add(Line("opening", "the opening opens the trader's commitments in the bundle (the venue counted this submission)", TraderCheckKind.Opening, TraderCheckKind.Submission, TraderCheckKind.Book));
            checks.Add(recomputed ? Line("margin", MarginWhat, TraderCheckKind.Margin)
                : NotRun("margin", MarginWhat, "not recomputed: the checks above must hold first"));
        }
        else
            checks.Add(NotRun("margin", MarginWhat, "not recomputed: add the opening file (the book and blindings) to recompute the amounts, or run `dvv-zk trader check` with your key"));
        return new JsonObject
        {
            ["epoch"] = notice.Epoch,
            ["trader"] = Convert.ToHexStringLower(notice.TraderPublicKey.Span),
            ["ok"] = problems.Count == 0,
            ["recomputed"] = recomputed && problems.Count == 0,
            ["amounts"] = new JsonObject
            {
                ["initialMarginUsd"] = notice.InitialMargin, ["maintenanceMarginUsd"] = notice.MaintenanceMargin,
                ["cavbUsd"] = notice.Cavb, ["totalMarginUsd"] = notice.TotalMargin,
            },
            ["unvalued"] = notice.Unvalued,
            ["flags"] = new JsonArray(notice.LiquidationFlags.Select(f => (JsonNode)f).ToArray()),
            ["clusterMembers"] = notice.ClusterMembers.Count,
            ["checks"] = checks,
        };
    }
}
