using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;

using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Client;
using Grpc.Core;
using Google.Protobuf;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>The service over the wire: the API, and every bad input of issue 4 answered with its status, the field
/// named, the server healthy afterwards and nothing stored.</summary>
public sealed class ServiceTests : IAsyncLifetime
{
    private ServerFixture _f = null!;
    public async Task InitializeAsync() => _f = await ServerFixture.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static readonly string Submit = ZkRiskClient.TraderGatewayService + "/SubmitPositions";

    private Task<RpcException> Refused(Submission s) => Refused(s.Message());

    /// <summary>The refusal of a submission sent as wire bytes (tampered on the protobuf message, decoded by the server).</summary>
    private async Task<RpcException> Refused(V1.Submission s)
    {
        var before = (await _f.Server.Store.ListAllSubmissionsAsync()).Count;
        var e = await Assert.ThrowsAsync<RpcException>(() => _f.Client.SubmitRawAsync(s));
        Assert.Equal(before, (await _f.Server.Store.ListAllSubmissionsAsync()).Count);   // nothing partial stored
        await AssertHealthy();
        return e;
    }

    private async Task AssertHealthy()
    {
        var h = await _f.Client.CheckHealthAsync();
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, h.Status);
        Assert.True((await _f.Client.GetEpochInfoAsync()).Epoch > 0);
    }

    /// <summary>The tampered wire submission re-sealed (with <paramref name="opening"/>, padded by the SDK) and re-signed, so
    /// that the tampered part is the only thing wrong. A message whose points or proofs do not decode cannot be signed as a
    /// record; it is returned as is, since the server refuses it while decoding, before any signature check.</summary>
    private static V1.Submission Resign(EpochInfo info, V1.Submission s, Ed25519PrivateKey key, Opening? opening = null) =>
        Resign(info, s, key, opening is null ? null : TraderSdk.Seal(info, Decode(s) ?? new Submission(), opening).SealedOpening);

    /// <summary>As above with an opening given as wire bytes (e.g. carrying a non-canonical scalar no record can hold).</summary>
    private static V1.Submission Resign(EpochInfo info, V1.Submission s, Ed25519PrivateKey key, V1.Opening opening) =>
        Resign(info, s, key, TraderSdk.SealRaw(info, Decode(s) ?? new Submission(), opening.ToByteArray()).SealedOpening);

    private static V1.Submission Resign(EpochInfo info, V1.Submission s, Ed25519PrivateKey key, SealedBox? box)
    {
        if (Decode(s) is not { } record) return s;
        if (box != null) record = record with { SealedOpening = box };
        return TraderSdk.Sign(record, key).Signed.Message();
    }

    private static Submission? Decode(V1.Submission s)
    {
        try { return s.Record(); }
        catch (WireDecodeException) { return null; }
    }

    /// <summary>An opening as the SDK pads it, on the wire.</summary>
    private static V1.Opening Wire(Opening o) => OpeningPadding.Pad(o).Message();

    [Fact]
    public async Task GetEpochInfo_carries_grid_parameters_and_venue_keys()
    {
        var info = await _f.Client.GetEpochInfoAsync();
        Assert.Equal(1UL, info.Epoch);
        Assert.Equal(EpochStatus.Open, info.Status);
        Assert.Equal(32u, info.BandGrid.BandCount);
        Assert.Equal(new double[] { 1, 7, 30 }, info.BandGrid.ExpiryBucketEdgesDays);
        Assert.Equal(SubmissionDigest.ParameterSet(info.Parameters), info.ParameterHash.ToArray());
        Assert.Equal(32, info.VenueHpkePublicKey.Length);
        Assert.Equal(_f.Server.Keys.Signing.PublicKey.ToBytes(), info.VenueSigningPublicKey.ToArray());
        Assert.Null(DVV.ZkRisk.Protocol.Trust.GovernanceRules.Check(info.Parameters, info.Parameters.Governance));   // venue-operated: 1 of 1
        Assert.Equal(info.VenueSigningPublicKey.ToArray(), info.Parameters.VenueSigningKey.ToArray());
        Assert.Equal(WireCodec.Encode(info), WireCodec.Encode(await _f.Client.GetEpochInfoAsync(1)));
        var e = await Assert.ThrowsAsync<RpcException>(() => _f.Client.GetEpochInfoAsync(42));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Valid_submission_gets_a_signed_receipt_retrievable_later()
    {
        var (info, _, built) = await _f.BuildAsync();
        var receipt = await _f.Client.SubmitAsync(built.Submission);
        Assert.True(TraderSdk.VerifyReceipt(receipt, info.VenueSigningPublicKey.Span, built.Digest));
        Assert.Equal(WireCodec.Encode(receipt), WireCodec.Encode(await _f.Client.GetReceiptAsync(built.Digest)));
        var nf = await Assert.ThrowsAsync<RpcException>(() => _f.Client.GetReceiptAsync(new byte[32]));
        Assert.Equal(StatusCode.NotFound, nf.StatusCode);
    }

    [Fact]
    public async Task Malformed_protobuf_is_INVALID_ARGUMENT()
    {
        var r = await RawGrpc.CallAsync(_f.Server.Address, Submit, RawGrpc.Frame([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
        Assert.Equal(StatusCode.InvalidArgument, r.StatusCode);
        Assert.Contains("malformed protobuf", r.Message);
        await AssertHealthy();
    }

    [Fact]
    public async Task Oversized_message_is_RESOURCE_EXHAUSTED()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        s.Nonce = ByteString.CopyFrom(new byte[5 * 1024 * 1024]);
        var e = await Refused(s);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Non_canonical_point_is_INVALID_ARGUMENT_naming_the_commitment()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        // p = 2^255 - 19 itself: a field element encoding that is not reduced, hence not canonical
        var p = Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        s.ShortCommitments[3] = new V1.Commitment { Point = new V1.CompressedRistretto { Data = ByteString.CopyFrom(p) } };
        s = Resign(info, s, key);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("submission.short_commitments[3]:", e.Status.Detail);
        // and an odd (negative) s, which ristretto255 also refuses
        var odd = new byte[32]; odd[0] = 1;
        s.LongCommitments[0] = new V1.Commitment { Point = new V1.CompressedRistretto { Data = ByteString.CopyFrom(odd) } };
        s.ShortCommitments[3] = built.Submission.Message().ShortCommitments[3];
        s = Resign(info, s, key);
        Assert.StartsWith("submission.long_commitments[0]:", (await Refused(s)).Status.Detail);
    }

    [Fact]
    public async Task Scalar_not_below_l_is_INVALID_ARGUMENT_naming_the_blinding()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var o = Wire(built.Opening);
        var l = DVV.ZkRisk.Crypto.Scalar.Order.ToByteArray(isUnsigned: true, isBigEndian: false);   // l itself: the smallest non-canonical scalar
        Assert.Equal(32, l.Length);
        o.ShortBlindings[0] = new V1.Scalar { Data = ByteString.CopyFrom(l) };
        s = Resign(info, s, key, o);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("opening.short_blindings[0]:", e.Status.Detail);
        Assert.Contains(">= l", e.Status.Detail);
    }

    [Fact]
    public async Task Invalid_range_proof_is_INVALID_ARGUMENT()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var proof = s.RangeProof.Data.ToByteArray();
        proof[proof.Length / 2] ^= 0x01;
        s.RangeProof.Data = ByteString.CopyFrom(proof);
        s = Resign(info, s, key, built.Opening);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("submission.range_proof", e.Status.Detail);
        // a proof made for other commitments does not verify for these either
        var other = (await _f.BuildAsync(9)).Built.Submission;
        s.RangeProof = other.Message().RangeProof;
        s = Resign(info, s, key, built.Opening);
        Assert.StartsWith("submission.range_proof", (await Refused(s)).Status.Detail);
    }

    [Fact]
    public async Task Wrong_signature_is_INVALID_ARGUMENT()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var sig = s.Signature.ToByteArray(); sig[10] ^= 0x40;
        s.Signature = ByteString.CopyFrom(sig);
        Assert.StartsWith("submission.signature:", (await Refused(s)).Status.Detail);
        // signed by another key
        s = built.Submission.Message();
        s.Signature = ByteString.CopyFrom(Ed25519PrivateKey.Generate().Sign(built.Digest));
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("submission.signature:", e.Status.Detail);
    }

    [Fact]
    public async Task HPKE_box_that_does_not_open_is_INVALID_ARGUMENT()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var ct = s.SealedOpening.Ciphertext.ToByteArray(); ct[5] ^= 1;
        s.SealedOpening.Ciphertext = ByteString.CopyFrom(ct);
        s = Resign(info, s, key);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("submission.sealed_opening:", e.Status.Detail);
        // a box sealed to another key
        s = built.Submission.Message();
        var other = info with { VenueHpkePublicKey = DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair.Generate().PublicKey };
        s = Resign(other, s, key, built.Opening);
        Assert.StartsWith("submission.sealed_opening:", (await Refused(s)).Status.Detail);
        // a box moved from another submission (aad = the public digest)
        var donor = (await _f.BuildAsync(5)).Built.Submission;
        s = built.Submission.Message();
        s.SealedOpening = donor.Message().SealedOpening;
        s = Resign(info, s, key);
        Assert.StartsWith("submission.sealed_opening:", (await Refused(s)).Status.Detail);
    }

    [Fact]
    public async Task Opening_that_does_not_match_the_commitment_is_INVALID_ARGUMENT()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var o = built.Opening with { LongBlindings = built.Opening.LongBlindings.Replaced(2, DVV.ZkRisk.Crypto.Scalar.Random()) };
        s = Resign(info, s, key, o);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("opening.long_values[2]:", e.Status.Detail);
        Assert.Contains("does not match long_commitments[2]", e.Status.Detail);
        // a value changed together with nothing else
        o = built.Opening with { ShortValues = built.Opening.ShortValues.Replaced(7, built.Opening.ShortValues[7] + 1) };
        s = Resign(info, s, key, o);
        Assert.StartsWith("opening.short_values[7]:", (await Refused(s)).Status.Detail);
    }

    /// <summary>The book's bytes with its USD collateral replaced (the positions, hence every band commitment, unchanged).</summary>
    private static byte[] WithCollateral(byte[] book, double usd)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(book)!;
        node["collateralUsd"] = usd;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    [Fact]
    public async Task Collateral_commitment_that_is_not_the_books_is_INVALID_ARGUMENT_naming_the_field()
    {
        var (info, key, built) = await _f.BuildAsync();
        Assert.True(built.Submission.HasCollateral);   // the epoch proves the flags (statement flag.v1)
        var book = built.Opening.BookJson.ToArray();
        double usd = DVV.ZkRisk.Risk.PositionBookFile.ParseAccount(book).CollateralUsd;

        // a trader that commits to twice its collateral (commitment, opening and range proof all consistent with the lie)
        // and sends its true book: the gateway recomputes the units from the book
        var inflated = _f.Sdk.Build(info, key, WithCollateral(book, 2 * usd + 1), _f.Admit(key));
        var o = inflated.Opening with { BookJson = book, CollateralUsd = built.Opening.CollateralUsd };
        var e = await Refused(Resign(info, inflated.Submission.Message(), key, o));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("opening.collateral_usd_units:", e.Status.Detail);
        Assert.Contains("is not the book's collateralUsd", e.Status.Detail);

        // an opening that does not open the collateral commitment
        o = built.Opening with { CollateralCoinBlinding = DVV.ZkRisk.Crypto.Scalar.Random() };
        e = await Refused(Resign(info, built.Submission.Message(), key, o));
        Assert.StartsWith("opening.collateral_coin_units:", e.Status.Detail);
        Assert.Contains("does not match submission.collateral_coin", e.Status.Detail);

        // a commitment the range proof was not made for
        var swapped = built.Submission.Message();
        swapped.CollateralUsd = inflated.Submission.Message().CollateralUsd;
        e = await Refused(Resign(info, swapped, key, built.Opening));
        Assert.StartsWith("submission.collateral_proof:", e.Status.Detail);

        // no collateral at all, or no proof
        var bare = built.Submission.Message();
        bare.CollateralUsd = null; bare.CollateralCoin = null; bare.CollateralProof = null;
        e = await Refused(Resign(info, bare, key, built.Opening));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("submission.collateral_usd: missing", e.Status.Detail);
        var noProof = built.Submission.Message();
        noProof.CollateralProof = null;
        Assert.StartsWith("submission.collateral_proof: missing", (await Refused(Resign(info, noProof, key, built.Opening))).Status.Detail);

        // the honest submission is accepted
        Assert.Equal(built.Digest, (await _f.Client.SubmitAsync(built.Submission)).SubmissionDigest.ToArray());
    }

    /// <summary>A linked-account declaration (circuits/cluster.v1.json) must be canonical: 32-byte keys, strictly ascending,
    /// without the trader's own; each refusal names submission.linked_accounts over gRPC.</summary>
    [Fact]
    public async Task Linked_accounts_not_in_canonical_form_are_INVALID_ARGUMENT_naming_the_field()
    {
        var (info, key, built) = await _f.BuildAsync();
        byte[] lo = new byte[32], hi = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var self = key.PublicKey.ToBytes();
        foreach (var (keys, reason) in new (byte[][] Keys, string Reason)[]
        {
            ([hi, lo], "strictly ascending"), ([lo, lo], "strictly ascending"), ([new byte[31]], "32-byte"), ([self], "own key"),
        })
        {
            var m = built.Submission.Message();
            foreach (var k in keys) m.LinkedAccounts.Add(Google.Protobuf.ByteString.CopyFrom(k));
            var e = await Refused(Resign(info, m, key, built.Opening));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith("submission.linked_accounts:", e.Status.Detail);
            Assert.Contains(reason, e.Status.Detail);
        }
        // a canonical declaration is accepted (the cluster forms only if the other accounts declare it too)
        var ok = built.Submission.Message();
        ok.LinkedAccounts.Add(Google.Protobuf.ByteString.CopyFrom(lo));
        ok.LinkedAccounts.Add(Google.Protobuf.ByteString.CopyFrom(hi));
        await _f.Client.SubmitRawAsync(Resign(info, ok, key, built.Opening));
    }

    [Fact]
    public async Task Book_that_does_not_match_the_commitment_is_INVALID_ARGUMENT()
    {
        var (info, key, built) = await _f.BuildAsync();
        var s = built.Submission.Message();
        var otherBook = ServerFixture.Book(info, 77);       // a different book, same (valid) openings
        var o = built.Opening with { BookJson = otherBook };
        s = Resign(info, s, key, o);
        var e = await Refused(s);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("opening.book_json:", e.Status.Detail);
        Assert.Contains("but short_commitments[", e.Status.Detail);
        // a book that does not parse names its own field
        o = o with { BookJson = System.Text.Encoding.UTF8.GetBytes("{\"account\":\"a\",\"positions\":[{\"instrument\":\"option\",\"type\":\"call\",\"strike\":\"x\"}]}") };
        s = Resign(info, s, key, o);
        Assert.StartsWith("opening.book_json.positions[0]", (await Refused(s)).Status.Detail);
    }

    [Fact]
    public async Task Stale_epoch_is_FAILED_PRECONDITION_and_unknown_epoch_NOT_FOUND()
    {
        var (info, key, built) = await _f.BuildAsync();
        await _f.Server.Epochs.AdvanceAsync();
        var e = await Refused(built.Submission);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.StartsWith("submission.epoch:", e.Status.Detail);
        var s = built.Submission.Message();
        s.Epoch = 1000;
        s = Resign(info, s, key);
        var nf = await Refused(s);
        Assert.Equal(StatusCode.NotFound, nf.StatusCode);
        Assert.StartsWith("submission.epoch:", nf.Status.Detail);
    }

    [Fact]
    public async Task Replayed_submission_is_ALREADY_EXISTS_and_a_resubmission_replaces()
    {
        var (info, key, built) = await _f.BuildAsync();
        var first = await _f.Client.SubmitAsync(built.Submission);
        var e = await Refused(built.Submission);
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        var again = _f.Sdk.Build(info, key, ServerFixture.Book(info, 3), _f.Admit(key));
        var second = await _f.Client.SubmitAsync(again.Submission);
        Assert.True(second.ReplacedPrevious);
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(StatusCode.AlreadyExists, (await Refused(built.Submission)).StatusCode);   // the replaced one stays burnt
        var live = await _f.Server.Store.GetLiveSubmissionAsync(info.Epoch, key.PublicKey.ToBytes());
        Assert.Equal(again.Digest, live!.Digest);
    }

    [Fact]
    public async Task Unknown_method_is_UNIMPLEMENTED_and_epoch_methods_refuse_empty_requests_with_a_reason()
    {
        var r = await RawGrpc.CallAsync(_f.Server.Address, ZkRiskClient.TraderGatewayService + "/Withdraw", RawGrpc.Frame([]));
        Assert.Equal(StatusCode.Unimplemented, r.StatusCode);
        foreach (var (m, code, text) in new[]
        {
            ("dvv.zkrisk.v1.Epochs/GetEpoch", StatusCode.NotFound, "no epoch has been sealed"),
            ("dvv.zkrisk.v1.Epochs/GetInclusionProof", StatusCode.InvalidArgument, "trader_public_key"),
            ("dvv.zkrisk.v1.Verifier/Attest", StatusCode.InvalidArgument, "attestation"),
            ("dvv.zkrisk.v1.TraderGateway/GetMarginNotice", StatusCode.InvalidArgument, "trader_public_key"),
        })
        {
            var u = await RawGrpc.CallAsync(_f.Server.Address, m, RawGrpc.Frame([]));
            Assert.Equal(code, u.StatusCode);
            Assert.Contains(text, u.Message);
        }
        await AssertHealthy();
    }

    [Fact]
    public async Task Every_method_of_the_protos_is_served()
    {
        // every method the protos declare answers with its own refusal of an empty request, never UNIMPLEMENTED
        var declared = V1.ServiceReflection.Descriptor.Services.Concat(V1.OperatorReflection.Descriptor.Services)
            .Concat(global::Grpc.Health.V1.HealthReflection.Descriptor.Services).SelectMany(s => s.Methods).ToList();
        Assert.Equal(14, declared.Count);   // 4 + 6 + 1 + 1 + health Check and Watch
        foreach (var m in declared)
        {
            // the watch streams never end by themselves: a deadline ends them (DEADLINE_EXCEEDED is still "served")
            var r = await RawGrpc.CallAsync(_f.Server.Address, $"{m.Service.FullName}/{m.Name}", RawGrpc.Frame([]),
                new Dictionary<string, string> { ["grpc-timeout"] = "2S" });
            Assert.True(r.StatusCode != StatusCode.Unimplemented, $"{m.Service.FullName}/{m.Name} is not served");
        }
    }

    [Fact]
    public async Task WatchEpochs_streams_the_current_epoch_then_changes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<V1.EpochEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in _f.Client.WatchEpochsAsync(0, ct: cts.Token))
            {
                lock (events) events.Add(e);
                if (e.Epoch == 2 && e.Status == V1.EpochStatus.Open) break;
            }
        });
        while (true) { lock (events) if (events.Count > 0) break; await Task.Delay(20, cts.Token); }
        await _f.Server.Epochs.AdvanceAsync();
        await watching.WaitAsync(cts.Token);
        Assert.Equal((1UL, V1.EpochStatus.Open), (events[0].Epoch, events[0].Status));
        Assert.Contains(events, e => e.Epoch == 1 && e.Status == V1.EpochStatus.Sealed);
        Assert.Equal((2UL, V1.EpochStatus.Open), (events[^1].Epoch, events[^1].Status));
    }

    [Fact]
    public async Task Health_check_knows_its_services()
    {
        foreach (var name in new[] { "", ZkRiskClient.TraderGatewayService, ZkRiskClient.EpochsService, ZkRiskClient.VerifierService, ZkRiskClient.OperatorService })
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await _f.Client.CheckHealthAsync(name)).Status);
        var e = await Assert.ThrowsAsync<RpcException>(() => _f.Client.CheckHealthAsync("nope.Service"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
