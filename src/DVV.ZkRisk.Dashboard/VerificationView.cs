using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>What verifying an epoch's bundle found: <see cref="State"/> is "valid" (every check of <see cref="BundleVerifier"/>
/// held, folded on its parent), "invalid" (the findings say what broke) or "pending" (not verified yet).</summary>
internal sealed record VerificationView(string State, IReadOnlyList<Finding> Findings, double VerifyMs, IReadOnlyDictionary<string, int> Counts)
{
    public static VerificationView Pending { get; } = new("pending", [], 0, new Dictionary<string, int>());

    public static VerificationView Of(VerificationResult r, IEnumerable<Finding>? more = null)
    {
        var findings = r.Findings.Concat(more ?? []).ToList();
        return new(findings.Count == 0 ? "valid" : "invalid", findings, r.Timings.TotalMs, r.Counts);
    }
}
