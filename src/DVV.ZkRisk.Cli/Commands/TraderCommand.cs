using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using RiskInputException = DVV.ZkRisk.Risk.RiskInputException;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Service;
using Grpc.Core;
using Google.Protobuf;
using Spectre.Console;
using DVV.ZkRisk.Cli.Demo;

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
        cmd.Subcommands.Add(Check());
        cmd.Subcommands.Add(Admit());
        return cmd;
    }

    internal static string AdmissionPath(string keyPath) => Path.ChangeExtension(keyPath, ".admission");

    /// <summary>`trader admit`: the onboarding authority signs a trader key's admission (issue 17 item 6).</summary>
    private static Command Admit()
    {
        var authority = new Option<string>("--authority") { Description = "the onboarding authority's key file (a `trader keygen` file)", Required = true };
        var traderKey = new Option<string?>("--trader-key") { Description = "the trader's key file (its public key is admitted)" };
        var traderPub = new Option<string?>("--trader") { Description = "or the trader's Ed25519 public key (hex)" };
        var output = new Option<string?>("--out") { Description = "where to write the admission (default: the trader key file with extension .admission)" };
        var cmd = new Command("admit", "Onboarding authority: sign the admission of a trader key (the venue counts only admitted keys)");
        cmd.Options.Add(authority); cmd.Options.Add(traderKey); cmd.Options.Add(traderPub); cmd.Options.Add(output);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var auth = LoadKey(pr.GetValue(authority)!);
            byte[] pub;
            string? outPath = pr.GetValue(output);
            if (pr.GetValue(traderKey) is { } tk) { pub = LoadKey(tk).PublicKey.ToBytes(); outPath ??= AdmissionPath(tk); }
            else if (pr.GetValue(traderPub) is { } hex)
            {
                if (!CliHex.TryParse(hex, 32, out pub, out var why)) return CliErrors.Fail($"--trader: {why}");
                if (!Ed25519PublicKey.TryFromBytes(pub, out _)) return CliErrors.Fail("--trader: not an Ed25519 public key");
                if (outPath is null) return CliErrors.Fail("--out is required with --trader");
            }
            else return CliErrors.Fail("give --trader-key or --trader");
            var a = DVV.ZkRisk.Protocol.Trust.Admissions.Issue(auth, pub, DateTimeOffset.UtcNow);
            File.WriteAllBytes(outPath, WireCodec.Encode(a));
            Console.WriteLine($"admitted {Convert.ToHexStringLower(pub)} by {auth.PublicKey}: {outPath}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>The opening a trader keeps next to its key after submitting (the venue's copy is sealed to the venue).</summary>
    internal static string OpeningPath(string keyPath) => Path.ChangeExtension(keyPath, ".opening");
    internal static string NoticePath(string keyPath, ulong epoch) => Path.ChangeExtension(keyPath, $".e{epoch}.notice");

    private static Command Check()
    {
        var bundleOpt = new Option<string>("--bundle") { Description = "the epoch bundle (its chain is read from the same directory) or a directory (its latest epoch)", Required = true };
        var keyOpt = new Option<string>("--key") { Description = "trader key file", Required = true };
        var openingOpt = new Option<string?>("--opening") { Description = "the trader's opening (default: KEY with extension .opening, written by `trader submit`)" };
        var noticeOpt = new Option<string?>("--notice") { Description = "the margin notice (default: KEY with extension .eN.notice when present)" };
        var json = new Option<bool>("--json") { Description = "JSON output" };
        var memberKeys = new Option<string[]>("--member-key") { Description = "a linked-account cluster's other member's key file (repeatable; its opening is read from KEY.opening): a cluster notice is the cluster's margin, recomputed from every member's opening", AllowMultipleArgumentsPerToken = false };
        var governance = EpochCommands.GovernanceOption();
        var cmd = new Command("check", "A trader checks an epoch: its inclusion (Merkle proof), that its commitments open to its own opening, its selection openings, and recomputes its own margin");
        cmd.Options.Add(bundleOpt); cmd.Options.Add(keyOpt); cmd.Options.Add(openingOpt); cmd.Options.Add(noticeOpt); cmd.Options.Add(json); cmd.Options.Add(governance); cmd.Options.Add(memberKeys);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var keyPath = pr.GetValue(keyOpt)!;
            var key = LoadKey(keyPath);
            var bundlePath = pr.GetValue(bundleOpt)!;
            if (!File.Exists(bundlePath) && !Directory.Exists(bundlePath)) return CliErrors.Fail($"{bundlePath}: no such file or directory");
            if (!EpochCommands.TryGovernance(pr.GetValue(governance), out var root, out var badRoot)) return CliErrors.Fail(badRoot!);
            var (epoch, report) = DVV.ZkRisk.Protocol.Verification.EpochAudit.VerifyOne(bundlePath, DVV.ZkRisk.Protocol.Sealing.StatementSet.LoadDefault(),
                new DVV.ZkRisk.Protocol.Verification.AuditTrust(root));
            var problems = new List<string>();
            var own = new List<DVV.ZkRisk.Protocol.Publication.TraderProblem>();
            if (epoch is null)
            {
                problems.AddRange(report.AllFindings.Select(f => "bundle: " + f));
                if (problems.Count == 0) problems.Add("bundle: nothing to check");
            }
            Opening? opening = null; MarginNotice? notice = null;
            var op = pr.GetValue(openingOpt) ?? OpeningPath(keyPath);
            if (File.Exists(op)) opening = WireCodec.DecodeOpening(File.ReadAllBytes(op));
            else if (pr.GetValue(openingOpt) != null) return CliErrors.Fail($"{op}: no such file");
            if (epoch != null)
            {
                var np = pr.GetValue(noticeOpt) ?? NoticePath(keyPath, epoch.Epoch);
                if (File.Exists(np)) notice = WireCodec.DecodeNotice(File.ReadAllBytes(np));
                else if (pr.GetValue(noticeOpt) != null) return CliErrors.Fail($"{np}: no such file");
                // a cluster member passes every member's opening in the cluster's key order (its own included)
                List<Opening>? members = null;
                var cluster = epoch.Bundle.Clusters.FirstOrDefault(c => c.Members.Any(m => m.Span.SequenceEqual(key.PublicKey.ToBytes())));
                if (cluster is not null && opening is not null && pr.GetValue(memberKeys) is { Length: > 0 } files)
                {
                    var byHex = new Dictionary<string, Opening>(StringComparer.Ordinal) { [Convert.ToHexStringLower(key.PublicKey.ToBytes())] = opening };
                    foreach (var f in files)
                    {
                        var mk = LoadKey(f);
                        var mo = OpeningPath(f);
                        if (!File.Exists(mo)) return CliErrors.Fail($"{mo}: no such file (the member's opening, written by `trader submit`)");
                        byHex[Convert.ToHexStringLower(mk.PublicKey.ToBytes())] = WireCodec.DecodeOpening(File.ReadAllBytes(mo));
                    }
                    var missing = cluster.Members.Select(m => Convert.ToHexStringLower(m.Span)).Where(h => !byHex.ContainsKey(h)).ToList();
                    if (missing.Count > 0) return CliErrors.Fail($"--member-key: the cluster also has {string.Join(", ", missing.Select(h => h[..16]))}: pass every member's key file");
                    members = cluster.Members.Select(m => byHex[Convert.ToHexStringLower(m.Span)]).ToList();
                }
                own.AddRange(DVV.ZkRisk.Protocol.Publication.Notices.TraderCheck(epoch, key.PublicKey.ToBytes(), opening, notice, members));
                problems.AddRange(own.Select(p => p.ToString()));
            }
            var checks = new List<(string, string)>
            {
                ("bundle chain verified", epoch is null ? "no" : $"yes (epoch {epoch.Epoch}, {report.Epochs.Count} bundle(s) folded)"),
                ("inclusion (Merkle proof)", epoch is null ? "-" : own.Any(p => p.Kind == DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Inclusion) ? "FAILED" : "ok"),
                ("commitments open to own opening", opening is null ? "not checked (no opening file)" : own.Any(p => p.Kind is DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Opening or DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Submission) ? "FAILED" : "ok"),
                ("selection openings and flags", notice is null ? "not checked (no notice file)" : own.Any(p => p.Kind is DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Selection or DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Notice) ? "FAILED" : "ok"),
                ("own margin recomputed", notice is null ? "not checked (no notice file)" : own.Any(p => p.Kind is DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Margin or DVV.ZkRisk.Protocol.Publication.TraderCheckKind.Book) ? "FAILED"
                    : notice.Unvalued ? $"ok: the venue could not value this book (named in the bundle, flagged in every shock): CAVB {notice.Cavb} USD, IM set by the venue by hand"
                    : $"ok: IM {notice.InitialMargin} + CAVB {notice.Cavb} = {notice.TotalMargin} USD"
                      + (notice.ClusterMembers.Count > 0 ? $" for the cluster of {notice.ClusterMembers.Count} linked accounts" : "")),
            };
            if (pr.GetValue(json))
            {
                var o = new System.Text.Json.Nodes.JsonObject
                {
                    ["ok"] = problems.Count == 0, ["trader"] = key.PublicKey.ToString(), ["epoch"] = epoch?.Epoch,
                    ["checks"] = new System.Text.Json.Nodes.JsonObject(checks.Select(c => new KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>(c.Item1, c.Item2))),
                    ["problems"] = new System.Text.Json.Nodes.JsonArray(problems.Select(p => (System.Text.Json.Nodes.JsonNode)p!).ToArray()),
                };
                Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var t = new Table().Title($"trader check: {Markup.Escape(key.PublicKey.ToString()[..16])}...").AddColumns("check", "result");
                foreach (var (c, r) in checks) t.AddRow(Markup.Escape(c), Markup.Escape(r));
                AnsiConsole.Write(t);
                foreach (var p in problems) AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/] {p}");
                if (problems.Count == 0) AnsiConsole.MarkupLine("[green]all holds[/]");
            }
            return problems.Count == 0 ? 0 : 1;
        }));
        return cmd;
    }

    private sealed record KeyFile(string ed25519_seed, string public_key);

    internal static void SaveKey(string path, Ed25519PrivateKey key)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(new KeyFile(Convert.ToHexStringLower(key.ToSeed()), key.PublicKey.ToString()), new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    internal static Ed25519PrivateKey LoadKey(string path)
    {
        var k = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty key file");
        if (k.ed25519_seed is null || k.ed25519_seed.Length != 64) throw new FormatException($"{path}: ed25519_seed must be 32 bytes of hex");
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
            var info = await client.GetEpochInfoAsync(0, TimeSpan.FromSeconds(10), ct);
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
        var admissionOpt = new Option<string?>("--admission") { Description = "the onboarding authority's admission of the key (default: the key file with extension .admission; `trader admit`)" };
        var linkedOpt = new Option<string[]>("--linked") { Description = "Ed25519 public key (hex) of another account this one is margined with as one (repeatable): a declared cluster forms when every account names the others", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("submit", "Commit, prove, seal, sign and submit a book; shows the venue's signed receipt");
        cmd.Options.Add(bookOpt); cmd.Options.Add(server); cmd.Options.Add(keyOpt); cmd.Options.Add(insecure); cmd.Options.Add(admissionOpt); cmd.Options.Add(linkedOpt);
        cmd.SetAction(async (pr, ct) =>
        {
            Ed25519PrivateKey key;
            byte[] book;
            Admission admission;
            var linked = new List<ReadOnlyMemory<byte>>();
            try
            {
                foreach (var h in pr.GetValue(linkedOpt) ?? [])
                {
                    byte[] k;
                    try { k = Convert.FromHexString(h); } catch (FormatException) { throw new FormatException($"--linked {h}: not hex"); }
                    if (k.Length != 32) throw new FormatException($"--linked {h}: {k.Length} bytes, not a 32-byte Ed25519 public key");
                    linked.Add(k);
                }
                key = LoadKey(pr.GetValue(keyOpt)!); book = await File.ReadAllBytesAsync(pr.GetValue(bookOpt)!, ct);
                // the book is checked here, before anything is sent: a bad file is a usage error naming the field
                try { OpeningBook.Parse(book); }
                catch (RiskInputException e) { throw new FormatException($"{pr.GetValue(bookOpt)}: {e.Message}"); }
                var ap = pr.GetValue(admissionOpt) ?? AdmissionPath(pr.GetValue(keyOpt)!);
                if (!File.Exists(ap)) throw new IOException($"{ap}: no admission (the onboarding authority issues it: `dvv-zk trader admit`)");
                admission = WireCodec.DecodeAdmission(await File.ReadAllBytesAsync(ap, ct));
            }
            catch (Exception e) when (e is IOException or FormatException or JsonException or UnauthorizedAccessException or InvalidProtocolBufferException)
            { AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}"); return 2; }

            using var client = new ZkRiskClient(new Uri(pr.GetValue(server)!), new ZkRiskClientOptions { ServerCertificateValidation = pr.GetValue(insecure) ? (_, _, _, _) => true : null });
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
                        info = await client.GetEpochInfoAsync(0, TimeSpan.FromSeconds(30), ct);
                        tInfo.Increment(1);
                        built = await Task.Run(() => sdk.Build(info, key, book, admission, new Progress<string>(s => { tBuild.Description = s; tBuild.Increment(1); }),
                            linkedAccounts: linked.Count > 0 ? linked : null), ct);
                        tBuild.Value = tBuild.MaxValue; tBuild.Description = "commit, prove, seal, sign";
                        receipt = await client.SubmitAsync(built.Submission, TimeSpan.FromSeconds(60), ct);
                        tSend.Increment(1);
                    }
                    catch (RpcException e) { error = $"{e.StatusCode}: {e.Status.Detail}"; }
                    catch (RiskInputException e) { error = $"book: {e.Message}"; }
                    catch (ArgumentException e) { error = $"--linked: {e.Message}"; }
                    foreach (var t in new[] { tInfo, tBuild, tSend }) t.StopTask();
                });
            if (error != null) { AnsiConsole.MarkupLineInterpolated($"[red]refused[/] {error}"); return 1; }
            bool receiptOk = TraderSdk.VerifyReceipt(receipt!, info!.VenueSigningPublicKey.Span, built!.Digest);
            await File.WriteAllBytesAsync(OpeningPath(pr.GetValue(keyOpt)!), WireCodec.Encode(built.Opening), ct);
            var table = new Table().AddColumns("field", "value");
            table.AddRow("epoch", receipt!.Epoch.ToString());
            table.AddRow("trader", Convert.ToHexStringLower(receipt.TraderPublicKey.Span));
            table.AddRow("submission digest", Convert.ToHexStringLower(receipt.SubmissionDigest.Span));
            table.AddRow("sequence", receipt.Sequence.ToString());
            table.AddRow("replaced previous", receipt.ReplacedPrevious ? "yes" : "no");
            if (built.Submission.LinkedAccounts.Count > 0) table.AddRow("linked accounts (declared)", built.Submission.LinkedAccounts.Count.ToString());
            table.AddRow("bands with exposure", built.Exposures.Short.Zip(built.Exposures.Long).Count(x => x.First + x.Second > 0) + " of " + built.Exposures.Count);
            table.AddRow("venue signature", receiptOk ? "[green]valid[/]" : "[red]INVALID[/]");
            AnsiConsole.Write(table);
            return receiptOk ? 0 : 1;
        });
        return cmd;
    }
}
