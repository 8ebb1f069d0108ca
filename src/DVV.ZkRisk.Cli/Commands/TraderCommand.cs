using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Epochs.Book;
using DVV.ZkRisk.Epochs.Proofs;
using DVV.ZkRisk.Epochs.Submissions;
using DVV.ZkRisk.Service;
using DVV.ZkRisk.Service.Grpc;
using Spectre.Console;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk trader keygen | sample-book | submit`: the trader's side.</summary>
internal static class TraderCommand
{
    public static Command Create()
    {
        var cmd = new Command("trader", "Trader tools: keys, sample books, submissions");
        cmd.Subcommands.Add(Keygen());
        cmd.Subcommands.Add(SampleBook());
        cmd.Subcommands.Add(Submit());
        return cmd;
    }

    private sealed record KeyFile(string ed25519_seed, string public_key);

    internal static Ed25519PrivateKey LoadKey(string path)
    {
        var k = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty key file");
        return Ed25519PrivateKey.FromSeed(Convert.FromHexString(k.ed25519_seed));
    }

    private static Command Keygen()
    {
        var output = new Option<string>("--out") { Description = "key file to write", DefaultValueFactory = _ => "trader.key" };
        var force = new Option<bool>("--force") { Description = "overwrite an existing key file" };
        var cmd = new Command("keygen", "Generate an Ed25519 trader key");
        cmd.Options.Add(output); cmd.Options.Add(force);
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(output)!;
            if (File.Exists(path) && !pr.GetValue(force)) { Console.Error.WriteLine($"{path} exists (use --force)"); return 2; }
            var key = Ed25519PrivateKey.Generate();
            var json = JsonSerializer.Serialize(new KeyFile(Convert.ToHexStringLower(key.ToSeed()), key.PublicKey.ToString()), new JsonSerializerOptions { WriteIndented = true });
            File.WriteAllText(path, json);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"public key {key.PublicKey}");
            return 0;
        });
        return cmd;
    }

    private static Command SampleBook()
    {
        var output = new Option<string>("--out") { Description = "book file to write", DefaultValueFactory = _ => "book.json" };
        var server = new Option<string>("--server") { Description = "service URL (the book is centred on its epoch's forward and valuation time)", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var n = new Option<int>("--positions") { Description = "number of option positions", DefaultValueFactory = _ => 24 };
        var seed = new Option<int?>("--seed") { Description = "random seed" };
        var cmd = new Command("sample-book", "Write a plausible option book for the current epoch");
        cmd.Options.Add(output); cmd.Options.Add(server); cmd.Options.Add(n); cmd.Options.Add(seed);
        cmd.SetAction(async (pr, ct) =>
        {
            using var client = new ZkRiskClient(new Uri(pr.GetValue(server)!));
            var info = await client.GetEpochInfoAsync(0, new CallOptions(TimeSpan.FromSeconds(10), ct));
            var rng = pr.GetValue(seed) is { } s ? new Random(s) : new Random();
            var book = SampleBooks.Generate(rng, info.Parameters.ReferenceForward, DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), pr.GetValue(n));
            await File.WriteAllBytesAsync(pr.GetValue(output)!, book, ct);
            Console.WriteLine($"wrote {pr.GetValue(output)} ({pr.GetValue(n)} options, epoch {info.Epoch}, forward {info.Parameters.ReferenceForward})");
            return 0;
        });
        return cmd;
    }

    private static Command Submit()
    {
        var bookOpt = new Option<string>("--book") { Description = "position book (JSON)", Required = true };
        var server = new Option<string>("--server") { Description = "service URL (http:// = h2c, https:// = TLS)", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var keyOpt = new Option<string>("--key") { Description = "trader key file (dvv-zk trader keygen)", DefaultValueFactory = _ => "trader.key" };
        var insecure = new Option<bool>("--insecure") { Description = "https: accept any server certificate (testing only)" };
        var cmd = new Command("submit", "Commit, prove, seal, sign and submit a book; shows the venue's signed receipt");
        cmd.Options.Add(bookOpt); cmd.Options.Add(server); cmd.Options.Add(keyOpt); cmd.Options.Add(insecure);
        cmd.SetAction(async (pr, ct) =>
        {
            Ed25519PrivateKey key;
            byte[] book;
            try { key = LoadKey(pr.GetValue(keyOpt)!); book = await File.ReadAllBytesAsync(pr.GetValue(bookOpt)!, ct); }
            catch (Exception e) when (e is IOException or FormatException or JsonException or UnauthorizedAccessException)
            { AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}"); return 2; }

            using var client = new ZkRiskClient(new Uri(pr.GetValue(server)!), pr.GetValue(insecure) ? (_, _, _, _) => true : null);
            var sdk = new TraderSdk(ProofSystems.Default);
            EpochInfo? info = null; BuiltSubmission? built = null; Receipt? receipt = null; string? error = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                .StartAsync(async p =>
                {
                    var tInfo = p.AddTask("epoch info", maxValue: 1);
                    var tBuild = p.AddTask("commit, prove, seal, sign", maxValue: 5);
                    var tSend = p.AddTask("submit and wait for receipt", maxValue: 1);
                    try
                    {
                        info = await client.GetEpochInfoAsync(0, new CallOptions(TimeSpan.FromSeconds(30), ct));
                        tInfo.Increment(1);
                        built = await Task.Run(() => sdk.Build(info, key, book, new Progress<string>(s => { tBuild.Description = s; tBuild.Increment(1); })), ct);
                        tBuild.Value = tBuild.MaxValue; tBuild.Description = "commit, prove, seal, sign";
                        receipt = await client.SubmitAsync(built.Submission, new CallOptions(TimeSpan.FromSeconds(60), ct));
                        tSend.Increment(1);
                    }
                    catch (RpcException e) { error = $"{e.Status}: {e.Detail}"; }
                    catch (BookFormatException e) { error = $"book: {e.Message}"; }
                    foreach (var t in new[] { tInfo, tBuild, tSend }) t.StopTask();
                });
            if (error != null) { AnsiConsole.MarkupLineInterpolated($"[red]refused[/] {error}"); return 1; }
            bool receiptOk = TraderSdk.VerifyReceipt(receipt!, info!.VenueSigningPublicKey.Span, built!.Digest);
            var table = new Table().AddColumns("field", "value");
            table.AddRow("epoch", receipt!.Epoch.ToString());
            table.AddRow("trader", Convert.ToHexStringLower(receipt.TraderPublicKey.Span));
            table.AddRow("submission digest", Convert.ToHexStringLower(receipt.SubmissionDigest.Span));
            table.AddRow("sequence", receipt.Sequence.ToString());
            table.AddRow("replaced previous", receipt.ReplacedPrevious ? "yes" : "no");
            table.AddRow("bands with exposure", built.Exposures.Short.Zip(built.Exposures.Long).Count(x => x.First + x.Second > 0) + " of " + built.Exposures.BandCount);
            table.AddRow("venue signature", receiptOk ? "[green]valid[/]" : "[red]INVALID[/]");
            AnsiConsole.Write(table);
            return receiptOk ? 0 : 1;
        });
        return cmd;
    }
}
