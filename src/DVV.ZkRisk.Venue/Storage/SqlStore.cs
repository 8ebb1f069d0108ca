using System.Data.Common;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Venue.Storage;

/// <summary>The SQL shared by the SQLite and PostgreSQL stores (both speak ON CONFLICT ... RETURNING).</summary>
internal abstract class SqlStore : IStore
{
    public abstract string Backend { get; }
    protected abstract string Schema { get; }
    /// <summary>Row lock on the epoch inside a commit (PostgreSQL: FOR SHARE; SQLite: the write lock already excludes others).</summary>
    protected virtual string EpochLockSuffix => "";
    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection c, CancellationToken ct);
    /// <summary>Serialises writers where the engine needs it (SQLite); null otherwise.</summary>
    protected virtual SemaphoreSlim? WriteGate => null;
    /// <summary>Serialises commits of one (epoch, trader) so sequence order is commit order for that trader
    /// (PostgreSQL: a transaction-scoped advisory lock; SQLite: its single writer already does).</summary>
    protected virtual Task LockTraderAsync(DbConnection c, DbTransaction tx, ulong epoch, byte[] trader, CancellationToken ct) => Task.CompletedTask;

    public virtual async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = Schema;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected static DbCommand Cmd(DbConnection c, DbTransaction? tx, string sql, params (string, object)[] ps)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in ps)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = n;
            p.Value = v;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<(bool commit, T result)>> body, CancellationToken ct)
    {
        var gate = WriteGate;
        if (gate != null) await gate.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync(ct);
            await using var tx = await BeginWriteAsync(c, ct);
            var (commit, result) = await body(c, tx);
            if (commit) await tx.CommitAsync(CancellationToken.None);
            else await tx.RollbackAsync(CancellationToken.None);
            return result;
        }
        finally { gate?.Release(); }
    }

    public Task<byte[]> GetOrAddMetaAsync(string key, byte[] value, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        await using (var ins = Cmd(c, tx, "INSERT INTO meta(key, value) VALUES (@k, @v) ON CONFLICT(key) DO NOTHING", ("@k", key), ("@v", value)))
            await ins.ExecuteNonQueryAsync(ct);
        await using var sel = Cmd(c, tx, "SELECT value FROM meta WHERE key = @k", ("@k", key));
        return (true, (byte[])(await sel.ExecuteScalarAsync(ct))!);
    }, ct);

    public Task AddMetaBatchAsync(IReadOnlyList<KeyValuePair<string, byte[]>> items, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        foreach (var (k, v) in items)
        {
            await using var ins = Cmd(c, tx, "INSERT INTO meta(key, value) VALUES (@k, @v) ON CONFLICT(key) DO NOTHING", ("@k", k), ("@v", v));
            await ins.ExecuteNonQueryAsync(ct);
        }
        return (true, items.Count);
    }, ct);

    public Task<bool> DeleteMetaAsync(string key, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        await using var del = Cmd(c, tx, "DELETE FROM meta WHERE key = @k", ("@k", key));
        return (true, await del.ExecuteNonQueryAsync(ct) > 0);
    }, ct);

    public async Task<byte[]?> GetMetaAsync(string key, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Cmd(c, null, "SELECT value FROM meta WHERE key = @k", ("@k", key));
        return await cmd.ExecuteScalarAsync(ct) is byte[] b ? b : null;
    }

    private static EpochRecord ReadEpoch(DbDataReader r) =>
        new((ulong)r.GetInt64(0), (EpochStatus)r.GetInt32(1), (byte[])r[2], (byte[])r[3], r.GetInt64(4));

    private const string EpochCols = "epoch, status, parameter_set, parameter_hash, opened_at";

    public async Task<EpochRecord?> GetEpochAsync(ulong epoch, CancellationToken ct = default)
    {
        if (epoch > long.MaxValue) return null;
        await using var c = await OpenAsync(ct);
        await using var cmd = Cmd(c, null, $"SELECT {EpochCols} FROM epochs WHERE epoch = @e", ("@e", (long)epoch));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadEpoch(r) : null;
    }

    public async Task<EpochRecord?> GetLatestEpochAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Cmd(c, null, $"SELECT {EpochCols} FROM epochs ORDER BY epoch DESC LIMIT 1");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadEpoch(r) : null;
    }

    private static DbCommand InsertEpoch(DbConnection c, DbTransaction tx, EpochRecord e) =>
        Cmd(c, tx, $"INSERT INTO epochs({EpochCols}) VALUES (@e, @s, @p, @h, @o) ON CONFLICT(epoch) DO NOTHING",
            ("@e", (long)e.Epoch), ("@s", (int)e.Status), ("@p", e.ParameterSet), ("@h", e.ParameterHash), ("@o", e.OpenedAtUnixMs));

    public Task<bool> TryCreateEpochAsync(EpochRecord epoch, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        await using var cmd = InsertEpoch(c, tx, epoch);
        bool created = await cmd.ExecuteNonQueryAsync(ct) == 1;
        return (true, created);
    }, ct);

    public Task<bool> CloseAndOpenAsync(ulong current, EpochRecord next, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        await using (var up = Cmd(c, tx, "UPDATE epochs SET status = @sealed WHERE epoch = @e AND status = @open",
            ("@sealed", (int)EpochStatus.Sealed), ("@open", (int)EpochStatus.Open), ("@e", (long)current)))
            if (await up.ExecuteNonQueryAsync(ct) != 1) return (false, false);
        await using var ins = InsertEpoch(c, tx, next);
        if (await ins.ExecuteNonQueryAsync(ct) != 1) return (false, false);
        return (true, true);
    }, ct);

    public Task<bool> MarkPublishedAsync(ulong epoch, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        await using var up = Cmd(c, tx, "UPDATE epochs SET status = @pub WHERE epoch = @e AND status = @sealed",
            ("@pub", (int)EpochStatus.Published), ("@sealed", (int)EpochStatus.Sealed), ("@e", (long)epoch));
        bool ok = await up.ExecuteNonQueryAsync(ct) == 1;
        return (ok, ok);
    }, ct);

    public async Task<CommitResult> CommitSubmissionAsync(PendingSubmission s, ReceiptFactory receipt, CancellationToken ct = default) =>
        (await CommitSubmissionsAsync([new PendingCommit(s, receipt)], ct))[0];

    /// <summary>Group commit: the batch in one transaction, one fsync. Each item is decided as if committed alone, in
    /// batch order (a digest twice in the batch: the second is a replay; a trader twice: the second replaces the first);
    /// items refused (replay, epoch not open) write nothing, so the others commit. A receipt factory that throws rolls the
    /// whole batch back and every caller gets the error: nothing partial is stored.</summary>
    public Task<CommitResult[]> CommitSubmissionsAsync(IReadOnlyList<PendingCommit> batch, CancellationToken ct = default) => WriteAsync(async (c, tx) =>
    {
        var results = new CommitResult[batch.Count];
        var status = new Dictionary<ulong, EpochStatus?>();
        // trader locks (PostgreSQL) in one global order, so that two replicas' batches cannot deadlock; a stable sort keeps
        // the arrival order of one trader's submissions
        var order = Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].Submission.Epoch)
            .ThenBy(i => Convert.ToHexString(batch[i].Submission.Trader), StringComparer.Ordinal).ToArray();
        bool any = false;
        foreach (int i in order)
        {
            var s = batch[i].Submission;
            // 1. the epoch must exist and be open at commit time (read once per epoch per batch, share-locked on PostgreSQL)
            if (!status.TryGetValue(s.Epoch, out var st))
            {
                await using var ep = Cmd(c, tx, "SELECT status FROM epochs WHERE epoch = @e" + EpochLockSuffix, ("@e", (long)s.Epoch));
                var v = await ep.ExecuteScalarAsync(ct);
                status[s.Epoch] = st = v is null or DBNull ? null : (EpochStatus)Convert.ToInt32(v);
            }
            if (st is null) { results[i] = new CommitResult(CommitOutcome.EpochUnknown); continue; }
            if (st != EpochStatus.Open) { results[i] = new CommitResult(CommitOutcome.EpochNotOpen, Status: st.Value); continue; }

            await LockTraderAsync(c, tx, s.Epoch, s.Trader, ct);

            // 2. a digest is stored once, ever: a second time is a replay
            long seq;
            await using (var ins = Cmd(c, tx,
                "INSERT INTO submissions(digest, epoch, trader, submission, opening, receipt, received_at) VALUES (@d, @e, @t, @s, @o, @r, @at) " +
                "ON CONFLICT(digest) DO NOTHING RETURNING sequence",
                ("@d", s.Digest), ("@e", (long)s.Epoch), ("@t", s.Trader), ("@s", s.SubmissionBytes), ("@o", s.OpeningBytes), ("@r", Array.Empty<byte>()), ("@at", s.ReceivedAtUnixMs)))
            {
                var r = await ins.ExecuteScalarAsync(ct);
                if (r is null or DBNull) { results[i] = new CommitResult(CommitOutcome.Replay); continue; }
                seq = Convert.ToInt64(r);
            }

            // 3. one live submission per (epoch, trader): replace atomically
            bool replaced;
            await using (var sel = Cmd(c, tx, "SELECT sequence FROM live WHERE epoch = @e AND trader = @t", ("@e", (long)s.Epoch), ("@t", s.Trader)))
                replaced = await sel.ExecuteScalarAsync(ct) is not (null or DBNull);
            await using (var up = Cmd(c, tx,
                "INSERT INTO live(epoch, trader, sequence) VALUES (@e, @t, @q) ON CONFLICT(epoch, trader) DO UPDATE SET sequence = excluded.sequence",
                ("@e", (long)s.Epoch), ("@t", s.Trader), ("@q", seq)))
                await up.ExecuteNonQueryAsync(ct);

            // 4. the signed receipt, stored in the same transaction
            var rec = batch[i].Receipt(seq, replaced);
            await using (var ur = Cmd(c, tx, "UPDATE submissions SET receipt = @r WHERE sequence = @q", ("@r", rec), ("@q", seq)))
                await ur.ExecuteNonQueryAsync(ct);
            results[i] = new CommitResult(CommitOutcome.Committed, rec, seq, replaced, EpochStatus.Open);
            any = true;
        }
        return (any, results);
    }, ct);

    private const string SubCols = "s.epoch, s.trader, s.digest, s.sequence, s.submission, s.opening, s.receipt, s.received_at, " +
                                   "CASE WHEN l.sequence IS NULL THEN 0 ELSE 1 END";
    private const string SubFrom = "FROM submissions s LEFT JOIN live l ON l.sequence = s.sequence";

    private static StoredSubmission ReadSub(DbDataReader r) => new((ulong)r.GetInt64(0), (byte[])r[1], (byte[])r[2], r.GetInt64(3),
        (byte[])r[4], (byte[])r[5], (byte[])r[6], r.GetInt64(7), Convert.ToInt32(r[8]) == 1);

    private async Task<List<StoredSubmission>> QueryAsync(string where, CancellationToken ct, params (string, object)[] ps)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Cmd(c, null, $"SELECT {SubCols} {SubFrom} {where}", ps);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<StoredSubmission>();
        while (await r.ReadAsync(ct)) list.Add(ReadSub(r));
        return list;
    }

    public async Task<StoredSubmission?> GetSubmissionAsync(byte[] digest, CancellationToken ct = default) =>
        (await QueryAsync("WHERE s.digest = @d", ct, ("@d", digest))).FirstOrDefault();

    public async Task<StoredSubmission?> GetLiveSubmissionAsync(ulong epoch, byte[] trader, CancellationToken ct = default) =>
        (await QueryAsync("WHERE l.epoch = @e AND l.trader = @t", ct, ("@e", (long)epoch), ("@t", trader))).FirstOrDefault();

    public async Task<IReadOnlyList<StoredSubmission>> ListLiveSubmissionsAsync(ulong epoch, CancellationToken ct = default) =>
        await QueryAsync("WHERE l.epoch = @e ORDER BY s.sequence", ct, ("@e", (long)epoch));

    public async Task<IReadOnlyList<StoredSubmission>> ListAllSubmissionsAsync(CancellationToken ct = default) =>
        await QueryAsync("ORDER BY s.sequence", ct);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
