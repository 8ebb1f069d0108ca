using System.Text.Json.Nodes;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>Where the page's data comes from and what it is anchored to: shown in its header.</summary>
/// <param name="Source">e.g. "venue service" or "offline audit of dvv-demo/"</param>
/// <param name="GovernanceRoot">the root the chain's first bundle must declare (pinned by the auditor, or the venue's own)</param>
/// <param name="Trusted">what the verification took on trust (the audit's list)</param>
internal sealed record ChainSource(string Source, byte[]? GovernanceRoot, VerifierCommittee? Committee, IReadOnlyList<string> Trusted, bool Live);

/// <summary>The chain of sealed epochs as JSON (GET /api/chain, and the offline report's data): one row per epoch, newest
/// first, with the numbers a risk officer reads off it. Amounts and sizes carry their unit in the field name.</summary>
internal static class ChainJson
{
    public static JsonObject Of(ChainSource source, IReadOnlyList<EpochEntry> entries, IReadOnlyList<ulong> pending)
    {
        var rows = new JsonArray();
        foreach (var e in entries.OrderByDescending(e => e.Epoch)) rows.Add(Row(e));
        return new JsonObject
        {
            ["source"] = source.Source,
            ["live"] = source.Live,
            ["generatedAtUnixMs"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["governanceRoot"] = source.GovernanceRoot is { } g ? Convert.ToHexStringLower(g) : null,
            ["committee"] = source.Committee is { } c ? new JsonObject
            {
                ["id"] = Convert.ToHexStringLower(c.CommitteeId), ["threshold"] = c.Threshold,
                ["members"] = new JsonArray(c.Members.Select(m => (JsonNode)QuorumView.Name(c, m.Index)).ToArray()),
            } : null,
            ["trusted"] = new JsonArray(source.Trusted.Select(t => (JsonNode)t).ToArray()),
            ["pending"] = new JsonArray(pending.OrderDescending().Select(p => (JsonNode)p).ToArray()),
            ["epochs"] = rows,
        };
    }

    public static JsonObject Row(EpochEntry e)
    {
        var b = e.Bundle;
        return new JsonObject
        {
            ["epoch"] = e.Epoch,
            ["bundleHash"] = Convert.ToHexStringLower(b.BundleHash.Span),
            // the first bundle links to no parent (an empty or all-zero hash)
            ["parentHash"] = b.PreviousBundleHash.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(b.PreviousBundleHash.Span),
            ["kind"] = b.Checkpoint ? "checkpoint" : "incremental",
            ["checkpointEpoch"] = b.CheckpointEpoch,
            ["bundleBytes"] = e.BundleBytes,
            ["traders"] = b.TraderCount,
            ["submissions"] = b.Submissions.Count,
            ["clusters"] = b.Clusters.Count,
            ["unvalued"] = b.Unvalued.Count,
            ["sealedAtUnixMs"] = b.SealedAtUnixMs,
            ["quorum"] = new JsonObject
            {
                ["state"] = e.Quorum.State, ["attestations"] = e.Quorum.Attestations, ["threshold"] = e.Quorum.Threshold,
                ["signers"] = new JsonArray(e.Quorum.Signers.Select(s => (JsonNode)s).ToArray()), ["text"] = e.Quorum.Text,
            },
            ["verification"] = new JsonObject
            {
                ["state"] = e.Verification.State,
                ["verifyMs"] = Math.Round(e.Verification.VerifyMs, 1),
                ["checked"] = new JsonObject(e.Verification.Counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Value))),
                ["findings"] = Findings(e.Verification.Findings),
            },
        };
    }

    /// <summary>Findings as JSON, {check, where, message} each: the page's and `audit --json`'s one form.</summary>
    public static JsonArray Findings(IEnumerable<Finding> findings) =>
        new(findings.Select(f => (JsonNode)new JsonObject { ["check"] = f.Check, ["where"] = f.Where, ["message"] = f.Message }).ToArray());
}
