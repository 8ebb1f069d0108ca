using System.CommandLine;
using DVV.ZkRisk.Client;
using Grpc.Core;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk operator seal`: the venue operator's calls (Operator service), authorised by the server's operator.token.</summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "the venue's address", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var tokenFile = new Option<string>("--token-file") { Description = "the operator.token file `dvv-zk serve` wrote in its data directory", DefaultValueFactory = _ => "data/operator.token" };
        var seal = new Command("seal", "Seal the open epoch now and open the next (prints the bundle's hash, size and who could not be valued)");
        seal.Options.Add(server); seal.Options.Add(tokenFile);
        seal.SetAction(async (pr, ct) =>
        {
            string token;
            try { token = File.ReadAllText(pr.GetValue(tokenFile)!).Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return CliErrors.Fail($"--token-file: {e.Message}"); }
            if (!Uri.TryCreate(pr.GetValue(server), UriKind.Absolute, out var uri)) return CliErrors.Fail($"--server: '{pr.GetValue(server)}' is not an absolute URI");
            using var client = new ZkRiskClient(uri, new ZkRiskClientOptions { OperatorToken = token });
            try
            {
                var r = await client.SealEpochAsync(ct: ct);
                Console.WriteLine($"sealed epoch {r.Epoch} ({(r.Checkpoint ? "checkpoint" : "incremental")}): {r.TraderCount} traders, {r.NewSubmissions} new submissions, " +
                                  $"{r.Reissued} re-issued, bundle {Convert.ToHexStringLower(r.BundleHash.Span)}, {r.BundleBytes:N0} bytes, {r.SealMs:N0} ms");
                foreach (var u in r.Unvalued) Console.WriteLine($"unvalued: trader {u} (flagged in every shock by the conservative rule)");
                return 0;
            }
            catch (RpcException e) { return CliErrors.Fail($"{e.StatusCode}: {e.Status.Detail}"); }
            catch (HttpRequestException e) { return CliErrors.Fail($"cannot reach {uri}: {e.Message}"); }
        });
        var cmd = new Command("operator", "The venue operator's calls (authorised by the server's operator token)");
        cmd.Subcommands.Add(seal);
        return cmd;
    }
}
