using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// Issue 12: bundles, attestations and notices are stored records, so a restarted venue still serves them (a restart
/// loses the selection blindings the notices open, so they cannot be recomputed), and any venue exports an audit
/// directory over the public API (`dvv-zk export`) that `dvv-zk audit` accepts.
/// </summary>
public sealed class RestartAndExportTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-restart-" + Guid.NewGuid().ToString("N"));
    private readonly List<BlsSecretKey> _bls = [];
    private VerifierCommittee _committee = null!;
    private ZkRiskServer _server = null!;
    private ZkRiskClient _client = null!;

    private static readonly DVV.ZkRisk.Risk.ParameterSet Risk = DVV.ZkRisk.Risk.ParameterSet.Default with { KMin = 3, KCover = 2 };

    private static EpochParameters Params(ulong epoch, DateTimeOffset t) => Parameters.Create(Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(t, 100_000 * (1 - 0.02 * (epoch - 1)), DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 16);

    private Task<ZkRiskServer> StartAsync() =>
        ZkRiskServer.StartAsync(new ZkRiskServerOptions { DataDirectory = _dir, Committee = _committee, Parameters = Params });

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 2; i++) _bls.Add(BlsSecretKey.Generate());
        _committee = VerifierCommittee.Register(_bls.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 2);
        _server = await StartAsync();
        _client = new ZkRiskClient(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        foreach (var k in _bls) k.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private List<CommitteeVerifier>? _verifiers;   // each member follows the chain epoch after epoch

    private async Task PublishAsync(ulong epoch)
    {
        _verifiers ??= _bls.Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault()))).ToList();
        V1.AttestResponse? last = null;
        foreach (var v in _verifiers)
        {
            var (r, a) = await v.VerifyAndAttestAsync(_client, epoch);
            Assert.True(r.IsValid, string.Join("\n", r.Findings));
            last = a;
        }
        Assert.True(last!.Published);
    }

    [Fact]
    public async Task A_restarted_venue_serves_its_bundles_attestations_notices_and_inclusion_proofs_and_exports_an_audit_directory()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = await _client.GetEpochInfoAsync();
        var traders = DemoPopulation.Generate(4, info.Parameters, seed: 12, sizeScale: 0.05);
        var admit = (DemoTrader t) => _server.Epochs.Authorities.Admit(t.Key.PublicKey.ToBytes());
        foreach (var t in traders) await _client.SubmitAsync(sdk.Build(info, t.Key, t.BookJson, admit(t)).Submission);
        await _server.Pipeline.SealOpenEpochAsync();
        await PublishAsync(1);
        var info2 = await _client.GetEpochInfoAsync();
        await _client.SubmitAsync(sdk.Build(info2, traders[1].Key, DemoPopulation.Resize(traders[1], info2.Parameters, 2, 0.05), admit(traders[1])).Submission);
        await _server.Pipeline.SealOpenEpochAsync();
        await PublishAsync(2);

        async Task<MarginNotice> Notice(ulong e, DemoTrader t) => await _client.GetMarginNoticeAsync(Notices.SignedRequest(e, t.Key, DateTimeOffset.UtcNow));
        var before = new[] { await Notice(1, traders[0]), await Notice(2, traders[0]), await Notice(2, traders[1]) };
        var attestation = await _client.GetAttestationAsync(2);
        var bundle2 = await _client.GetEpochAsync(2);
        var inclusion = await _client.GetInclusionProofAsync(2, traders[2].Key.PublicKey.ToBytes());
        Assert.Equal(2ul, (await _client.GetAttestationAsync()).Epoch);   // 0: the latest published

        // restart on the same data directory
        _client.Dispose();
        await _server.DisposeAsync();
        _server = await StartAsync();
        _client = new ZkRiskClient(_server.Address);
        Assert.Equal(before.Select(WireCodec.Encode), new[] { await Notice(1, traders[0]), await Notice(2, traders[0]), await Notice(2, traders[1]) }.Select(WireCodec.Encode));
        Assert.Equal(attestation, await _client.GetAttestationAsync(2));
        Assert.Equal(WireCodec.Encode(bundle2), WireCodec.Encode(await _client.GetEpochAsync(2)));
        Assert.Equal(inclusion, await _client.GetInclusionProofAsync(2, traders[2].Key.PublicKey.ToBytes()));
        // a trader with no submission, and an epoch never published, are refused as before
        var stranger = Assert.Single(DemoPopulation.Generate(1, info.Parameters, seed: 99, sizeScale: 0.05));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Notice(2, stranger))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => _client.GetAttestationAsync(3))).StatusCode);

        // any venue exports an audit directory over the public API, and the audit accepts it
        var outDir = Path.Combine(_dir, "audit");
        var export = Cli("export", "--server", _server.Address.ToString(), "--out", outDir);
        Assert.True(export.Exit == 0, export.Out + export.Err);
        foreach (var f in new[] { BundleFormat.FileName(1), BundleFormat.FileName(2), BundleFormat.AttestationFileName(1), BundleFormat.AttestationFileName(2), BundleFormat.CommitteeFileName })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.Empty(Directory.GetFiles(outDir, "*.partial"));
        var audit = Cli("audit", outDir, "--json", "--governance", Convert.ToHexStringLower(_server.Epochs.Authorities.RootHash));
        Assert.True(audit.Exit == 0, audit.Out + audit.Err);
        using (var doc = System.Text.Json.JsonDocument.Parse(audit.Out)) Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());
        // a tampered attestation in the exported directory is caught
        var attFile = Path.Combine(outDir, BundleFormat.AttestationFileName(2));
        var bytes = File.ReadAllBytes(attFile);
        bytes[^1] ^= 1;
        File.WriteAllBytes(attFile, bytes);
        Assert.NotEqual(0, Cli("audit", outDir, "--governance", Convert.ToHexStringLower(_server.Epochs.Authorities.RootHash)).Exit);
    }

    private static (int Exit, string Out, string Err) Cli(params string[] args) => DvvZk.Run(args);
}
