using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Epochs.Book;
using DVV.ZkRisk.Epochs.Gateway;
using DVV.ZkRisk.Epochs.Proofs;
using DVV.ZkRisk.Epochs.Storage;
using DVV.ZkRisk.Epochs.Submissions;

namespace DVV.ZkRisk.Epochs.Tests;

/// <summary>The trader SDK against the gateway, in process (the wire and the full bad-input matrix are in Service.Tests).</summary>
public sealed class SdkGatewayTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-gw-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;
    private EpochService _epochs = null!;
    private SubmissionGateway _gateway = null!;
    private VenueKeys _keys = null!;
    private readonly TraderSdk _sdk = new(ProofSystems.Default);

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(_dir);
        await _store.InitializeAsync();
        _keys = await VenueKeys.LoadOrCreateAsync(_store);
        _epochs = new EpochService(_store, _keys);
        await _epochs.InitializeAsync();
        _gateway = new SubmissionGateway(_store, _epochs, _keys, ProofSystems.Default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private byte[] Book(int seed, EpochInfo info) => SampleBooks.Generate(new Random(seed), info.Parameters.ReferenceForward,
        DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true);

    [Fact]
    public async Task Sdk_submission_is_accepted_with_a_venue_signed_receipt_and_stored_with_its_opening()
    {
        var info = await _epochs.GetInfoAsync(0);
        Assert.Equal(32, (int)info.BandGrid.BandCount);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, key, Book(1, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        Assert.Equal(32, built.Submission.ShortCommitments.Count);
        Assert.Equal(64u, built.Submission.RangeProof.ValueCount);
        var receipt = await _gateway.SubmitAsync(built.Submission);
        Assert.True(TraderSdk.VerifyReceipt(receipt, info.VenueSigningPublicKey.Span, built.Digest));
        Assert.False(receipt.ReplacedPrevious);
        var stored = await _store.GetLiveSubmissionAsync(info.Epoch, key.PublicKey.ToBytes());
        Assert.NotNull(stored);
        Assert.Equal(built.Opening, Opening.Parser.ParseFrom(stored!.OpeningBytes));
        Assert.Equal(built.Submission, Submission.Parser.ParseFrom(stored.SubmissionBytes));
        Assert.Equal(receipt, await _gateway.GetReceiptAsync(receipt.SubmissionDigest));
        var m = _gateway.Metrics.Read();
        Assert.Equal(1, m.Accepted);
    }

    [Fact]
    public async Task A_tampered_receipt_does_not_verify()
    {
        var info = await _epochs.GetInfoAsync(0);
        var stranger = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, stranger, Book(2, info), _epochs.Authorities.Admit(stranger.PublicKey.ToBytes()));
        var receipt = await _gateway.SubmitAsync(built.Submission);
        var bad = receipt.Clone();
        bad.Sequence += 1;
        Assert.False(TraderSdk.VerifyReceipt(bad, info.VenueSigningPublicKey.Span, built.Digest));
        Assert.False(TraderSdk.VerifyReceipt(receipt, info.VenueSigningPublicKey.Span, new byte[32]));
    }

    [Fact]
    public async Task Resubmission_replaces_and_replay_is_already_exists()
    {
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var a = _sdk.Build(info, key, Book(3, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        var b = _sdk.Build(info, key, Book(4, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        await _gateway.SubmitAsync(a.Submission);
        var rb = await _gateway.SubmitAsync(b.Submission);
        Assert.True(rb.ReplacedPrevious);
        var e = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(a.Submission));
        Assert.Equal(GatewayError.AlreadyExists, e.Error);
        Assert.Equal(b.Digest, (await _store.GetLiveSubmissionAsync(info.Epoch, key.PublicKey.ToBytes()))!.Digest);
    }

    [Fact]
    public async Task Epoch_window_unknown_is_not_found_and_closed_is_failed_precondition()
    {
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, key, Book(5, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        await _epochs.AdvanceAsync();
        var late = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(built.Submission));
        Assert.Equal(GatewayError.FailedPrecondition, late.Error);
        Assert.Equal("submission.epoch", late.Field);
        var future = built.Submission.Clone();
        future.Epoch = 99;
        var nf = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(future));
        Assert.Equal(GatewayError.NotFound, nf.Error);
        await Assert.ThrowsAsync<GatewayException>(() => _epochs.GetInfoAsync(99));
        Assert.Empty(await _store.ListAllSubmissionsAsync());
    }

    [Fact]
    public async Task Venue_keys_persist_across_restarts_of_the_store()
    {
        var again = await VenueKeys.LoadOrCreateAsync(_store);
        Assert.Equal(_keys.Signing.PublicKey, again.Signing.PublicKey);
        Assert.Equal(_keys.Hpke.PublicKey, again.Hpke.PublicKey);
    }

    [Fact]
    public void Parameter_hash_binds_every_parameter_and_ignores_only_the_signatures()
    {
        var p = Parameters.Default(100_000, DateTimeOffset.UnixEpoch);
        var h = SubmissionDigest.ParameterSet(p);
        var authorities = DVV.ZkRisk.Epochs.Trust.EpochAuthorities.Development("hash-test");
        var signed = authorities.Govern(p);
        Assert.Equal(2, signed.GovernanceSignatures.Count);
        var q = signed.Clone(); q.GovernanceSignatures[0].Signature = Google.Protobuf.ByteString.CopyFrom(new byte[64]);
        Assert.Equal(SubmissionDigest.ParameterSet(signed), SubmissionDigest.ParameterSet(q));
        var r = p.Clone(); r.KMin = 6;
        Assert.NotEqual(h, SubmissionDigest.ParameterSet(r));
    }
}
