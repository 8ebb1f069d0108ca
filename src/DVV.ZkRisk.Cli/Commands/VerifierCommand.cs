using System.CommandLine;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Service;
using Grpc.Core;
using Google.Protobuf;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk verifier attest`: a committee member checks a sealed epoch (and its chain back to the checkpoint,
/// fetched with Epochs.GetEpoch) and only then sends its BLS attestation.</summary>
internal static class VerifierCommand
{
    public static Command Create()
    {
        var cmd = new Command("verifier", "Verifier committee member tools");
        var server = new Option<string>("--server") { Description = "service URL", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var sk = new Option<string>("--sk") { Description = "the member's BLS secret key (hex, `dvv-zk bls keygen`)", Required = true };
        var index = new Option<int>("--index") { Description = "the member's index in committee.json", Required = true };
        var epoch = new Option<ulong>("--epoch") { Description = "epoch to attest (0: the latest sealed)", DefaultValueFactory = _ => 0 };
        var governance = EpochCommands.GovernanceOption();
        var fromCheckpoint = new Option<bool>("--from-checkpoint") { Description = "fold from the last checkpoint only, trusting its carried state (default: from epoch 1, checking every fold)" };
        var attest = new Command("attest", "Fetch a sealed bundle and its chain, verify everything, attest when it holds");
        attest.Options.Add(server); attest.Options.Add(sk); attest.Options.Add(index); attest.Options.Add(epoch); attest.Options.Add(governance); attest.Options.Add(fromCheckpoint);
        attest.SetAction(async (pr, ct) =>
        {
            if (!CliHex.TryParse(pr.GetValue(sk)!, 32, out var skBytes, out var why)) return CliErrors.Fail($"--sk: {why}");
            if (!EpochCommands.TryGovernance(pr.GetValue(governance), out var root, out var badRoot)) return CliErrors.Fail(badRoot!);
            BlsSecretKey key;
            try { key = BlsSecretKey.FromBytes(skBytes); }
            catch (Exception e) when (e is not OutOfMemoryException) { return CliErrors.Fail($"--sk: {e.Message}"); }
            using (key)
            using (var client = new ZkRiskClient(new Uri(pr.GetValue(server)!)))
            {
                try
                {
                    var o = TimeSpan.FromSeconds(120);
                    var target = await client.GetEpochAsync(pr.GetValue(epoch), o, ct);
                    var chain = new List<EpochBundle> { target };
                    bool fromCp = pr.GetValue(fromCheckpoint);
                    while (chain[0].Epoch > 1 && !(fromCp && chain[0].Checkpoint)) chain.Insert(0, await client.GetEpochAsync(chain[0].Epoch - 1, o, ct));
                    var fold = new ChainFold(new BundleVerifier(StatementSet.LoadDefault(), root));
                    VerificationResult? r = null;
                    foreach (var b in chain)
                    {
                        r = fold.Add(b);
                        if (!r.IsValid) break;
                    }
                    var trusted = fold.Trusted;
                    if (!r!.IsValid)
                    {
                        foreach (var f in r.Findings) AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/] epoch {r.Bundle.Epoch}: {f}");
                        Console.WriteLine("not attesting");
                        return 1;
                    }
                    foreach (var x in trusted) AnsiConsole.MarkupLineInterpolated($"[yellow]TRUSTED[/] {x}");
                    var att = DVV.ZkRisk.Crypto.Bls12381.Attestation.Create(key, pr.GetValue(index), target.Epoch, target.BundleHash.Span);
                    var resp = await client.AttestAsync(new DVV.ZkRisk.Api.V1.Attestation
                    {
                        Epoch = target.Epoch, BundleHash = ByteString.CopyFrom(target.BundleHash.Span), VerifierIndex = (uint)pr.GetValue(index),
                        BlsPublicKey = ByteString.CopyFrom(key.PublicKey.ToBytes()), BlsSignature = ByteString.CopyFrom(att.Signature.ToBytes()),
                    }, o, ct);
                    Console.WriteLine($"epoch {target.Epoch}: bundle {Convert.ToHexStringLower(target.BundleHash.Span)} verified ({chain.Count} bundle(s) from the checkpoint); attested: {resp.Attestations} of {resp.Quorum}{(resp.Published ? ", published" : "")}");
                    return 0;
                }
                catch (RpcException e) { return CliErrors.Fail($"{e.StatusCode}: {e.Status.Detail}"); }
                catch (HttpRequestException e) { return CliErrors.Fail($"cannot reach {pr.GetValue(server)}: {e.Message}"); }
            }
        });
        cmd.Subcommands.Add(attest);
        return cmd;
    }
}
