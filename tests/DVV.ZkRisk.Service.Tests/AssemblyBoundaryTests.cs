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
        Assert.Contains("DVV.ZkRisk.Epochs", refs);
        foreach (var banned in new[] { "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "Grpc.AspNetCore.Server", "DVV.ZkRisk.Venue", "DVV.ZkRisk.Service" })
            Assert.DoesNotContain(banned, refs);
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_server_exposes_no_venue_internals()
    {
        var server = typeof(ZkRiskServer);
        var props = server.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order().ToArray();
        Assert.Equal(["Address", "OperatorToken"], props);
        Assert.DoesNotContain(typeof(ZkRiskServer).Assembly.GetExportedTypes(), t => t.Name.EndsWith("Service") && t.Namespace!.EndsWith(".Services"));
    }
}
