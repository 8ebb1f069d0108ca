using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Client;
using Grpc.Core;
using Google.Protobuf;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// Issue 17 items 7 and 8 through the real gateway, store and pipeline: hostile books do not stop sealing, a book whose
/// option expires leaves the state by the expiry rule while every later seal goes on, and a bundle larger than the gRPC
/// message limit is fetched in parts, verified and attested by the committee (the limit is lowered here to 160 KiB so
/// that a few traders exceed it; a 10,000-trader checkpoint against the default 4 MiB is in docs/bundle-transport.md).
/// </summary>
public sealed class HostileInputServiceTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-hostile-" + Guid.NewGuid().ToString("N"));
    private ZkRiskServer _server = null!;
    private ZkRiskClient _client = null!;
    private readonly List<BlsSecretKey> _bls = [];
    private VerifierCommittee _committee = null!;
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    private static readonly DVV.ZkRisk.Risk.ParameterSet Risk = DVV.ZkRisk.Risk.ParameterSet.Default with { KMin = 3, KCover = 2 };

    // each epoch is valued one hour after the previous one, so an option can expire between two seals
    private static EpochParameters Params(ulong epoch, DateTimeOffset t) => Parameters.Create(Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(Start.AddHours(epoch - 1), 100_000, DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 16);

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 3; i++) _bls.Add(BlsSecretKey.Generate());
        _committee = VerifierCommittee.Register(_bls.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 2);
        _server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions
        {
            DataDirectory = _dir, Committee = _committee, Parameters = Params,
            MaxSendMessageSize = 160 << 10,
        });
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

    private Admission Admit(Ed25519PrivateKey k) => _server.Epochs.Authorities.Admit(k.PublicKey.ToBytes());

    private static byte[] Json(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Hostile_books_do_not_stop_sealing_expiry_removes_a_trader_by_rule_and_large_bundles_are_fetched_in_parts()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = await _client.GetEpochInfoAsync();
        var traders = DemoPopulation.Generate(6, info.Parameters, seed: 21, sizeScale: 0.05);
        foreach (var t in traders) await _client.SubmitAsync(sdk.Build(info, t.Key, t.BookJson, Admit(t.Key)).Submission);

        // a book with a put expiring 90 minutes after epoch 1's valuation: accepted, live in epochs 1 and 2, expired at 3
        var shortLived = Ed25519PrivateKey.Generate();
        var expiry = Start.AddMinutes(90);
        var sl = sdk.Build(info, shortLived, Json($"{{\"account\":\"t\",\"collateralUsd\":50000,\"positions\":[{{\"instrument\":\"option\",\"type\":\"put\",\"strike\":95000,\"expiry\":\"{expiry:O}\",\"size\":-0.5}}]}}"), Admit(shortLived));
        Assert.Equal(expiry.ToUnixTimeMilliseconds(), sl.Submission.ValidUntilUnixMs);
        await _client.SubmitAsync(sl.Submission);

        // hostile books: refused at the gateway with the field, nothing stored for them
        var hostile = Ed25519PrivateKey.Generate();
        foreach (var (book, field) in new[]
        {
            ("{\"account\":\"t\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"perpetual\",\"size\":5000000000}]}", "positions[0].size"),
            ("{\"account\":\"t\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"call\",\"strike\":1e200,\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1}]}", "positions[0].strike"),
        })
        {
            var good = sdk.Build(info, hostile, DemoPopulation.Resize(traders[0], info.Parameters, 3, 0.05), Admit(hostile));
            var (s, _) = TraderSdk.Sign(TraderSdk.Seal(info, good.Submission, good.Opening with { BookJson = Json(book) }), hostile);
            var e = await Assert.ThrowsAsync<RpcException>(() => _client.SubmitAsync(s));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(field, e.Status.Detail);
        }

        var verifiers = _bls.Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault(), _server.Epochs.Authorities.RootHash))).ToList();
        for (ulong ep = 1; ep <= 3; ep++)
        {
            var sealedEpoch = await _server.Pipeline.SealOpenEpochAsync();      // never throws on one trader's data
            if (ep == 1)
            {
                // the one-message fetch cannot carry the checkpoint; the parts stream can
                Assert.True(sealedEpoch.BundleBytes > 160 << 10, $"{sealedEpoch.BundleBytes} bytes");
                var big = await Assert.ThrowsAsync<RpcException>(() => _client.GetEpochUnaryAsync(ep));
                Assert.Equal(StatusCode.ResourceExhausted, big.StatusCode);
                var bad = await Assert.ThrowsAsync<RpcException>(() => _client.GetEpochAsync(ep, partBytes: 1000));
                Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
                Assert.Equal(WireCodec.Encode(sealedEpoch.Bundle), WireCodec.Encode(await _client.GetEpochAsync(ep, partBytes: 64 << 10)));
            }
            foreach (var v in verifiers.Take(2))
            {
                var (r, a) = await v.VerifyAndAttestAsync(_client, ep);
                Assert.True(r.IsValid, string.Join("\n", r.Findings));
                Assert.NotNull(a);
            }
            bool present = _server.Pipeline.Verified(ep)!.State.TryGet(shortLived.PublicKey.ToBytes(), out _);
            Assert.Equal(ep < 3, present);
            if (ep == 3) Assert.Single(sealedEpoch.Bundle.ExpiredTraders);
            if (ep < 3)
            {
                // one trader resubmits each epoch
                var next = await _client.GetEpochInfoAsync();
                var t = traders[(int)ep];
                await _client.SubmitAsync(sdk.Build(next, t.Key, DemoPopulation.Resize(t, next.Parameters, (int)ep, 0.05), Admit(t.Key)).Submission);
            }
        }
        // a submission that would outlive its option is refused: valid_until later than the first expiry
        var info4 = await _client.GetEpochInfoAsync();
        var late = sdk.Build(info4, shortLived, Json($"{{\"account\":\"t\",\"collateralUsd\":50000,\"positions\":[{{\"instrument\":\"option\",\"type\":\"put\",\"strike\":95000,\"expiry\":\"{Start.AddHours(10):O}\",\"size\":-0.5}}]}}"), Admit(shortLived));
        var (ls, _) = TraderSdk.Sign(TraderSdk.Seal(info4, late.Submission with { ValidUntilUnixMs = 0 }, late.Opening), shortLived);
        var le = await Assert.ThrowsAsync<RpcException>(() => _client.SubmitAsync(ls));
        Assert.Equal(StatusCode.InvalidArgument, le.StatusCode);
        Assert.Contains("valid_until_unix_ms", le.Status.Detail);
        Assert.Equal("Serving", HealthCheckStatus());
    }

    private string HealthCheckStatus() => _client.CheckHealthAsync().GetAwaiter().GetResult().Status.ToString();
}
