using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Crypto.Merkle;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Publication;
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
/// Gateway -> seal -> verify -> attest -> publish -> notice over the real gRPC service: 7 demo traders submit through
/// the gateway, the venue seals, three committee members fetch the bundle, verify it and attest (threshold 2), the
/// epoch is published, each trader fetches its signed notice and checks it (inclusion, openings, its own margin).
/// A second epoch replaces one submission and is verified on the chain. 16-bit range proofs keep it fast.
/// </summary>
public sealed class EpochEndToEndTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-e2e-" + Guid.NewGuid().ToString("N"));
    private ZkRiskServer _server = null!;
    private ZkRiskClient _client = null!;
    private readonly List<BlsSecretKey> _bls = [];
    private VerifierCommittee _committee = null!;

    private static readonly DVV.ZkRisk.Risk.ParameterSet Risk = DVV.ZkRisk.Risk.ParameterSet.Default with { KMin = 3, KCover = 2 };

    private static EpochParameters Params(ulong epoch, DateTimeOffset t) => Parameters.Create(Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(t, 100_000 * (1 - 0.03 * (epoch - 1)), DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 16);

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 3; i++) _bls.Add(BlsSecretKey.Generate());
        _committee = VerifierCommittee.Register(_bls.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 2);
        _server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { DataDirectory = _dir, Committee = _committee, Parameters = Params });
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

    private Admission Admit(DVV.ZkRisk.Crypto.Signing.Ed25519PrivateKey k) => _server.Epochs.Authorities.Admit(k.PublicKey.ToBytes());

    [Fact]
    public async Task Gateway_seal_verify_attest_publish_notice()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = await _client.GetEpochInfoAsync();
        var traders = DemoPopulation.Generate(7, info.Parameters, seed: 4, sizeScale: 0.05);
        var built = new BuiltSubmission[traders.Count];
        Parallel.For(0, traders.Count, i => built[i] = sdk.Build(info, traders[i].Key, traders[i].BookJson, Admit(traders[i].Key)));
        foreach (var b in built) Assert.True(TraderSdk.VerifyReceipt(await _client.SubmitAsync(b.Submission), info.VenueSigningPublicKey.Span, b.Digest));

        // before sealing: no bundle
        var none = await Assert.ThrowsAsync<RpcException>(() => _client.GetEpochAsync(1));
        Assert.Equal(StatusCode.NotFound, none.StatusCode);

        var sealed1 = await _server.Pipeline.SealOpenEpochAsync();
        Assert.Equal(7u, sealed1.Bundle.TraderCount);
        Assert.Equal(EpochStatus.Sealed, (await _client.GetEpochInfoAsync(1)).Status);

        // not published yet: no notices
        var early = await Assert.ThrowsAsync<RpcException>(() => _client.GetMarginNoticeAsync(Notices.SignedRequest(1, traders[0].Key, DateTimeOffset.UtcNow)));
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);

        var verifiers = _bls.Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault()))).ToList();
        var (r0, a0) = await verifiers[0].VerifyAndAttestAsync(_client, 1);
        Assert.True(r0.IsValid, string.Join("\n", r0.Findings));
        Assert.False(a0!.Published);
        // a bad attestation (another member's signature under index 2) is refused and changes nothing
        var forged = new DVV.ZkRisk.Api.V1.Attestation { Epoch = 1, BundleHash = ByteString.CopyFrom(sealed1.Bundle.BundleHash.Span), VerifierIndex = 2,
            BlsSignature = ByteString.CopyFrom(DVV.ZkRisk.Crypto.Bls12381.Attestation.Create(_bls[0], 2, 1, sealed1.Bundle.BundleHash.Span).Signature.ToBytes()) };
        var bad = await Assert.ThrowsAsync<RpcException>(() => _client.AttestAsync(forged));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        var (_, a1) = await verifiers[1].VerifyAndAttestAsync(_client, 1);
        Assert.True(a1!.Published);
        Assert.Equal(EpochStatus.Published, (await _client.GetEpochInfoAsync(1)).Status);
        var agg = _server.Pipeline.PublishedAttestation(1)!;
        Assert.True(QuorumCheck.Verify(_committee, AggregatedAttestation.FromBytes(agg.ToBytes()), 1, sealed1.Bundle.BundleHash.Span).IsValid);

        // every trader: inclusion proof over the wire, its notice, its own check
        var verified = r0.Verified!;
        foreach (var (t, b) in traders.Zip(built))
        {
            var inc = await _client.GetInclusionProofAsync(1, t.Key.PublicKey.ToBytes());
            var proof = new MerkleInclusionProof((int)inc.LeafIndex, (int)inc.LeafCount, inc.Siblings.Select(s => s.ToByteArray()).ToArray());
            Assert.True(MerkleTree.Verify(sealed1.Bundle.MerkleRoot.ToArray(), inc.Leaf.ToByteArray(), proof));
            Assert.Equal(b.Digest, inc.Leaf.ToByteArray()[32..64]);
            var notice = await _client.GetMarginNoticeAsync(Notices.SignedRequest(1, t.Key, DateTimeOffset.UtcNow));
            Assert.Equal(12, notice.LiquidationFlags.Count);
            var problems = Notices.TraderCheck(verified, t.Key.PublicKey.ToBytes(), b.Opening, notice);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.True(decimal.Parse(notice.TotalMargin, System.Globalization.CultureInfo.InvariantCulture) >= decimal.Parse(notice.InitialMargin, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains(traders, t => _server.Pipeline.Verified(1)!.State.TryGet(t.Key.PublicKey.ToBytes(), out _));

        // someone else's key cannot read a notice
        var req = Notices.SignedRequest(1, traders[1].Key, DateTimeOffset.UtcNow) with { TraderPublicKey = traders[2].Key.PublicKey.ToBytes() };
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => _client.GetMarginNoticeAsync(req))).StatusCode);
        // an old signed request is refused (no replays)
        var old = Notices.SignedRequest(1, traders[1].Key, DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => _client.GetMarginNoticeAsync(old))).StatusCode);
        // unknown trader in the inclusion proof
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => _client.GetInclusionProofAsync(1, new byte[32]))).StatusCode);

        // epoch 2: one trader replaces its submission; the others persist
        var info2 = await _client.GetEpochInfoAsync();
        Assert.Equal(2ul, info2.Epoch);
        var rebuilt = sdk.Build(info2, traders[3].Key, DemoPopulation.Resize(traders[3], info2.Parameters, 9, 0.05), Admit(traders[3].Key));
        await _client.SubmitAsync(rebuilt.Submission);
        var sealed2 = await _server.Pipeline.SealOpenEpochAsync();
        Assert.False(sealed2.Bundle.Checkpoint);
        Assert.Single(sealed2.Bundle.Submissions);
        Assert.Equal(7u, sealed2.Bundle.TraderCount);
        foreach (var v in verifiers.Take(2))
        {
            var (r, a) = await v.VerifyAndAttestAsync(_client, 2);
            Assert.True(r.IsValid, string.Join("\n", r.Findings));
        }
        // the third verifier never saw epoch 1: it cannot check the incremental bundle alone
        var (r2, a2) = await verifiers[2].VerifyAndAttestAsync(_client, 2);
        Assert.False(r2.IsValid);
        Assert.Null(a2);
        var n2 = await _client.GetMarginNoticeAsync(Notices.SignedRequest(2, traders[3].Key, DateTimeOffset.UtcNow));
        Assert.Empty(Notices.TraderCheck(verifiers[0].Last!.Verified!, traders[3].Key.PublicKey.ToBytes(), rebuilt.Opening, n2));
        // the old opening no longer matches what epoch 2 counts for trader 3
        Assert.NotEmpty(Notices.TraderCheck(verifiers[0].Last!.Verified!, traders[3].Key.PublicKey.ToBytes(), built[3].Opening, null));

        // ---- offline: dvv-zk audit / verify / trader check as a process on the published files ----
        var outDir = Path.Combine(_dir, "published");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, BundleFormat.CommitteeFileName), _committee.ToJson());
        foreach (var (ep, sr) in new[] { (1ul, sealed1), (2ul, sealed2) })
        {
            File.WriteAllBytes(Path.Combine(outDir, BundleFormat.FileName(ep)), WireCodec.Encode(sr.Bundle));
            File.WriteAllBytes(Path.Combine(outDir, BundleFormat.AttestationFileName(ep)), _server.Pipeline.PublishedAttestation(ep)!.ToBytes());
        }
        var root = Convert.ToHexStringLower(_server.Epochs.Authorities.RootHash);
        Assert.Equal(2, Cli("audit", outDir).Exit);   // no trust root: the auditor must pin the governance (or bring the committee)
        var audit = Cli("audit", outDir, "--json", "--governance", root);
        Assert.True(audit.Exit == 0, audit.Out + audit.Err);
        using (var doc = System.Text.Json.JsonDocument.Parse(audit.Out)) Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(0, Cli("verify", Path.Combine(outDir, BundleFormat.FileName(2))).Exit);

        // the trader's own check from its key, opening and notice files
        var keyPath = Path.Combine(outDir, "t3.key");
        File.WriteAllText(keyPath, $"{{\"ed25519_seed\":\"{Convert.ToHexStringLower(traders[3].Key.ToSeed())}\",\"public_key\":\"x\"}}");
        File.WriteAllBytes(Path.ChangeExtension(keyPath, ".opening"), WireCodec.Encode(rebuilt.Opening));
        File.WriteAllBytes(Path.ChangeExtension(keyPath, ".e2.notice"), WireCodec.Encode(n2));
        var check = Cli("trader", "check", "--bundle", Path.Combine(outDir, BundleFormat.FileName(2)), "--key", keyPath, "--json");
        Assert.True(check.Exit == 0, check.Out + check.Err);
        // with the replaced (epoch 1) opening the trader sees that its counted commitments are not that opening
        File.WriteAllBytes(Path.ChangeExtension(keyPath, ".opening"), WireCodec.Encode(built[3].Opening));
        var stale = Cli("trader", "check", "--bundle", Path.Combine(outDir, BundleFormat.FileName(2)), "--key", keyPath);
        Assert.Equal(1, stale.Exit);
        Assert.Contains("opening", stale.Out);

        // tampering: one aggregate, re-hashed; the statement hash; a missing attestation
        var b2 = sealed2.Bundle.Message();
        var cell = b2.Aggregates.First(x => x.Published && x.Contributors > 0);
        cell.Value += 1;
        b2.Rehash();
        File.WriteAllBytes(Path.Combine(outDir, BundleFormat.FileName(2)), b2.ToByteArray());
        var bad1 = Cli("audit", outDir, "--governance", root);
        Assert.Equal(1, bad1.Exit);
        Assert.Contains("sum_proof", bad1.Out);
        Assert.Contains(cell.CellLabel(), bad1.Out);
        Assert.Contains("attestation", bad1.Out);   // the quorum signed the original bundle hash
        File.WriteAllBytes(Path.Combine(outDir, BundleFormat.FileName(2)), WireCodec.Encode(sealed2.Bundle));
        File.Delete(Path.Combine(outDir, BundleFormat.AttestationFileName(1)));
        var bad2 = Cli("audit", outDir, "--json", "--governance", root);
        Assert.Equal(1, bad2.Exit);
        Assert.Contains("attestation", bad2.Out);
        // a committee.json the venue planted (its own BLS keys) is not the committee the governed parameters pin
        File.WriteAllBytes(Path.Combine(outDir, BundleFormat.AttestationFileName(1)), _server.Pipeline.PublishedAttestation(1)!.ToBytes());
        var fakeKeys = Enumerable.Range(0, 2).Select(_ => BlsSecretKey.Generate()).ToList();
        var fake = VerifierCommittee.Register(fakeKeys.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 1);
        File.WriteAllText(Path.Combine(outDir, BundleFormat.CommitteeFileName), fake.ToJson());
        var planted = Cli("audit", outDir, "--governance", root);
        Assert.Equal(1, planted.Exit);
        Assert.Contains("is not the committee", planted.Out);
        File.WriteAllText(Path.Combine(outDir, BundleFormat.CommitteeFileName), _committee.ToJson());
        var missing = Cli("audit", Path.Combine(outDir, "nope"), "--governance", root);
        Assert.Equal(2, missing.Exit);
        Assert.DoesNotContain("   at ", missing.Err);
    }

    [Fact]
    public async Task After_a_restart_the_next_epoch_is_a_checkpoint_of_every_persisting_submission_linked_to_the_stored_chain()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        var info = await _client.GetEpochInfoAsync();
        var traders = DemoPopulation.Generate(5, info.Parameters, seed: 8, sizeScale: 0.05);
        var built = new BuiltSubmission[traders.Count];
        Parallel.For(0, traders.Count, i => built[i] = sdk.Build(info, traders[i].Key, traders[i].BookJson, Admit(traders[i].Key)));
        foreach (var b in built) await _client.SubmitAsync(b.Submission);
        var e1 = await _server.Pipeline.SealOpenEpochAsync();

        // restart on the same data directory
        _client.Dispose();
        await _server.DisposeAsync();
        _server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { DataDirectory = _dir, Committee = _committee, Parameters = Params });
        _client = new ZkRiskClient(_server.Address);
        Assert.Equal(WireCodec.Encode(e1.Bundle), WireCodec.Encode(await _client.GetEpochAsync(1)));   // the stored bundle survives

        var info2 = await _client.GetEpochInfoAsync();
        Assert.Equal(2ul, info2.Epoch);
        var replaced = sdk.Build(info2, traders[0].Key, DemoPopulation.Resize(traders[0], info2.Parameters, 1, 0.05), Admit(traders[0].Key));
        await _client.SubmitAsync(replaced.Submission);
        var e2 = await _server.Pipeline.SealOpenEpochAsync();
        Assert.True(e2.Bundle.Checkpoint);
        Assert.Equal(5u, e2.Bundle.TraderCount);                    // the four that did not resubmit persist
        Assert.Equal(e1.Bundle.BundleHash.ToArray(), e2.Bundle.PreviousBundleHash.ToArray());
        var v = new BundleVerifier(StatementSet.LoadDefault(), _server.Epochs.Authorities.RootHash);
        var r1 = v.Verify(e1.Bundle, null);
        var r2 = v.Verify(e2.Bundle, r1.State);
        Assert.True(r2.IsValid, string.Join("\n", r2.Findings));
        Assert.Empty(Notices.TraderCheck(r2.Verified!, traders[0].Key.PublicKey.ToBytes(), replaced.Opening, null));
        Assert.Empty(Notices.TraderCheck(r2.Verified!, traders[1].Key.PublicKey.ToBytes(), built[1].Opening, null));
    }

    private static (int Exit, string Out, string Err) Cli(params string[] args) => DvvZk.Run(args);
}
