using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>How the malicious-venue tests judge a bundle: the verifier must refuse it with a finding of the named check,
/// and the audit (EpochAudit over the bundle files, with the pinned governance) must name the check too.</summary>
internal static class VenueAttackChecks
{
    public static void AssertFinding(VerificationResult r, string check, string? contains = null)
    {
        Assert.False(r.IsValid);
        Assert.Null(r.Verified);
        Assert.True(r.Findings.Any(f => f.Check == check && (contains is null || f.ToString().Contains(contains))),
            $"expected '{check}'{(contains is null ? "" : $" mentioning {contains}")}, got:\n{string.Join("\n", r.Findings)}");
    }

    /// <summary>The audit's view: the bundles as files in a directory, folded by EpochAudit with the pinned governance.</summary>
    public static AuditReport Audit(EpochFixture fx, params EpochBundle[] chain)
    {
        var dir = Directory.CreateTempSubdirectory("dvv-adv-").FullName;
        try
        {
            foreach (var b in chain) File.WriteAllBytes(Path.Combine(dir, BundleFormat.FileName(b.Epoch)), WireCodec.Encode(b));
            return EpochAudit.Run(dir, fx.Statements, requireAttestations: false, new AuditTrust(fx.Authorities.RootHash));
        }
        finally { Directory.Delete(dir, true); }
    }

    public static void AssertAuditNames(AuditReport r, string check)
    {
        Assert.False(r.Ok);
        Assert.True(r.AllFindings.Any(f => f.Check == check), $"audit: expected '{check}', got:\n{string.Join("\n", r.AllFindings)}");
    }
}
