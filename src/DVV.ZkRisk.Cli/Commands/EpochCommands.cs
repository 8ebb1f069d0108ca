using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk verify &lt;bundle&gt;` and `dvv-zk audit &lt;bundle-or-dir&gt;`: offline checks of epoch bundles.
/// Exit 0 only when everything holds, 1 naming what broke, 2 for unusable input.</summary>
internal static class EpochCommands
{
    public static Command Verify() => Create("verify", "Check an epoch bundle completely (folding its chain from the last checkpoint in the same directory)", requireAttestations: false);

    public static Command Audit() => Create("audit", "Re-check published epochs offline: every bundle of a directory (or one bundle and its chain) and each epoch's attestation quorum against committee.json", requireAttestations: true);

    private static Command Create(string name, string description, bool requireAttestations)
    {
        var path = new Argument<string>(requireAttestations ? "bundle-or-dir" : "bundle") { Description = "an epoch bundle file (epoch-NNNNNN.bundle) or a directory of them" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var circuits = new Option<string?>("--circuits") { Description = "statement definitions to check against (default: the circuits/ this program ships with)" };
        var governance = GovernanceOption();
        var committee = new Option<string?>("--committee") { Description = "the verifier committee registry to check attestations with (default: committee.json next to the bundles); it must be the committee the governed parameters pin" };
        var maxBytes = new Option<long>("--max-bundle-bytes") { Description = "refuse bundle files larger than this", DefaultValueFactory = _ => EpochAudit.MaxBundleBytes };
        var html = new Option<string?>("--html") { Description = "also write the dashboard's views of the checked chain (epochs, heatmaps, LSF curves, parameters) as one self-contained offline HTML file" };
        var cmd = new Command(name, description);
        cmd.Options.Add(html);
        cmd.Arguments.Add(path); cmd.Options.Add(json); cmd.Options.Add(circuits); cmd.Options.Add(governance); cmd.Options.Add(committee); cmd.Options.Add(maxBytes);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var p = pr.GetValue(path)!;
            if (!File.Exists(p) && !Directory.Exists(p)) return CliErrors.Fail($"{p}: no such file or directory");
            var statements = pr.GetValue(circuits) is { } c ? StatementSet.Load(c) : StatementSet.LoadDefault();
            if (!TryGovernance(pr.GetValue(governance), out var root, out var bad)) return CliErrors.Fail(bad!);
            if (requireAttestations && root is null && pr.GetValue(committee) is null)
                return CliErrors.Fail("audit needs a trust root it did not get from the venue: --governance <hex> (the governance committee's root hash) and/or --committee <file>");
            if (pr.GetValue(maxBytes) <= 0) return CliErrors.Fail("--max-bundle-bytes must be positive");
            EpochAudit.MaxBundleBytes = pr.GetValue(maxBytes);
            var report = EpochAudit.Run(p, statements, requireAttestations, new AuditTrust(root, pr.GetValue(committee)));
            if (pr.GetValue(html) is { } htmlPath)
            {
                File.WriteAllText(htmlPath, DVV.ZkRisk.Dashboard.OfflineReport.Build(report, root));
                if (!pr.GetValue(json)) Console.WriteLine($"wrote {htmlPath} ({new FileInfo(htmlPath).Length:N0} bytes, {report.Epochs.Count} epochs): open it in a browser, no server needed");
            }
            if (pr.GetValue(json)) Console.WriteLine(ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(report, name);
            return report.Ok ? 0 : 1;
        }));
        return cmd;
    }

    internal static Option<string?> GovernanceOption() => new("--governance")
    { Description = "the governance root hash (64 hex digits) the chain's first bundle must declare; without it that governance is taken on trust and the report says so" };

    internal static bool TryGovernance(string? hex, out byte[]? root, out string? error)
    {
        root = null; error = null;
        if (hex is null) return true;
        if (!CliHex.TryParse(hex, 32, out var b, out var why)) { error = $"--governance: {why}"; return false; }
        root = b;
        return true;
    }

    internal static JsonObject ToJson(AuditReport r)
    {
        var epochs = new JsonArray();
        foreach (var e in r.Epochs)
        {
            var counts = new JsonObject();
            foreach (var (k, v) in e.Result.Counts) counts[k] = v;
            epochs.Add(new JsonObject
            {
                ["epoch"] = e.Epoch, ["file"] = e.File, ["bundleHash"] = e.BundleHash, ["checkpoint"] = e.Checkpoint, ["traders"] = e.Traders,
                ["submissions"] = e.Submissions, ["bundleBytes"] = e.BundleBytes, ["bytesPerTrader"] = e.Traders == 0 ? 0 : Math.Round((double)e.BundleBytes / e.Traders, 1),
                ["valid"] = e.Ok, ["quorum"] = e.Quorum, ["checked"] = counts, ["verifyMs"] = Math.Round(e.Result.Timings.TotalMs, 1),
                ["findings"] = DVV.ZkRisk.Dashboard.ChainJson.Findings(e.Findings),
            });
        }
        return new JsonObject
        {
            ["path"] = r.Path, ["ok"] = r.Ok, ["epochs"] = epochs,
            ["trusted"] = new JsonArray(r.Trusted.Select(x => (JsonNode)x).ToArray()),
            ["problems"] = DVV.ZkRisk.Dashboard.ChainJson.Findings(r.Problems),
        };
    }

    private static void Print(AuditReport r, string verb)
    {
        var t = new Table().Title($"{verb}: {Markup.Escape(r.Path)}").AddColumns("epoch", "kind", "traders", "subs", "B/trader", "sigs", "range", "select", "sum", "quorum", "result");
        foreach (var e in r.Epochs)
        {
            int C(string k) => e.Result.Counts.TryGetValue(k, out var v) ? v : 0;
            string q = e.Quorum.StartsWith("quorum reached") ? "ok" : e.Quorum.Split(':')[0];
            t.AddRow(e.Epoch.ToString(), e.Checkpoint ? "ckpt" : "incr", e.Traders.ToString(), e.Submissions.ToString(),
                e.Traders == 0 ? "-" : (e.BundleBytes / (double)e.Traders).ToString("N0"), C("signatures").ToString(), C("range_proofs").ToString(),
                C("selection_proofs").ToString(), C("sum_proofs").ToString(), Markup.Escape(q),
                e.Ok ? "[green]valid[/]" : $"[red]{e.Findings.Count} broken[/]");
        }
        AnsiConsole.Write(t);
        foreach (var e in r.Epochs) Console.WriteLine($"epoch {e.Epoch}: bundle {e.BundleHash}, {e.Quorum}");
        foreach (var e in r.Epochs)
            foreach (var u in e.Result.Bundle.Unvalued)
                AnsiConsole.MarkupLineInterpolated($"[yellow]UNVALUED[/] epoch {e.Epoch}: trader {Convert.ToHexStringLower(u.TraderPublicKey.Span)[..16]} could not be valued; flagged in every shock by the conservative rule (checked)");
        foreach (var x in r.Trusted) AnsiConsole.MarkupLineInterpolated($"[yellow]TRUSTED[/] {x}");
        foreach (var f in r.AllFindings) AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/] {f.Check}: {f.Where}: {f.Message}");
        if (r.Ok) AnsiConsole.MarkupLine($"[green]all holds[/]: {r.Epochs.Count} epoch(s); every signature, admission, range proof, selection proof, sum proof, Merkle root, fold, chain link, governance quorum, parameter and statement hash checked");
        else Console.WriteLine($"FAILED: {r.AllFindings.Count()} finding(s); first: {r.AllFindings.FirstOrDefault()}");
    }
}
