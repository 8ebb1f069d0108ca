using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>Where an epoch's attestation quorum stands: <see cref="State"/> is "published" (an aggregated attestation of at
/// least the threshold verified against the committee), "awaiting" (sealed, not yet attested by a quorum), "invalid" (an
/// aggregated attestation that does not verify) or "unchecked" (no committee to check against); the signers by name.</summary>
internal sealed record QuorumView(string State, int Attestations, int Threshold, IReadOnlyList<string> Signers, string Text)
{
    public static QuorumView Unchecked(string why) => new("unchecked", 0, 0, [], why);

    /// <summary>Checks <paramref name="aggregated"/> (the bytes of an AggregatedAttestation; null: none yet) for the epoch's
    /// bundle against <paramref name="committee"/> (BLS FastAggregateVerify, <see cref="QuorumCheck"/>).</summary>
    public static QuorumView Of(VerifierCommittee? committee, byte[]? aggregated, ulong epoch, ReadOnlySpan<byte> bundleHash)
    {
        if (committee is null) return Unchecked("no verifier committee is configured");
        if (aggregated is null) return new("awaiting", 0, committee.Threshold, [], $"awaiting attestations (threshold {committee.Threshold} of {committee.Size})");
        AggregatedAttestation a;
        try { a = AggregatedAttestation.FromBytes(aggregated); }
        catch (Exception e) when (e is not OutOfMemoryException)   // FormatException, BlsEncodingException: bytes from the store or a file
        { return new("invalid", 0, committee.Threshold, [], "the aggregated attestation does not decode: " + e.Message); }
        var q = QuorumCheck.Verify(committee, a, epoch, bundleHash);
        var signers = a.Signers.Length == committee.Size ? a.Signers.Indices.Select(i => Name(committee, i)).ToList() : [];
        return q.IsValid
            ? new("published", signers.Count, committee.Threshold, signers, $"{signers.Count} of {committee.Size} attested (threshold {committee.Threshold})")
            : new("invalid", signers.Count, committee.Threshold, signers, $"{q.Failure}: {q.Reason}");
    }

    /// <summary>The quorum as an offline audit found it (<see cref="EpochAudit"/>): the audit checked it against the committee the
    /// governed parameters pin; the signers are read from the attestation it checked.</summary>
    public static QuorumView FromAudit(AuditReport report, AuditedEpoch e)
    {
        var c = report.Committee;
        if (e.Quorum.StartsWith("quorum reached", StringComparison.Ordinal) && c != null && e.Attestation != null)
            return Of(c, e.Attestation, e.Epoch, Convert.FromHexString(e.BundleHash));
        var why = string.Join("; ", e.Findings.Where(f => f.Kind == FindingKind.Attestation).Select(f => $"{f.Where}: {f.Message}"));
        return e.Quorum switch
        {
            "not checked" => Unchecked(c is null ? "no committee.json to check attestations against" : "no aggregated attestation"),
            "missing" => new("awaiting", 0, c?.Threshold ?? 0, [], why.Length > 0 ? why : "no aggregated attestation: the epoch was not published"),
            _ => new("invalid", 0, c?.Threshold ?? 0, [], why.Length > 0 ? why : e.Quorum),
        };
    }

    /// <summary>A committee member as the page names it: its registered name, else its index.</summary>
    public static string Name(VerifierCommittee c, int i) => string.IsNullOrEmpty(c.Members[i].Name) ? $"member {i}" : c.Members[i].Name;
}
