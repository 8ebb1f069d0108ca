namespace DVV.ZkRisk.Venue.Storage;

internal static class StoreFactory
{
    /// <summary>PostgreSQL when a connection string is given, else SQLite under <paramref name="dataDirectory"/>.</summary>
    public static async Task<IStore> OpenAsync(string dataDirectory, string? postgresConnectionString, CancellationToken ct = default)
    {
        IStore store = string.IsNullOrWhiteSpace(postgresConnectionString)
            ? new SqliteStore(dataDirectory)
            : new PostgresStore(postgresConnectionString);
        await store.InitializeAsync(ct);
        return store;
    }
}
