using System.Security.Cryptography;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Venue.Storage;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The storage contract, run unchanged against SQLite and PostgreSQL.</summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private protected IStore Store = null!;
    private protected abstract Task<IStore> CreateAsync();
    protected virtual Task DestroyAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateAsync();
        await Store.InitializeAsync();
        await Store.InitializeAsync();   // idempotent
        Assert.True(await Store.TryCreateEpochAsync(Epoch(1)));
    }

    public async Task DisposeAsync()
    {
        await DestroyAsync();
        await Store.DisposeAsync();
    }

    private protected static EpochRecord Epoch(ulong n, EpochStatus s = EpochStatus.Open) =>
        new(n, s, [1, 2, 3, (byte)n], SHA256.HashData(BitConverter.GetBytes(n)), 1_700_000_000_000 + (long)n);

    private static PendingSubmission Pending(ulong epoch, byte[] trader, byte tag = 0) =>
        new(epoch, trader, RandomNumberGenerator.GetBytes(32), [0x0a, tag, 1, 2, 3], [0x12, tag], 1_700_000_000_123);

    private static byte[] Trader() => RandomNumberGenerator.GetBytes(32);

    private static ReceiptFactory Receipt(string tag = "r") => (seq, replaced) => System.Text.Encoding.ASCII.GetBytes($"{tag}:{seq}:{replaced}");

    [Fact]
    public async Task Epochs_are_created_once_and_read_back()
    {
        Assert.False(await Store.TryCreateEpochAsync(Epoch(1)));
        var e = await Store.GetEpochAsync(1);
        Assert.NotNull(e);
        Assert.Equal(EpochStatus.Open, e!.Status);
        Assert.Equal(Epoch(1).ParameterHash, e.ParameterHash);
        Assert.Equal(Epoch(1).ParameterSet, e.ParameterSet);
        Assert.Null(await Store.GetEpochAsync(2));
        Assert.Null(await Store.GetEpochAsync(ulong.MaxValue));
        Assert.Equal(1UL, (await Store.GetLatestEpochAsync())!.Epoch);
    }

    [Fact]
    public async Task Close_and_open_is_atomic_and_only_from_open()
    {
        Assert.True(await Store.CloseAndOpenAsync(1, Epoch(2)));
        Assert.Equal(EpochStatus.Sealed, (await Store.GetEpochAsync(1))!.Status);
        Assert.Equal(2UL, (await Store.GetLatestEpochAsync())!.Epoch);
        Assert.False(await Store.CloseAndOpenAsync(1, Epoch(3)));   // 1 is no longer open
        Assert.Null(await Store.GetEpochAsync(3));                   // and nothing half-done
    }

    [Fact]
    public async Task Commit_stores_everything_with_its_receipt()
    {
        var t = Trader();
        var p = Pending(1, t);
        var r = await Store.CommitSubmissionAsync(p, Receipt());
        Assert.Equal(CommitOutcome.Committed, r.Outcome);
        Assert.False(r.Replaced);
        var s = await Store.GetSubmissionAsync(p.Digest);
        Assert.NotNull(s);
        Assert.Equal(p.SubmissionBytes, s!.SubmissionBytes);
        Assert.Equal(p.OpeningBytes, s.OpeningBytes);
        Assert.Equal(r.ReceiptBytes, s.ReceiptBytes);
        Assert.Equal($"r:{r.Sequence}:False", System.Text.Encoding.ASCII.GetString(s.ReceiptBytes));
        Assert.True(s.Live);
        Assert.Equal(p.Digest, (await Store.GetLiveSubmissionAsync(1, t))!.Digest);
    }

    [Fact]
    public async Task Resubmission_replaces_the_live_one_atomically_and_keeps_history()
    {
        var t = Trader();
        var a = Pending(1, t, 1);
        var b = Pending(1, t, 2);
        var ra = await Store.CommitSubmissionAsync(a, Receipt());
        var rb = await Store.CommitSubmissionAsync(b, Receipt());
        Assert.True(rb.Replaced);
        Assert.True(rb.Sequence > ra.Sequence);
        Assert.Equal(b.Digest, (await Store.GetLiveSubmissionAsync(1, t))!.Digest);
        Assert.Single(await Store.ListLiveSubmissionsAsync(1));
        Assert.False((await Store.GetSubmissionAsync(a.Digest))!.Live);
        Assert.Equal(2, (await Store.ListAllSubmissionsAsync()).Count);
    }

    [Fact]
    public async Task Replay_of_a_digest_is_refused_even_after_replacement_and_changes_nothing()
    {
        var t = Trader();
        var a = Pending(1, t, 1);
        await Store.CommitSubmissionAsync(a, Receipt());
        var b = Pending(1, t, 2);
        await Store.CommitSubmissionAsync(b, Receipt());
        bool called = false;
        var again = await Store.CommitSubmissionAsync(a with { SubmissionBytes = [9] }, (s, r) => { called = true; return [1]; });
        Assert.Equal(CommitOutcome.Replay, again.Outcome);
        Assert.False(called);
        Assert.Equal(b.Digest, (await Store.GetLiveSubmissionAsync(1, t))!.Digest);
        Assert.Equal(2, (await Store.ListAllSubmissionsAsync()).Count);
        Assert.Equal(a.SubmissionBytes, (await Store.GetSubmissionAsync(a.Digest))!.SubmissionBytes);
    }

    [Fact]
    public async Task Unknown_or_closed_epochs_store_nothing()
    {
        var r = await Store.CommitSubmissionAsync(Pending(7, Trader()), Receipt());
        Assert.Equal(CommitOutcome.EpochUnknown, r.Outcome);
        await Store.CloseAndOpenAsync(1, Epoch(2));
        var late = await Store.CommitSubmissionAsync(Pending(1, Trader()), Receipt());
        Assert.Equal(CommitOutcome.EpochNotOpen, late.Outcome);
        Assert.Equal(EpochStatus.Sealed, late.Status);
        Assert.Empty(await Store.ListAllSubmissionsAsync());
    }

    /// <summary>Issue 13: one transaction for a batch, each item decided as if committed alone in batch order.</summary>
    [Fact]
    public async Task A_group_commit_decides_each_item_as_if_alone_and_stores_them_in_one_transaction()
    {
        var (ta, tb) = (Trader(), Trader());
        var a = Pending(1, ta, 1);
        var b1 = Pending(1, tb, 1);
        var b2 = Pending(1, tb, 2);
        var batch = new[]
        {
            new PendingCommit(a, Receipt()),
            new PendingCommit(b1, Receipt()),
            new PendingCommit(a with { SubmissionBytes = [7] }, Receipt()),   // the same digest again inside the batch
            new PendingCommit(b2, Receipt()),                                  // trader b again: replaces b1
            new PendingCommit(Pending(9, Trader()), Receipt()),                // an unknown epoch
        };
        var r = await Store.CommitSubmissionsAsync(batch);
        Assert.Equal([CommitOutcome.Committed, CommitOutcome.Committed, CommitOutcome.Replay, CommitOutcome.Committed, CommitOutcome.EpochUnknown],
            r.Select(x => x.Outcome));
        Assert.False(r[1].Replaced);
        Assert.True(r[3].Replaced);
        Assert.True(r[3].Sequence > r[1].Sequence);
        Assert.Equal(b2.Digest, (await Store.GetLiveSubmissionAsync(1, tb))!.Digest);
        Assert.Equal(a.SubmissionBytes, (await Store.GetSubmissionAsync(a.Digest))!.SubmissionBytes);
        Assert.Equal(3, (await Store.ListAllSubmissionsAsync()).Count);
        foreach (var i in new[] { 0, 1, 3 })
            Assert.Equal($"r:{r[i].Sequence}:{r[i].Replaced}", System.Text.Encoding.ASCII.GetString((await Store.GetSubmissionAsync(batch[i].Submission.Digest))!.ReceiptBytes));
    }

    [Fact]
    public async Task A_group_commit_whose_receipt_factory_throws_stores_none_of_its_items()
    {
        var ok = Pending(1, Trader());
        var bad = Pending(1, Trader());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitSubmissionsAsync(
            [new PendingCommit(ok, Receipt()), new PendingCommit(bad, (_, _) => throw new InvalidOperationException("signer down"))]));
        Assert.Empty(await Store.ListAllSubmissionsAsync());
        Assert.Equal(CommitOutcome.Committed, (await Store.CommitSubmissionAsync(ok, Receipt())).Outcome);
    }

    [Fact]
    public async Task A_throwing_receipt_factory_rolls_the_whole_commit_back()
    {
        var p = Pending(1, Trader());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitSubmissionAsync(p, (_, _) => throw new InvalidOperationException("signer down")));
        Assert.Null(await Store.GetSubmissionAsync(p.Digest));
        Assert.Empty(await Store.ListLiveSubmissionsAsync(1));
        // and the digest is not burnt: the same submission can be committed afterwards
        Assert.Equal(CommitOutcome.Committed, (await Store.CommitSubmissionAsync(p, Receipt())).Outcome);
    }

    [Fact]
    public async Task Concurrent_commits_from_many_traders_all_land_with_distinct_sequences()
    {
        var traders = Enumerable.Range(0, 16).Select(_ => Trader()).ToArray();
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => Store.CommitSubmissionAsync(Pending(1, traders[i % 16], (byte)i), Receipt()))));
        Assert.All(results, r => Assert.Equal(CommitOutcome.Committed, r.Outcome));
        Assert.Equal(64, results.Select(r => r.Sequence).Distinct().Count());
        Assert.Equal(64, (await Store.ListAllSubmissionsAsync()).Count);
        var live = await Store.ListLiveSubmissionsAsync(1);
        Assert.Equal(16, live.Count);
        // the live one per trader is that trader's highest sequence
        var all = await Store.ListAllSubmissionsAsync();
        foreach (var t in traders)
            Assert.Equal(all.Where(s => s.Trader.SequenceEqual(t)).Max(s => s.Sequence), live.Single(s => s.Trader.SequenceEqual(t)).Sequence);
    }

    [Fact]
    public async Task Meta_first_writer_wins()
    {
        var a = await Store.GetOrAddMetaAsync("k", [1]);
        var b = await Store.GetOrAddMetaAsync("k", [2]);
        Assert.Equal([1], a);
        Assert.Equal([1], b);
    }
}

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-store-" + Guid.NewGuid().ToString("N"));

    private protected override Task<IStore> CreateAsync() => Task.FromResult<IStore>(new SqliteStore(_dir));

    protected override Task DestroyAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Uses_WAL_and_synchronous_FULL()
    {
        var (sync, mode) = await ((SqliteStore)Store).PragmasAsync();
        Assert.Equal(2, sync);            // FULL
        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task Survives_reopening()
    {
        var p = new PendingSubmission(1, new byte[32], RandomNumberGenerator.GetBytes(32), [1], [2], 5);
        await Store.CommitSubmissionAsync(p, (s, r) => [7]);
        await using var again = new SqliteStore(_dir);
        await again.InitializeAsync();
        Assert.Equal([7], (await again.GetSubmissionAsync(p.Digest))!.ReceiptBytes);
    }
}

public sealed class PostgresStoreContractTests : StoreContractTests
{
    public const string EnvVar = "DVV_ZKRISK_PG";
    private PostgresStore? _pg;
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The PostgreSQL connection string test.sh exports; missing is a failure, never a skip.</summary>
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException($"{EnvVar} is not set: PostgreSQL tests need a server (./test.sh starts one){(Environment.GetEnvironmentVariable("CI") == "true" ? " [CI]" : "")}");

    private protected override Task<IStore> CreateAsync()
    {
        _pg = new PostgresStore(ConnectionString(), _schema);
        return Task.FromResult<IStore>(_pg);
    }

    protected override async Task DestroyAsync()
    {
        if (_pg != null) await _pg.DropSchemaAsync();
    }

    [Fact]
    public async Task Two_replicas_share_one_store_and_one_replay_set()
    {
        await using var replica = new PostgresStore(ConnectionString(), _schema);
        await replica.InitializeAsync();
        var p = new PendingSubmission(1, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), [1], [2], 5);
        Assert.Equal(CommitOutcome.Committed, (await Store.CommitSubmissionAsync(p, (s, r) => [7])).Outcome);
        Assert.Equal([7], (await replica.GetSubmissionAsync(p.Digest))!.ReceiptBytes);
        Assert.Equal(CommitOutcome.Replay, (await replica.CommitSubmissionAsync(p, (s, r) => [8])).Outcome);
        // the same digest raced through both replicas lands once
        var q = p with { Digest = RandomNumberGenerator.GetBytes(32) };
        var both = await Task.WhenAll(Task.Run(() => Store.CommitSubmissionAsync(q, (s, r) => [1])), Task.Run(() => replica.CommitSubmissionAsync(q, (s, r) => [2])));
        Assert.Equal(1, both.Count(r => r.Outcome == CommitOutcome.Committed));
        Assert.Equal(1, both.Count(r => r.Outcome == CommitOutcome.Replay));
        Assert.Equal(await Store.GetOrAddMetaAsync("venue", [1]), await replica.GetOrAddMetaAsync("venue", [2]));
    }
}
