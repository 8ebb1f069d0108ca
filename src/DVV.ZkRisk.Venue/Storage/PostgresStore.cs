using System.Data;
using System.Data.Common;
using Npgsql;

namespace DVV.ZkRisk.Venue.Storage;

/// <summary>PostgreSQL through Npgsql, for several service replicas sharing one store. Commits are durable when
/// the server runs with its defaults (fsync on, synchronous_commit on).</summary>
internal sealed class PostgresStore : SqlStore
{
    private readonly NpgsqlDataSource _ds;
    private readonly string? _schema;

    /// <param name="connectionString">an Npgsql connection string</param>
    /// <param name="schema">a schema to create and use (tests isolate themselves this way); null: the connection's search path</param>
    public PostgresStore(string connectionString, string? schema = null)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (schema != null)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[a-z_][a-z0-9_]{0,62}$")) throw new ArgumentException("bad schema name", nameof(schema));
            b.SearchPath = schema;
        }
        _schema = schema;
        _ds = NpgsqlDataSource.Create(b.ConnectionString);
        Backend = $"postgres:{b.Host}:{b.Port}/{b.Database}{(schema != null ? "#" + schema : "")}";
    }

    public override string Backend { get; }
    protected override string EpochLockSuffix => " FOR SHARE";

    protected override string Schema => """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BYTEA NOT NULL);
        CREATE TABLE IF NOT EXISTS epochs(epoch BIGINT PRIMARY KEY, status INTEGER NOT NULL, parameter_set BYTEA NOT NULL,
            parameter_hash BYTEA NOT NULL, opened_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS submissions(sequence BIGSERIAL PRIMARY KEY, digest BYTEA NOT NULL UNIQUE,
            epoch BIGINT NOT NULL, trader BYTEA NOT NULL, submission BYTEA NOT NULL, opening BYTEA NOT NULL, receipt BYTEA NOT NULL,
            received_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS live(epoch BIGINT NOT NULL, trader BYTEA NOT NULL, sequence BIGINT NOT NULL UNIQUE,
            PRIMARY KEY(epoch, trader));
        """;

    public override async Task InitializeAsync(CancellationToken ct = default)
    {
        if (_schema != null)
        {
            await using var c = await _ds.OpenConnectionAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"CREATE SCHEMA IF NOT EXISTS {_schema}";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Concurrent replicas may race on CREATE TABLE IF NOT EXISTS; serialise with an advisory lock.
        await using (var c = await _ds.OpenConnectionAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await using (var l = c.CreateCommand()) { l.Transaction = tx; l.CommandText = "SELECT pg_advisory_xact_lock(727274)"; await l.ExecuteNonQueryAsync(ct); }
            await using (var cmd = c.CreateCommand()) { cmd.Transaction = tx; cmd.CommandText = Schema; await cmd.ExecuteNonQueryAsync(ct); }
            await tx.CommitAsync(ct);
        }
    }

    protected override async Task LockTraderAsync(DbConnection c, DbTransaction tx, ulong epoch, byte[] trader, CancellationToken ct)
    {
        var h = System.Security.Cryptography.SHA256.HashData([.. BitConverter.GetBytes(epoch), .. trader]);
        await using var cmd = Cmd(c, tx, "SELECT pg_advisory_xact_lock(@k)", ("@k", BitConverter.ToInt64(h, 0)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _ds.OpenConnectionAsync(ct);

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection c, CancellationToken ct) =>
        await ((NpgsqlConnection)c).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    /// <summary>Drops the schema given at construction (tests).</summary>
    public async Task DropSchemaAsync()
    {
        if (_schema == null) return;
        await using var c = await _ds.OpenConnectionAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP SCHEMA IF EXISTS {_schema} CASCADE";
        await cmd.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync() => await _ds.DisposeAsync();
}
