using System.CommandLine;
using DVV.ZkRisk.Client;
using Grpc.Core;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk export`: a venue's published chain as an audit directory (bundles, attestations, committee.json).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "the venue's address", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var output = new Option<string>("--out") { Description = "directory to write (created if missing; files of the same epochs are replaced)", Required = true };
        var from = new Option<ulong>("--from") { Description = "first epoch wanted (the export starts at the checkpoint it builds on)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("export", "Fetch a venue's published epochs as an audit directory for `dvv-zk audit`");
        cmd.Options.Add(server); cmd.Options.Add(output); cmd.Options.Add(from);
        cmd.SetAction(async (pr, ct) =>
        {
            if (!Uri.TryCreate(pr.GetValue(server), UriKind.Absolute, out var uri)) { Console.Error.WriteLine($"error: --server '{pr.GetValue(server)}' is not a URL"); return 2; }
            using var client = new ZkRiskClient(uri);
            AuditExport.Result? r = null;
            string? error = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                .StartAsync(async p =>
                {
                    var t = p.AddTask("epochs", maxValue: 1);
                    try
                    {
                        r = await AuditExport.WriteAsync(client, pr.GetValue(output)!, pr.GetValue(from),
                            new Progress<(ulong Epoch, ulong Last)>(x => { t.MaxValue = x.Last; t.Value = x.Epoch; t.Description = $"epoch {x.Epoch} of {x.Last}"; }), ct);
                    }
                    catch (RpcException e) { error = $"{e.StatusCode}: {e.Status.Detail}"; }
                    catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidDataException or IOException or UnauthorizedAccessException) { error = e.Message; }
                    t.StopTask();
                });
            if (error != null) { Console.Error.WriteLine($"error: {error}"); return 2; }
            Console.WriteLine($"wrote epochs {r!.FirstEpoch}..{r.LastEpoch}: {r.Bundles} bundles ({r.Bytes:N0} bytes), {r.Attestations} attestations{(r.Committee ? ", committee.json" : ", no committee (the venue runs without one)")} to {pr.GetValue(output)}");
            Console.WriteLine($"next: dvv-zk audit {pr.GetValue(output)} --governance <the governance root you trust>");
            return 0;
        });
        return cmd;
    }
}
