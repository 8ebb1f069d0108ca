using System.Text.Json.Nodes;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// `dvv-zk audit --html report.html`: the dashboard's views of an audited chain as one self-contained file, readable
/// offline with nothing else: the page's script and style inlined, the chain, every epoch's detail and its two LSF charts
/// (SVG) embedded as JSON in a script element of type application/json. The JSON is serialised with the default encoder,
/// which escapes '&lt;', '&gt;' and '&amp;', so no string in it can close the element. The trader view says to use
/// `dvv-zk trader check` instead: checking a notice needs a server (or the CLI) to do the group arithmetic.
/// </summary>
internal static class OfflineReport
{
    public static string Build(AuditReport report, byte[]? governanceRoot)
    {
        var source = new ChainSource($"offline audit of {report.Path}", governanceRoot, report.Committee, report.Trusted, Live: false);
        var entries = report.Epochs.Select(e => new EpochEntry(e.Epoch, e.Result.Bundle, e.BundleBytes, QuorumView.FromAudit(report, e),
            VerificationView.Of(e.Result, e.Findings.Where(f => f.Kind != FindingKind.Attestation && !e.Result.Findings.Contains(f))), e.Result.Verified)).ToList();
        var chain = ChainJson.Of(source, entries, []);
        if (report.Problems.Count > 0)
            chain["problems"] = ChainJson.Findings(report.Problems);
        var epochs = new JsonObject();
        var charts = new JsonObject();
        foreach (var e in entries)
        {
            epochs[e.Epoch.ToString()] = EpochJson.Of(e);
            if (e.Curve is { } curve)
                charts[e.Epoch.ToString()] = new JsonObject { ["volume"] = curve.VolumeSvg(), ["multiplier"] = curve.MultiplierSvg() };
        }
        var data = new JsonObject { ["chain"] = chain, ["epochs"] = epochs, ["charts"] = charts }.ToJsonString();
        string html = DashboardAssets.Text("index.html")!;
        html = Replace(html, "<link rel=\"stylesheet\" href=\"dashboard.css\">", "<style>\n" + DashboardAssets.Text("dashboard.css") + "</style>");
        html = Replace(html, "<script id=\"dvv-data\" type=\"application/json\">null</script>", "<script id=\"dvv-data\" type=\"application/json\">" + data + "</script>");
        html = Replace(html, "<script src=\"dashboard.js\"></script>", "<script>\n" + DashboardAssets.Text("dashboard.js") + "</script>");
        return html;
    }

    private static string Replace(string html, string what, string with)
    {
        int i = html.IndexOf(what, StringComparison.Ordinal);
        if (i < 0) throw new InvalidOperationException($"index.html no longer holds {what}");
        return string.Concat(html.AsSpan(0, i), with, html.AsSpan(i + what.Length));
    }
}
