using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Venue.Storage;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Issue 13: submissions that arrive together are verified in one range-proof batch and committed in one transaction,
/// and each caller still gets its own answer. The proof window is long here (2 s) so that concurrent submissions
/// deterministically meet in one batch: the batch waits while others are still in their earlier checks, and stops
/// waiting as soon as none is (a lone caller never waits).
/// </summary>
public sealed class GatewayBatchTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-gwb-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;
    private EpochService _epochs = null!;
    private VenueKeys _keys = null!;
    private readonly TraderSdk _sdk = new(ProofSystems.Default);
    private readonly List<SubmissionGateway> _gateways = [];

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(_dir);
        await _store.InitializeAsync();
        _keys = await VenueKeys.LoadOrCreateAsync(_store);
        _epochs = new EpochService(_store, _keys, t => DemoMarket.Parameters(t));
        await _epochs.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var g in _gateways) await g.DisposeAsync();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SubmissionGateway Gateway(GatewayOptions? o = null)
    {
        var g = new SubmissionGateway(_store, _epochs, _keys, options: o ?? new GatewayOptions { ProofWindow = TimeSpan.FromSeconds(2) });
        _gateways.Add(g);
        return g;
    }

    private async Task<(EpochInfo Info, List<(Ed25519PrivateKey Key, BuiltSubmission Built)> Traders)> BuildAsync(int n)
    {
        var info = await _epochs.GetInfoAsync(0);
        var traders = new (Ed25519PrivateKey, BuiltSubmission)[n];
        Parallel.For(0, n, i =>
        {
            var key = Ed25519PrivateKey.Generate();
            var book = SampleBooks.Generate(new Random(100 + i), info.Parameters!.ReferenceForward,
                DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true);
            traders[i] = (key, _sdk.Build(info, key, book, _epochs.Authorities.Admit(key.PublicKey.ToBytes())));
        });
        return (info, traders.ToList());
    }

    /// <summary>Each submission's receipt, or the refusal it got, all sent at once.</summary>
    private static async Task<object[]> SubmitTogetherAsync(SubmissionGateway g, IEnumerable<Submission> subs) =>
        await Task.WhenAll(subs.Select(s => Task.Run(async () =>
        {
            try { return (object)await g.SubmitAsync(s); }
            catch (GatewayException e) { return e; }
        })));

    /// <summary>Holds each submission at the start of its proof stage until <paramref name="n"/> have got there, so that
    /// they meet in one batch however the thread pool schedules their earlier checks.</summary>
    private static void MeetAtProofs(SubmissionGateway g, int n)
    {
        var all = new CountdownEvent(n);
        g.ProofStageHook = () => { all.Signal(); all.Wait(TimeSpan.FromSeconds(60)); };
    }

    private static Submission Resealed(EpochInfo info, Submission s, Opening o, Ed25519PrivateKey key) =>
        TraderSdk.Sign(TraderSdk.Seal(info, s, o), key).Signed;

    [Fact]
    public async Task One_bad_range_proof_among_many_is_refused_alone_with_its_reason_and_the_rest_are_accepted()
    {
        var g = Gateway();
        var (info, t) = await BuildAsync(8);
        // trader 3 carries trader 4's proof: it decodes, it is a valid proof, but not over trader 3's commitments
        var subs = t.Select(x => x.Built.Submission).ToList();
        subs[3] = Resealed(info, subs[3] with { RangeProof = subs[4].RangeProof }, t[3].Built.Opening, t[3].Key);
        MeetAtProofs(g, 8);
        var results = await SubmitTogetherAsync(g, subs);

        Assert.Equal(8, g.ProofBatches.MaxBatch);   // all eight verified in one batch
        Assert.Equal(1, g.ProofBatches.Batches);
        var refused = Assert.IsType<GatewayException>(results[3]);
        Assert.Equal((GatewayError.InvalidArgument, "submission.range_proof"), (refused.Error, refused.Field));
        Assert.Contains("does not verify", refused.Reason);
        for (int i = 0; i < 8; i++)
        {
            if (i == 3) continue;
            var r = Assert.IsType<Receipt>(results[i]);
            Assert.True(TraderSdk.VerifyReceipt(r, info.VenueSigningPublicKey.Span, t[i].Built.Digest));
        }
        var stored = await _store.ListAllSubmissionsAsync();
        Assert.Equal(7, stored.Count);
        Assert.DoesNotContain(stored, x => x.Trader.AsSpan().SequenceEqual(t[3].Key.PublicKey.ToBytes()));
    }

    [Fact]
    public async Task A_batch_mixing_bad_signatures_bad_openings_bad_indicator_proofs_and_replays_answers_each_caller_precisely()
    {
        var g = Gateway();
        var (info, t) = await BuildAsync(7);
        // trader 6's first submission is accepted before the batch: resending it inside the batch is a replay
        await g.SubmitAsync(t[6].Built.Submission);
        var again = _sdk.Build(info, t[5].Key, SampleBooks.Generate(new Random(7), info.Parameters!.ReferenceForward,
            DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true), _epochs.Authorities.Admit(t[5].Key.PublicKey.ToBytes()));
        var subs = new List<Submission>
        {
            t[0].Built.Submission,                                                                                     // 0 valid
            t[1].Built.Submission with { Signature = Ed25519PrivateKey.Generate().Sign(t[1].Built.Digest) },          // 1 signed by another key
            Resealed(info, t[2].Built.Submission, t[2].Built.Opening with                                              // 2 an opening that does not open
                { LongBlindings = t[2].Built.Opening.LongBlindings.Replaced(2, Crypto.Scalar.Random()) }, t[2].Key),
            Resealed(info, t[3].Built.Submission with { IndicatorProof = t[4].Built.Submission.IndicatorProof }, t[3].Built.Opening, t[3].Key), // 3 another's indicator proof
            t[4].Built.Submission,                                                                                     // 4 valid
            t[5].Built.Submission,                                                                                     // 5 valid ...
            again.Submission,                                                                                          // 6 ... and the same trader's newer one
            t[6].Built.Submission,                                                                                     // 7 replay
        };
        g.ProofBatches.Reset();
        MeetAtProofs(g, 6);   // 1 and 7 are refused before the proofs
        var results = await SubmitTogetherAsync(g, subs);

        Assert.Equal(6, g.ProofBatches.MaxBatch);
        void Refused(int i, GatewayError error, string field)
        {
            var e = Assert.IsType<GatewayException>(results[i]);
            Assert.Equal((error, field), (e.Error, e.Field));
        }
        Refused(1, GatewayError.InvalidArgument, "submission.signature");
        Refused(2, GatewayError.InvalidArgument, "opening.long_values[2]");
        Refused(3, GatewayError.InvalidArgument, "submission.indicator_proof");
        Refused(7, GatewayError.AlreadyExists, "submission");
        foreach (int i in new[] { 0, 4, 5, 6 }) Assert.IsType<Receipt>(results[i]);
        var r5 = (Receipt)results[5]; var r6 = (Receipt)results[6];
        Assert.True(r5.ReplacedPrevious != r6.ReplacedPrevious);   // one of trader 5's two replaced the other, in commit order
        var live = await _store.GetLiveSubmissionAsync(info.Epoch, t[5].Key.PublicKey.ToBytes());
        Assert.Equal(Math.Max(r5.Sequence, r6.Sequence), (ulong)live!.Sequence);
        Assert.Equal(5, (await _store.ListAllSubmissionsAsync()).Count);   // 0, 4, 5, 5' and trader 6's first; nothing of 1, 2, 3
    }

    /// <summary>A statement the batch verifier throws on (not one it refuses: a null transcript stands for any such bug)
    /// does not fail the other submissions of its batch.</summary>
    [Fact]
    public async Task A_submission_the_verifier_throws_on_fails_alone_and_not_its_whole_batch()
    {
        var (info, t) = await BuildAsync(2);
        var ctx = EpochContext.Of(info.Parameters!);
        Crypto.RangeProofStatement[] Statements(Submission s) => DVV.ZkRisk.Protocol.Verification.SubmissionRangeClaims.Of(s,
            s.ShortCommitments.Points(), s.LongCommitments.Points(), s.ShortIndicators.Points(), s.LongIndicators.Points(),
            _epochs.Statements.CombinedHash, ctx.RangeBits).Select(c => c.Statement(out _)!).ToArray();
        var good = Statements(t[0].Built.Submission);
        var broken = Statements(t[1].Built.Submission);
        broken[1] = broken[1] with { Transcript = null! };
        var result = await SubmissionGateway.VerifyProofs([good, broken, Statements(t[1].Built.Submission)]);
        Assert.Equal(new[] { -1, 0, -1 }, result);   // the broken one refused (its first proof named), the others accepted
    }

    [Fact]
    public async Task A_lone_submission_is_verified_at_once_without_waiting_for_the_window()
    {
        var g = Gateway(new GatewayOptions { ProofWindow = TimeSpan.FromSeconds(30) });
        var (_, t) = await BuildAsync(1);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await g.SubmitAsync(t[0].Built.Submission);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"{sw.Elapsed}: a lone submission waited for the window");
        Assert.Equal(1, g.ProofBatches.MaxBatch);
    }

    [Fact]
    public async Task At_capacity_a_submission_is_resource_exhausted_with_a_retry_hint_and_the_gateway_stays_healthy()
    {
        using var hold = new ManualResetEventSlim(false);
        var g = Gateway(new GatewayOptions { MaxInFlight = 2, RetryAfter = TimeSpan.FromMilliseconds(300) });
        g.ProofStageHook = () => hold.Wait(TimeSpan.FromSeconds(60));
        var (info, t) = await BuildAsync(4);
        var first = Task.Run(() => g.SubmitAsync(t[0].Built.Submission));
        var second = Task.Run(() => g.SubmitAsync(t[1].Built.Submission));
        while (g.InFlight < 2) await Task.Delay(10);
        var full = await Assert.ThrowsAsync<GatewayException>(() => g.SubmitAsync(t[2].Built.Submission));
        Assert.Equal(GatewayError.ResourceExhausted, full.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(300), full.RetryAfter);
        Assert.Contains("capacity", full.Reason);
        Assert.Equal(1, g.Metrics.RefusedAtCapacity);
        hold.Set();
        Assert.True(TraderSdk.VerifyReceipt(await first, info.VenueSigningPublicKey.Span, t[0].Built.Digest));
        Assert.True(TraderSdk.VerifyReceipt(await second, info.VenueSigningPublicKey.Span, t[1].Built.Digest));
        Assert.Equal(0, g.InFlight);
        // the refused one left nothing behind and can come back; so can anyone else
        await g.SubmitAsync(t[2].Built.Submission);
        await g.SubmitAsync(t[3].Built.Submission);
        Assert.Equal(4, (await _store.ListAllSubmissionsAsync()).Count);
    }
}
