using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DVV.ZkRisk.Venue.Storage;

/// <summary>The embedded default: one SQLite file, WAL journal, synchronous=FULL (every commit fsyncs the WAL).</summary>
internal sealed class SqliteStore : SqlStore
{
    public const string FileName = "zkrisk.sqlite";
    private readonly string _cs;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SqliteStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, FileName);
        _cs = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public string Path { get; }
    public override string Backend => $"sqlite:{Path}";
    protected override SemaphoreSlim? WriteGate => _gate;

    protected override string Schema => """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS epochs(epoch INTEGER PRIMARY KEY, status INTEGER NOT NULL, parameter_set BLOB NOT NULL,
            parameter_hash BLOB NOT NULL, opened_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS submissions(sequence INTEGER PRIMARY KEY AUTOINCREMENT, digest BLOB NOT NULL UNIQUE,
            epoch INTEGER NOT NULL, trader BLOB NOT NULL, submission BLOB NOT NULL, opening BLOB NOT NULL, receipt BLOB NOT NULL,
            received_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS live(epoch INTEGER NOT NULL, trader BLOB NOT NULL, sequence INTEGER NOT NULL UNIQUE,
            PRIMARY KEY(epoch, trader));
        """;

    public override async Task InitializeAsync(CancellationToken ct = default)
    {
        await using (var c = new SqliteConnection(_cs))
        {
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await cmd.ExecuteScalarAsync(ct);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)) throw new InvalidOperationException($"SQLite refused WAL (journal_mode={mode})");
        }
        await base.InitializeAsync(ct);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_cs);
        await c.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // synchronous is per connection: FULL makes every WAL commit durable before COMMIT returns.
        // secure_delete: deleted content (destroyed HPKE keys) is overwritten with zeros, not left in free pages.
        cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;";
        await cmd.ExecuteNonQueryAsync(ct);
        return c;
    }

    /// <summary>The value of PRAGMA synchronous on a store connection (2 = FULL) and the journal mode, for tests.</summary>
    public async Task<(long Synchronous, string JournalMode)> PragmasAsync()
    {
        await using var c = await OpenAsync(default);
        await using var a = c.CreateCommand();
        a.CommandText = "PRAGMA synchronous;";
        var sync = (long)(await a.ExecuteScalarAsync())!;
        a.CommandText = "PRAGMA journal_mode;";
        return (sync, (string)(await a.ExecuteScalarAsync())!);
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection c, CancellationToken ct) =>
        // deferred: false => BEGIN IMMEDIATE: take the write lock up front.
        ((SqliteConnection)c).BeginTransaction(deferred: false);
}
