using System.Reflection;
using DVV.ZkRisk.Client;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>A trader's or verifier's application references DVV.ZkRisk.Client; what it pulls in must not include the
/// venue's server stack or database drivers (issue 11).</summary>
public sealed class AssemblyBoundaryTests
{
    /// <summary>Every assembly reachable from <paramref name="root"/> through references, ours and third-party.</summary>
    private static HashSet<string> Closure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<AssemblyName>([root.GetName()]);
        while (todo.Count > 0)
        {
            var n = todo.Pop();
            if (!seen.Add(n.Name!)) continue;
            if (n.Name!.StartsWith("System.", StringComparison.Ordinal) || n.Name is "System" or "netstandard" or "mscorlib") continue;
            Assembly a;
            try { a = Assembly.Load(n); } catch (FileNotFoundException) { continue; }
            foreach (var r in a.GetReferencedAssemblies()) todo.Push(r);
        }
        return seen;
    }

    [Fact]
    public void The_client_library_pulls_in_neither_ASP_NET_Core_nor_a_database_driver_nor_the_venue()
    {
        var refs = Closure(typeof(ZkRiskClient).Assembly);
        Assert.Contains("Grpc.Net.Client", refs);
        Assert.Contains("DVV.ZkRisk.Protocol", refs);
        foreach (var banned in new[] { "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "Grpc.AspNetCore.Server", "DVV.ZkRisk.Venue", "DVV.ZkRisk.Service" })
            Assert.DoesNotContain(banned, refs);
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        // nor does the epoch layer itself (the trader SDK, verifier and audit)
        var epochs = Closure(typeof(DVV.ZkRisk.Protocol.EpochContext).Assembly);
        foreach (var banned in new[] { "Npgsql", "Microsoft.Data.Sqlite", "Grpc.AspNetCore.Server", "Grpc.Net.Client", "Grpc.Core.Api", "Google.Protobuf", "DVV.ZkRisk.Api", "DVV.ZkRisk.Venue" })
            Assert.DoesNotContain(banned, epochs);
        // the venue works on the typed records too: protobuf is compiled in DVV.ZkRisk.Api, referenced by the service and the client only
        var venue = Closure(Assembly.Load("DVV.ZkRisk.Venue"));
        foreach (var banned in new[] { "Google.Protobuf", "DVV.ZkRisk.Api", "Grpc.AspNetCore.Server", "Grpc.Net.Client" })
            Assert.DoesNotContain(banned, venue);
        Assert.DoesNotContain(epochs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_server_exposes_no_venue_internals()
    {
        var server = typeof(ZkRiskServer);
        var props = server.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order().ToArray();
        Assert.Equal(["Address", "DashboardAddress", "OperatorToken"], props);
        Assert.DoesNotContain(typeof(ZkRiskServer).Assembly.GetExportedTypes(), t => t.Name.EndsWith("Service") && t.Namespace!.EndsWith(".Services"));
    }

    /// <summary>Issue 12: public only what a user needs. The venue assembly (gateway, sealing, publication, storage) is
    /// the server's and exports nothing; the epoch layer exports what a trader, verifier or auditor calls (the generated
    /// wire types aside), a list this test keeps so that growing it is a reviewed decision; no exported type holds the
    /// venue's secrets.</summary>
    [Fact]
    public void Each_assembly_exports_what_its_users_need_and_no_secrets()
    {
        Assert.Empty(Assembly.Load("DVV.ZkRisk.Venue").GetExportedTypes());
        var epochs = Assembly.Load("DVV.ZkRisk.Protocol").GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "AccountCluster", "Admission", "Admissions", "AggregatedRangeProof", "AuditReport", "AuditTrust", "AuditedEpoch",
            "BandAggregate", "BandGridDeclaration", "BuiltSubmission", "BundleFormat", "BundleVerifier", "ChainFold",
            "ClusterKind", "Commitment", "ConservativeFlags", "DomainLabels", "EpochAudit", "EpochAuthorities",
            "EpochBundle", "EpochContext", "EpochInfo", "EpochParameters", "EpochState", "EpochStatus", "Finding",
            "FindingKind", "FindingKinds", "FlagCoefficients", "Governance", "GovernanceRules", "GovernanceSignature",
            "ISubmissionProofSystem", "LinkedAccounts", "MarginNotice", "MarginNoticeRequest", "MarketParameters", "Notices", "Opening",
            "OpeningBook", "OwnMargin", "Parameters", "ProofEncodingException", "ProofSystems",
            "PublishedNoticeCheck", "PublishedStatement", "RangeProofContext", "Receipt", "SealResult", "SealTimings", "SealedBox", "SelectionPart", "StatementSet",
            "Submission", "SubmissionDigest", "SviSliceParameters", "TraderCheckKind", "TraderFlagProof", "TraderProblem", "TraderSdk",
            "TraderState", "VerificationResult", "VerifiedEpoch", "VerifyTimings", "WireCodec", "WireDecodeException",
            "WithheldRemainder",
        }, epochs);
        // the wire assembly: the generated messages and stubs, and the one mapping between them and the records
        var api = Assembly.Load("DVV.ZkRisk.Api").GetExportedTypes().Where(t => t.Namespace != "DVV.ZkRisk.Api.V1").Select(t => t.Name).ToArray();
        Assert.Equal(["WireMapping"], api);
        foreach (var name in new[] { "TraderSecrets", "EpochSealer", "SealInput", "VenueSigner", "RistrettoProofSystem", "CanonicalHash" })
            Assert.DoesNotContain(name, epochs);
        Assert.DoesNotContain(typeof(ZkRiskServer).Assembly.GetExportedTypes(), t => t.Name is "VenueKeys" or "IStore");
        // the dashboard's views are the service's and the CLI's business only
        Assert.Empty(Assembly.Load("DVV.ZkRisk.Dashboard").GetExportedTypes());
    }
}
