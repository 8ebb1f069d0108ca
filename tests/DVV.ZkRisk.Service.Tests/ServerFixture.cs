using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>An in-process server on 127.0.0.1 with a fresh SQLite store, stopped and deleted afterwards.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "dvv-svc-" + Guid.NewGuid().ToString("N"));
    public ZkRiskServer Server { get; private set; } = null!;
    public ZkRiskClient Client { get; private set; } = null!;
    public TraderSdk Sdk { get; } = new(ProofSystems.Default);

    public static async Task<ServerFixture> StartAsync(Action<ZkRiskServerOptions>? configure = null)
    {
        var f = new ServerFixture();
        var o = new ZkRiskServerOptions { DataDirectory = f.Dir, Parameters = DemoParameters };
        configure?.Invoke(o);
        f.Server = await ZkRiskServer.StartAsync(o);
        f.Client = new ZkRiskClient(f.Server.Address);
        return f;
    }

    /// <summary>The demo market at each epoch's opening time.</summary>
    public static readonly Func<ulong, DateTimeOffset, EpochParameters> DemoParameters = (_, t) => DemoMarket.Parameters(t);

    public static byte[] Book(EpochInfo info, int seed) => SampleBooks.Generate(new Random(seed), info.Parameters.ReferenceForward,
        DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true);

    public async Task<(EpochInfo Info, Ed25519PrivateKey Key, BuiltSubmission Built)> BuildAsync(int seed = 1)
    {
        var info = await Client.GetEpochInfoAsync();
        var key = Ed25519PrivateKey.Generate();
        return (info, key, Sdk.Build(info, key, Book(info, seed), Admit(key)));
    }

    /// <summary>An admission by the server's onboarding authority (by default the venue's own key).</summary>
    public Admission Admit(Ed25519PrivateKey key) => Server.Epochs.Authorities.Admit(key.PublicKey.ToBytes());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
