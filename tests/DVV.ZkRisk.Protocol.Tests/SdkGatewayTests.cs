using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Venue.Storage;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Protocol.Tests;

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
        _epochs = new EpochService(_store, _keys, t => DemoMarket.Parameters(t));
        await _epochs.InitializeAsync();
        _gateway = new SubmissionGateway(_store, _epochs, _keys);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private byte[] Book(int seed, EpochInfo info) => SampleBooks.Generate(new Random(seed), info.Parameters.ReferenceForward,
        DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs), 32, coverAllBands: true);

    /// <summary>The field a tampered submission is refused for: decoded as the service's edge decodes wire bytes (a proof
    /// or point that does not decode is refused there), else re-sealed with <paramref name="opening"/>, re-signed (so the
    /// tampered part is the only thing wrong) and submitted. Null when accepted.</summary>
    private async Task<string?> RefusedFieldAsync(EpochInfo info, Ed25519PrivateKey key, DVV.ZkRisk.Api.V1.Submission wire, Opening opening)
    {
        Submission s;
        try { s = wire.Record(); }
        catch (WireDecodeException e) { return e.Field; }
        var (signed, _) = TraderSdk.Sign(TraderSdk.Seal(info, s, opening), key);
        try { await _gateway.SubmitAsync(signed); return null; }
        catch (GatewayException e) { return e.Field; }
    }

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
        Assert.Equal(WireCodec.Encode(built.Opening), stored!.OpeningBytes);
        Assert.Equal(WireCodec.Encode(built.Submission), stored.SubmissionBytes);
        Assert.Equal(WireCodec.Encode(receipt), WireCodec.Encode((await _gateway.GetReceiptAsync(receipt.SubmissionDigest))!));
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
        var bad = receipt with { Sequence = receipt.Sequence + 1 };
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
        var future = built.Submission with { Epoch = 99 };
        var nf = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(future));
        Assert.Equal(GatewayError.NotFound, nf.Error);
        await Assert.ThrowsAsync<GatewayException>(() => _epochs.GetInfoAsync(99));
        Assert.Empty(await _store.ListAllSubmissionsAsync());
    }

    /// <summary>Governed input: a parameter set whose market gives a band-model coefficient beyond +-2^40 (the flag proof would
    /// not be sound, circuits/flag.v1.json) is refused when its epoch would open, naming the reason; the open epoch stays
    /// open and keeps accepting submissions.</summary>
    [Fact]
    public async Task A_parameter_set_the_flag_proof_cannot_carry_is_refused_when_its_epoch_would_open()
    {
        var epochs = new EpochService(_store, _keys, (epoch, t) => DemoMarket.Parameters(t, epoch == 1 ? DemoMarket.Forward : 5e9));
        var open = (await epochs.LatestAsync())!;
        var e = await Assert.ThrowsAsync<ParameterSetRejectedException>(() => epochs.AdvanceAsync());
        Assert.Equal(open.Epoch + 1, e.Epoch);
        Assert.Contains("outside +-2^40", e.Message);
        var still = (await epochs.LatestAsync())!;
        Assert.Equal(open.Epoch, still.Epoch);
        Assert.Equal(EpochStatus.Open, still.Status);
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, key, Book(5, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        await _gateway.SubmitAsync(built.Submission);

        var fresh = Path.Combine(Path.GetTempPath(), "dvv-gw-" + Guid.NewGuid().ToString("N"));
        await using var store = new SqliteStore(fresh);
        await store.InitializeAsync();
        var bad = new EpochService(store, await VenueKeys.LoadOrCreateAsync(store), t => DemoMarket.Parameters(t, 5e9));
        var first = await Assert.ThrowsAsync<ParameterSetRejectedException>(() => bad.InitializeAsync());
        Assert.Equal(1UL, first.Epoch);
        Assert.Null(await store.GetLatestEpochAsync());
    }

    /// <summary>Issue 17 item 12: a hostile book inside a validly sealed and signed submission is INVALID_ARGUMENT naming
    /// the JSON path, never an unnamed exception, and nothing is stored.</summary>
    [Theory]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"put\",\"strike\":90000,\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1e30}]}", "opening.book_json.positions[0].size")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":5,\"strike\":90000,\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1}]}", "opening.book_json.positions[0].type")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"put\",\"strike\":90000,\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1,\"convention\":7}]}", "opening.book_json.positions[0].convention")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"put\",\"strike\":\"high\",\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1}]}", "opening.book_json.positions[0].strike")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"put\",\"strike\":90000,\"expiry\":20990101,\"size\":1}]}", "opening.book_json.positions[0].expiry")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"perpetual\",\"size\":79228162514264337593543950335}]}", "opening.book_json.positions[0].size")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"perpetual\",\"size\":2000000000}]}", "opening.book_json.positions[0].size")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1e40,\"positions\":[]}", "opening.book_json.collateralUsd")]
    [InlineData("{\"account\":\"a\",\"collateralUsd\":1000,\"positions\":[{\"instrument\":\"option\",\"type\":\"put\",\"strike\":1e300,\"expiry\":\"2099-01-01T00:00:00Z\",\"size\":1}]}", "opening.book_json.positions[0].strike")]
    [InlineData("[1,2,3]", "opening.book_json.$")]
    [InlineData("{\"account\":\"a\",\"positions\":{}}", "opening.book_json.positions")]
    [InlineData("{\"cluster\":\"c\",\"accounts\":[]}", "opening.book_json.cluster")]
    [InlineData("{\"collateral_usd\":\"1000\",\"positions\":[]}", "opening.book_json.collateral_usd")]
    public async Task Hostile_book_json_is_invalid_argument_with_the_field_path_and_nothing_is_stored(string bookJson, string field)
    {
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, key, Book(6, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        var opening = built.Opening with { BookJson = System.Text.Encoding.UTF8.GetBytes(bookJson) };
        // a validly sealed box and signature: only the book is hostile
        var (s, _) = TraderSdk.Sign(TraderSdk.Seal(info, built.Submission, opening), key);
        var e = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(s));
        Assert.Equal(GatewayError.InvalidArgument, e.Error);
        Assert.Equal(field, e.Field);
        Assert.Empty(await _store.ListAllSubmissionsAsync());
    }

    [Fact]
    public async Task A_submission_without_a_valid_admission_is_permission_denied_and_a_late_valid_until_is_refused()
    {
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var other = Ed25519PrivateKey.Generate();
        foreach (var (admission, reason) in new (Admission?, string)[]
        {
            (null, "missing"),
            (DVV.ZkRisk.Protocol.Trust.Admissions.Issue(key, key.PublicKey.ToBytes(), DateTimeOffset.UtcNow), "onboarding authorities"),
            (_epochs.Authorities.Admit(other.PublicKey.ToBytes()), "another trader key"),
        })
        {
            var built = _sdk.Build(info, key, Book(7, info), admission);
            var e = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(built.Submission));
            Assert.Equal(GatewayError.PermissionDenied, e.Error);
            Assert.Equal("submission.admission", e.Field);
            Assert.Contains(reason, e.Reason);
        }
        // valid_until later than the book's first expiry: the submission would outlive its options
        var ok = _sdk.Build(info, key, Book(7, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        var (late, _) = TraderSdk.Sign(TraderSdk.Seal(info, ok.Submission with { ValidUntilUnixMs = ok.Submission.ValidUntilUnixMs + 1 }, ok.Opening), key);
        var le = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(late));
        Assert.Equal("submission.valid_until_unix_ms", le.Field);
        Assert.Empty(await _store.ListAllSubmissionsAsync());
    }

    [Fact]
    public async Task Indicators_that_do_not_open_to_the_values_bits_or_a_tampered_indicator_proof_are_refused()
    {
        var info = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info, key, Book(8, info), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        int band = Enumerable.Range(0, built.Opening.ShortValues.Count).First(b => built.Opening.ShortValues[b] != 0);
        // the opening's indicator blinding is not the one Z_b was made with: Z_b does not open to [S_b != 0]
        var o = built.Opening with { ShortIndicatorBlindings = built.Opening.ShortIndicatorBlindings.Replaced(band, DVV.ZkRisk.Crypto.Scalar.Random()) };
        Assert.Equal($"opening.short_indicator_blindings[{band}]", await RefusedFieldAsync(info, key, built.Submission.Message(), o));
        // an indicator proof byte flipped
        var p = built.Submission.Message();
        var bytes = p.IndicatorProof.Data.ToByteArray(); bytes[100] ^= 1;
        p.IndicatorProof.Data = Google.Protobuf.ByteString.CopyFrom(bytes);
        Assert.Equal("submission.indicator_proof", await RefusedFieldAsync(info, key, p, built.Opening));
        // an indicator commitment replaced: the exposure and indicator proofs no longer hold
        var q = built.Submission.Message();
        q.LongIndicators[3].Point.Data = Google.Protobuf.ByteString.CopyFrom((DVV.ZkRisk.Crypto.Scalar.Random() * DVV.ZkRisk.Crypto.RistrettoPoint.Basepoint).ToBytes());
        Assert.Equal("submission.range_proof", await RefusedFieldAsync(info, key, q, built.Opening));
        Assert.Empty(await _store.ListAllSubmissionsAsync());
    }

    [Fact]
    public async Task Venue_keys_persist_across_restarts_of_the_store()
    {
        var again = await VenueKeys.LoadOrCreateAsync(_store);
        Assert.Equal(_keys.Signing.PublicKey, again.Signing.PublicKey);
    }

    [Fact]
    public async Task Each_epoch_has_its_own_HPKE_key_destroyed_when_the_epoch_closes_and_bundles_publish_only_the_box_hash()
    {
        var info1 = await _epochs.GetInfoAsync(0);
        var key = Ed25519PrivateKey.Generate();
        var built = _sdk.Build(info1, key, Book(9, info1), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        Assert.NotNull(await _epochs.HpkeKeyAsync(1));
        await _epochs.AdvanceAsync();
        var info2 = await _epochs.GetInfoAsync(0);
        Assert.Equal(32, info2.VenueHpkePublicKey.Length);
        Assert.NotEqual(info1.VenueHpkePublicKey.ToArray(), info2.VenueHpkePublicKey.ToArray());
        Assert.Null(await _epochs.HpkeKeyAsync(1));                          // destroyed with the epoch's close
        Assert.True((await _epochs.GetInfoAsync(1)).VenueHpkePublicKey.IsEmpty);
        // an epoch-1 box cannot be opened by anything the venue still holds
        var late = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(built.Submission));
        Assert.Equal(GatewayError.FailedPrecondition, late.Error);
        // the published form: box replaced by its hash, same signed digest
        var pub = SubmissionDigest.Published(built.Submission);
        Assert.Null(pub.SealedOpening);
        Assert.Equal(SubmissionDigest.BoxHash(built.Submission.SealedOpening), pub.SealedOpeningHash.ToArray());
        Assert.Equal(built.Digest, SubmissionDigest.Signed(pub));
        // a box whose declared hash is wrong is refused
        var ok = _sdk.Build(info2, key, Book(9, info2), _epochs.Authorities.Admit(key.PublicKey.ToBytes()));
        var (wrong, _) = TraderSdk.Sign(ok.Submission with { SealedOpeningHash = new byte[32] }, key);
        var e = await Assert.ThrowsAsync<GatewayException>(() => _gateway.SubmitAsync(wrong));
        Assert.Equal("submission.sealed_opening_hash", e.Field);
        await _gateway.SubmitAsync(ok.Submission);
    }

    [Fact]
    public void Parameter_hash_binds_every_parameter_and_ignores_only_the_signatures()
    {
        var p = DemoMarket.Parameters(DateTimeOffset.UnixEpoch, 100_000);
        var h = SubmissionDigest.ParameterSet(p);
        var authorities = DVV.ZkRisk.Protocol.Trust.EpochAuthorities.Development("hash-test");
        var signed = authorities.Govern(p);
        Assert.Equal(2, signed.GovernanceSignatures.Count);
        var q = signed with { GovernanceSignatures = signed.GovernanceSignatures.Replaced(0, signed.GovernanceSignatures[0] with { Signature = new byte[64] }) };
        Assert.Equal(SubmissionDigest.ParameterSet(signed), SubmissionDigest.ParameterSet(q));
        var r = p with { KMin = 6 };
        Assert.NotEqual(h, SubmissionDigest.ParameterSet(r));
    }
}
