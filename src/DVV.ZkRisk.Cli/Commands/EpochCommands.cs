using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DVV.ZkRisk.Epochs.Sealing;
using DVV.ZkRisk.Epochs.Verification;
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
        var cmd = new Command(name, description);
        cmd.Arguments.Add(path); cmd.Options.Add(json); cmd.Options.Add(circuits);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var p = pr.GetValue(path)!;
            if (!File.Exists(p) && !Directory.Exists(p)) return CliErrors.Fail($"{p}: no such file or directory");
            var statements = pr.GetValue(circuits) is { } c ? StatementSet.Load(c) : StatementSet.LoadDefault();
            var report = EpochAudit.Run(p, statements, requireAttestations);
            if (pr.GetValue(json)) Console.WriteLine(ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(report, name);
            return report.Ok ? 0 : 1;
        }));
        return cmd;
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
                ["findings"] = new JsonArray(e.Findings.Select(f => (JsonNode)new JsonObject { ["check"] = f.Check, ["where"] = f.Where, ["message"] = f.Message }).ToArray()),
            });
        }
        return new JsonObject
        {
            ["path"] = r.Path, ["ok"] = r.Ok, ["epochs"] = epochs,
            ["problems"] = new JsonArray(r.Problems.Select(f => (JsonNode)new JsonObject { ["check"] = f.Check, ["where"] = f.Where, ["message"] = f.Message }).ToArray()),
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
        foreach (var f in r.AllFindings) AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/] {f.Check}: {f.Where}: {f.Message}");
        if (r.Ok) AnsiConsole.MarkupLine($"[green]all holds[/]: {r.Epochs.Count} epoch(s); every signature, range proof, selection proof, sum proof, Merkle root, chain link, parameter and statement hash checked");
        else Console.WriteLine($"FAILED: {r.AllFindings.Count()} finding(s); first: {r.AllFindings.FirstOrDefault()}");
    }
}
