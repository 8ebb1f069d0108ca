using System.Text.Json;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>Bundles written by an earlier main (tests/fixtures/bundles-7b8876b) still pass the audit and the trader's
/// check: the code may change, the bundle bytes, transcripts and signatures may not.</summary>
public sealed class BundleFixtureTests
{
    private static readonly string Dir = Path.Combine(Repo.Root, "tests", "fixtures", "bundles-7b8876b");
    private static readonly byte[] Root = Convert.FromHexString("ab60d87000cc3dac4f94442566358209379a0dae783ff9986ad7d282ae6b6857");

    [Fact]
    public void The_published_epochs_of_an_earlier_main_pass_the_audit_with_their_quorum()
    {
        var r = EpochAudit.Run(Dir, StatementSet.LoadDefault(), requireAttestations: true, new AuditTrust(Root));
        Assert.True(r.Ok, string.Join("\n", r.AllFindings));
        Assert.Equal([1UL, 2UL], r.Epochs.Select(e => e.Epoch));
        Assert.All(r.Epochs, e => Assert.StartsWith("quorum reached", e.Quorum));
        // pinned to another root, the same files fail
        var other = EpochAudit.Run(Dir, StatementSet.LoadDefault(), requireAttestations: true, new AuditTrust(new byte[32]));
        Assert.False(other.Ok);
    }

    [Fact]
    public void The_traders_check_of_an_earlier_main_still_holds()
    {
        var (epoch, report) = EpochAudit.VerifyOne(Path.Combine(Dir, "epoch-000002.bundle"), StatementSet.LoadDefault(), new AuditTrust(Root));
        Assert.True(epoch != null, string.Join("\n", report.AllFindings));
        var key = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "traders", "vault-000.key"))).RootElement.GetProperty("public_key").GetString()!;
        var opening = WireCodec.DecodeOpening(File.ReadAllBytes(Path.Combine(Dir, "traders", "vault-000.opening")));
        var notice = WireCodec.DecodeNotice(File.ReadAllBytes(Path.Combine(Dir, "traders", "vault-000.e2.notice")));
        Assert.Empty(Notices.TraderCheck(epoch!, Convert.FromHexString(key), opening, notice));
    }
}
