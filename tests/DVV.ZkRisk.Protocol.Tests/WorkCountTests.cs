using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Diagnostics;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;
using DVV.ZkRisk.Venue.Storage;
using Google.Protobuf;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Issue 12, "fewer parses": the venue parses each book once (at the gateway) and values it once per epoch, however
/// the submission travels on (pre-issue, seal, notices); after a restart the stored openings are parsed once. Counted
/// with <see cref="WorkCounters"/> around the real gateway, pipeline and publication (SQLite store, 16-bit proofs).
/// </summary>
public sealed class WorkCountTests : IAsyncLifetime
{
    private const int N = 5;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-count-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private readonly BlsSecretKey _bls = BlsSecretKey.Generate();
    private SqliteStore _store = null!;

    private static EpochParameters Params(ulong epoch) => Parameters.Create(EpochFixture.Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(T0.AddMinutes(epoch), 100_000 - 500.0 * epoch, DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 16, checkpointInterval: 8);

    public async Task InitializeAsync() { _store = new SqliteStore(_dir); await _store.InitializeAsync(); }

    private readonly List<SubmissionGateway> _gateways = [];

    public async Task DisposeAsync()
    {
        foreach (var g in _gateways) await g.DisposeAsync();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private async Task<(EpochService Epochs, SubmissionGateway Gateway, EpochPipeline Pipeline)> VenueAsync(bool prepareAhead)
    {
        var keys = await VenueKeys.LoadOrCreateAsync(_store);
        var committee = VerifierCommittee.Register([(_bls.PublicKey, _bls.ProvePossession())], threshold: 1);
        var epochs = new EpochService(_store, keys, (e, _) => Params(e));
        await epochs.InitializeAsync();
        var gateway = new SubmissionGateway(_store, epochs, keys);
        _gateways.Add(gateway);
        var pipeline = new EpochPipeline(_store, epochs, keys, StatementSet.LoadDefault(), committee) { PrepareAhead = prepareAhead };
        gateway.Accepted += pipeline.OnAccepted;
        return (epochs, gateway, pipeline);
    }

    /// <summary>Seals the open epoch and publishes it (quorum 1), which builds every trader's notice.</summary>
    private async Task SealAndPublishAsync(EpochPipeline pipeline)
    {
        var r = await pipeline.SealOpenEpochAsync();
        var e = r.Bundle.Epoch;
        var a = new DVV.ZkRisk.Venue.Publication.VerifierAttestation(e, r.Bundle.BundleHash, 0, default,
            _bls.Sign(VerifierCommittee.AttestationMessage(e, r.Bundle.BundleHash.Span)).ToBytes());
        Assert.True((await pipeline.AttestAsync(a)).Published);
    }

    [Fact]
    public async Task Each_book_is_parsed_once_and_valued_once_per_epoch_from_submission_to_notice()
    {
        var (epochs, gateway, pipeline) = await VenueAsync(prepareAhead: false);
        var info = await epochs.GetInfoAsync(0);
        var sdk = new TraderSdk(ProofSystems.Default);
        var traders = DemoPopulation.Generate(N, info.Parameters, seed: 5, sizeScale: 0.05);
        var built = traders.Select(t => sdk.Build(info, t.Key, t.BookJson, epochs.Authorities.Admit(t.Key.PublicKey.ToBytes()))).ToList();

        using var count = WorkCounters.Begin();
        foreach (var b in built) await gateway.SubmitAsync(b.Submission);
        Assert.Equal((N, N), (count.BookParses, count.MarginEvaluations));     // the gateway's parse and valuation
        await SealAndPublishAsync(pipeline);                                     // seal, self-check, notices
        Assert.Equal((N, N), (count.BookParses, count.MarginEvaluations));
        Assert.Equal(N, pipeline.Verified(1)!.State.Count);

        // epoch 2, nobody resubmits: each carried book is valued once under the new market, never parsed
        await SealAndPublishAsync(pipeline);
        Assert.Equal((N, 2 * N), (count.BookParses, count.MarginEvaluations));
        Assert.Empty(pipeline.Verified(2)!.Unvalued);
    }

    [Fact]
    public async Task Proven_ahead_the_seal_reuses_the_gateways_book_and_valuation()
    {
        var (epochs, gateway, pipeline) = await VenueAsync(prepareAhead: false);
        var info = await epochs.GetInfoAsync(0);
        var sdk = new TraderSdk(ProofSystems.Default);
        var traders = DemoPopulation.Generate(N, info.Parameters, seed: 6, sizeScale: 0.05);
        var built = traders.Select(t => sdk.Build(info, t.Key, t.BookJson, epochs.Authorities.Admit(t.Key.PublicKey.ToBytes()))).ToList();
        var accepted = new List<AcceptedSubmission>();
        gateway.Accepted += accepted.Add;

        using var count = WorkCounters.Begin();
        foreach (var b in built) await gateway.SubmitAsync(b.Submission);
        // what the pipeline does in the background when PrepareAhead is on, here in the foreground: the pre-issue
        var sealer = new EpochSealer(StatementSet.LoadDefault());
        foreach (var a in accepted) sealer.PreIssue(a.Epoch, a.Context, a.Input);
        Assert.Equal(N, sealer.PreIssuedCount);
        var seed = await epochs.CoverSeedAsync(1);
        var r = sealer.Seal(1, accepted[0].Context, accepted.Select(a => a.Input).ToList(), 0, seed);
        Assert.Equal(N, r.PreIssuedUsed);
        Assert.Equal(N, r.Valuations.Count);
        Assert.Equal((N, N), (count.BookParses, count.MarginEvaluations));
    }

    [Fact]
    public async Task After_a_restart_the_stored_openings_are_parsed_once_each()
    {
        var (epochs, gateway, pipeline) = await VenueAsync(prepareAhead: false);
        var info = await epochs.GetInfoAsync(0);
        var sdk = new TraderSdk(ProofSystems.Default);
        var traders = DemoPopulation.Generate(N, info.Parameters, seed: 7, sizeScale: 0.05);
        foreach (var t in traders) await gateway.SubmitAsync(sdk.Build(info, t.Key, t.BookJson, epochs.Authorities.Admit(t.Key.PublicKey.ToBytes())).Submission);
        await SealAndPublishAsync(pipeline);

        var (_, _, restarted) = await VenueAsync(prepareAhead: false);           // a new process over the same store
        using var count = WorkCounters.Begin();
        await SealAndPublishAsync(restarted);
        Assert.Equal((N, N), (count.BookParses, count.MarginEvaluations));
        Assert.Equal(N, restarted.Verified(2)!.State.Count);
    }
}
