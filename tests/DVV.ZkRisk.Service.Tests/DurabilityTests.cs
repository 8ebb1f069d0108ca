using System.Collections.Concurrent;
using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Venue.Storage;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Client;
using Grpc.Core;
using Google.Protobuf;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// The server runs as its own process (dotnet dvv-zk.dll serve); it is SIGKILLed while clients submit, restarted on the
/// same data directory, and every acknowledged submission must be there intact, nothing unacknowledged half-written.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-dur-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _started = [];

    private readonly DVV.ZkRisk.Crypto.Signing.Ed25519PrivateKey _onboarding = DVV.ZkRisk.Crypto.Signing.Ed25519PrivateKey.Generate();

    private (Process P, Uri Address) StartServer()
    {
        var psi = DvvZk.StartInfo("serve", "--listen", "127.0.0.1:0", "--data", _dir, "--onboarding-key", Convert.ToHexStringLower(_onboarding.PublicKey.ToBytes()));
        var p = Process.Start(psi)!;
        _started.Add(p);
        _ = p.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("server exited before listening");
            if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                _ = p.StandardOutput.ReadToEndAsync();
                return (p, new Uri(line["listening on ".Length..].Trim()));
            }
        }
        throw new TimeoutException("server did not print its address");
    }

    [Fact]
    public async Task SIGKILL_while_submitting_loses_nothing_acknowledged_and_leaves_nothing_half_written()
    {
        var (server, address) = StartServer();
        EpochInfo info;
        using (var c = new ZkRiskClient(address)) info = await c.GetEpochInfoAsync(0, TimeSpan.FromSeconds(30));
        var sdk = new TraderSdk(ProofSystems.Default);
        const int traders = 6, each = 4;   // real Bulletproofs: building is the slow part
        var keys = Enumerable.Range(0, traders).Select(_ => Ed25519PrivateKey.Generate()).ToArray();
        var work = new BuiltSubmission[traders][];
        Parallel.For(0, traders, i => work[i] = Enumerable.Range(0, each).Select(j => sdk.Build(info, keys[i], SampleBooks.Generate(new Random(i * 100 + j),
            info.Parameters.ReferenceForward, DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, true),
            DVV.ZkRisk.Protocol.Trust.Admissions.Issue(_onboarding, keys[i].PublicKey.ToBytes(), DateTimeOffset.UtcNow))).ToArray());

        var acked = new ConcurrentDictionary<string, Receipt>();
        int killAt = traders * each / 3;
        var killed = new TaskCompletionSource();
        var clients = await Task.WhenAll(Enumerable.Range(0, traders).Select(async i =>
        {
            using var c = new ZkRiskClient(address);
            foreach (var b in work[i])
            {
                try
                {
                    var r = await c.SubmitAsync(b.Submission, TimeSpan.FromSeconds(30));
                    acked[Convert.ToHexStringLower(b.Digest)] = r;
                    if (acked.Count >= killAt && killed.TrySetResult()) server.Kill();   // SIGKILL on Linux
                }
                catch (RpcException) { return 0; }
            }
            return 1;
        }));
        Assert.True(killed.Task.IsCompleted, "the server was never killed");
        server.WaitForExit(10_000);
        Assert.True(server.HasExited);
        Assert.NotEqual(0, server.ExitCode);
        Assert.True(acked.Count >= killAt);

        // restart on the same directory: every acknowledged submission is there with the very receipt the client got
        var (server2, address2) = StartServer();
        using (var c = new ZkRiskClient(address2))
        {
            foreach (var (digest, receipt) in acked)
                Assert.Equal(WireCodec.Encode(receipt), WireCodec.Encode(await c.GetReceiptAsync(Convert.FromHexString(digest), TimeSpan.FromSeconds(30))));
            Assert.Equal(info.VenueSigningPublicKey.ToArray(), (await c.GetEpochInfoAsync()).VenueSigningPublicKey.ToArray());   // same venue keys
        }
        server2.Kill();
        server2.WaitForExit(10_000);

        // and the store holds only whole submissions: each parses, opens, carries a receipt signed over its digest
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var store = new SqliteStore(_dir);
        await store.InitializeAsync();
        var all = await store.ListAllSubmissionsAsync();
        Assert.True(all.Count >= acked.Count);
        var venue = Ed25519PublicKey.FromBytes(info.VenueSigningPublicKey.Span);
        var built = work.SelectMany(w => w).ToDictionary(b => Convert.ToHexStringLower(b.Digest));
        foreach (var s in all)
        {
            var hex = Convert.ToHexStringLower(s.Digest);
            Assert.True(built.ContainsKey(hex), "unknown submission in the store");
            Assert.Equal(WireCodec.Encode(built[hex].Submission), s.SubmissionBytes);
            Assert.Equal(WireCodec.Encode(built[hex].Opening), s.OpeningBytes);
            var r = WireCodec.DecodeReceipt(s.ReceiptBytes);
            Assert.Equal(s.Digest, r.SubmissionDigest.ToArray());
            Assert.Equal((ulong)s.Sequence, r.Sequence);
            Assert.True(venue.Verify(SubmissionDigest.Receipt(r), r.VenueSignature.Span));
        }
        // one live submission per trader: its latest stored one
        var live = await store.ListLiveSubmissionsAsync(info.Epoch);
        foreach (var g in all.GroupBy(s => Convert.ToHexStringLower(s.Trader)))
            Assert.Equal(g.Max(s => s.Sequence), live.Single(l => Convert.ToHexStringLower(l.Trader) == g.Key).Sequence);
        await using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Path}"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string)(await cmd.ExecuteScalarAsync())!);
        }
    }

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try { if (!p.HasExited) { p.Kill(); p.WaitForExit(10_000); } } catch (InvalidOperationException) { }
            p.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
