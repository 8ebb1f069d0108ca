using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Crypto.Merkle;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Protocol;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Venue.Storage;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Codec;
using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;
using BlsAttestation = DVV.ZkRisk.Crypto.Bls12381.Attestation;

namespace DVV.ZkRisk.Venue.Publication;

/// <summary>
/// The venue side of an epoch after the gateway: seal (close the open epoch, take its new or replaced submissions, build
/// the bundle), keep it for GetEpoch and GetInclusionProof, collect the verifiers' BLS attestations, publish once the
/// committee's threshold is reached, and only then serve margin notices. Bundles and aggregated attestations are written
/// to the store (write-once keys) as they are made.
/// </summary>
internal sealed class EpochPipeline
{
    private readonly IStore _store;
    private readonly EpochService _epochs;
    private readonly VenueKeys _keys;
    private readonly EpochSealer _sealer;
    private readonly BundleVerifier _selfCheck;
    private readonly SemaphoreSlim _gate = new(1, 1);       // attestations and publication
    private readonly SemaphoreSlim _sealGate = new(1, 1);   // the sealer: Seal and Prepare
    private readonly Dictionary<ulong, Sealed> _sealed = new();
    // submissions the gateway accepted since the last seal, by digest (hex): their books are parsed and valued already
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AcceptedSubmission> _accepted = new(StringComparer.Ordinal);

    private sealed class Sealed
    {
        public required SealResult Result { get; init; }
        public required VerifiedEpoch Verified { get; init; }
        public Dictionary<int, BlsAttestation> Attestations { get; } = new();
        public AggregatedAttestation? Published { get; set; }
        public Dictionary<string, MarginNotice>? Notices { get; set; }
        public byte[]? Encoded { get; set; }
    }

    public EpochPipeline(IStore store, EpochService epochs, VenueKeys keys, StatementSet statements, VerifierCommittee? committee)
    {
        _store = store; _epochs = epochs; _keys = keys; Committee = committee;
        _sealer = new EpochSealer(statements);
        _selfCheck = new BundleVerifier(statements, epochs.Authorities.RootHash);
    }

    public VerifierCommittee? Committee { get; }

    /// <summary>The venue's funding ledger for cluster detection (trader key hex to funding source), read at each seal; null:
    /// clusters come from declarations and identical books only.</summary>
    public Func<IReadOnlyDictionary<string, string>?>? FundingSources { get; set; }
    public StatementSet Statements => _sealer.Statements;

    /// <summary>Closes the open epoch, opens the next, seals the closed one from its new or replaced submissions.</summary>
    public Task<SealResult> SealOpenEpochAsync(CancellationToken ct = default) => SealAsync(null, true, ct);

    /// <summary>Benchmarks only (`dvv-zk bench fetch`): seals the open epoch from <paramref name="inputs"/> instead of the
    /// store (submissions built without range proofs, which the gateway would refuse); the self-check skips range proofs.</summary>
    internal Task<SealResult> SealInputsForBenchmarkAsync(IReadOnlyList<SealInput> inputs, CancellationToken ct = default) => SealAsync(inputs, false, ct);

    private async Task<SealResult> SealAsync(IReadOnlyList<SealInput>? given, bool checkRangeProofs, CancellationToken ct)
    {
        await _sealGate.WaitAsync(ct);
        try
        {
            var open = await _epochs.LatestAsync(ct) ?? throw new InvalidOperationException("no epoch");
            await _epochs.AdvanceAsync(ct, announceSealed: false);
            IReadOnlyList<StoredSubmission> rows = await _store.ListLiveSubmissionsAsync(open.Epoch, ct);
            var parent = _sealer.State;
            if (parent is null && open.Epoch > 1)
            {
                // restarted: submissions persist until replaced, so the checkpoint takes every trader's latest live one,
                // folded from the verified state of the stored chain (the checkpoint must equal that fold)
                rows = (await _store.ListAllSubmissionsAsync(ct)).Where(r => r.Live && r.Epoch <= open.Epoch)
                    .GroupBy(r => Convert.ToHexStringLower(r.Trader)).Select(g => g.OrderByDescending(r => r.Sequence).First()).ToList();
                parent = await StoredStateAsync(open.Epoch - 1, ct);
                if (parent != null) _sealer.ResumeAfter(parent);
            }
            // inputs the gateway accepted in this process come decoded, with their books parsed and valued; rows stored
            // before a restart are decoded here, once
            var inputs = given ?? rows.Select(r => _accepted.TryGetValue(Convert.ToHexStringLower(r.Digest), out var a) ? a.Input
                : new SealInput(WireCodec.DecodeSubmission(r.SubmissionBytes), WireCodec.DecodeOpening(r.OpeningBytes), r.Digest)).ToList();
            var context = EpochContext.Of(WireCodec.DecodeParameters(open.ParameterSet));
            var seed = await _epochs.CoverSeedAsync(open.Epoch, ct);
            if (FundingSources is { } fs) _sealer.FundingSources = fs();
            var result = _sealer.Seal(open.Epoch, context, inputs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), seed);
            foreach (var (k, a) in _accepted) if (a.Epoch <= open.Epoch) _accepted.TryRemove(k, out _);
            // the venue checks its own bundle exactly as a verifier will before offering it
            var check = _selfCheck.Verify(result.Bundle, parent?.Epoch == open.Epoch - 1 ? parent : null, checkRangeProofs);
            if (!check.IsValid) throw new InvalidOperationException("the sealed bundle does not verify: " + string.Join("; ", check.Findings.Take(3)));
            var encoded = result.Encoding;   // written once by the sealer, with the hash
            await _store.GetOrAddMetaAsync($"bundle/{open.Epoch}", encoded, ct);
            _sealed[open.Epoch] = new Sealed { Result = result, Verified = check.Verified!, Encoded = encoded };
            _epochs.Publish(new EpochEvent(open.Epoch, EpochStatus.Sealed, result.Bundle.BundleHash, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            if (PrepareAhead) _ = PrepareNextAsync();
            return result;
        }
        finally { _sealGate.Release(); }
    }

    /// <summary>The verified state of stored epoch <paramref name="epoch"/>: the stored bundles folded from their last
    /// checkpoint (range proofs are not re-checked: this venue checked them when it sealed). Null when none is stored.</summary>
    private async Task<EpochState?> StoredStateAsync(ulong epoch, CancellationToken ct)
    {
        var chain = new List<EpochBundle>();
        for (ulong e = epoch; e >= 1; e--)
        {
            var bytes = await _store.GetMetaAsync($"bundle/{e}", ct);
            if (bytes is not { Length: > 0 }) break;
            var b = WireCodec.DecodeBundle(bytes);
            chain.Add(b);
            if (b.Checkpoint) break;
        }
        if (chain.Count == 0 || !chain[^1].Checkpoint) return null;
        chain.Reverse();
        var fold = new ChainFold(_selfCheck);
        foreach (var b in chain)
        {
            var r = fold.Add(b, checkRangeProofs: false);
            if (!r.IsValid) throw new InvalidOperationException($"stored bundle of epoch {b.Epoch} does not verify: " + string.Join("; ", r.Findings.Take(3)));
        }
        return fold.State;
    }

    /// <summary>Prove re-issues ahead of the seal: every accepted submission's selection parts, and at each epoch opening
    /// the parts of traders whose flags change and of the cover set (default on).</summary>
    public bool PrepareAhead { get; set; } = true;

    private async Task PrepareNextAsync()
    {
        await _sealGate.WaitAsync();
        try
        {
            var next = await _epochs.LatestAsync();
            if (next is null || next.Status != EpochStatus.Open) return;
            var seed = await _epochs.CoverSeedAsync(next.Epoch);
            await Task.Run(() => _sealer.Prepare(next.Epoch, EpochContext.Of(WireCodec.DecodeParameters(next.ParameterSet)), seed));
        }
        catch (Exception) { /* an optimisation: the seal proves whatever was not prepared */ }
        finally { _sealGate.Release(); }
    }

    /// <summary>The gateway's <see cref="SubmissionGateway.Accepted"/> hook: keeps the decoded submission for the seal and
    /// pre-issues its selection parts in the background.</summary>
    /// <summary>Whether the gateway has submissions in hand; proving ahead waits while it does (see <see cref="OnAccepted"/>).</summary>
    public Func<bool> GatewayBusy { get; set; } = () => false;

    // accepted submissions whose selection parts are still to be proven ahead, the latest per trader
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AcceptedSubmission> _toPreIssue = new(StringComparer.Ordinal);
    private int _preIssuing;

    /// <summary>
    /// An accepted submission: kept for the seal (its parsed book and valuation) and, with <see cref="PrepareAhead"/>, its
    /// selection parts proven ahead. Proving ahead is deferrable work (about as much CPU as the submission's own checks):
    /// one background worker does it, the latest submission per trader only, and only while the gateway is idle, so it
    /// never takes CPU from submissions waiting for a receipt; what is still pending at the seal is proven by the seal.
    /// </summary>
    public void OnAccepted(AcceptedSubmission a)
    {
        _accepted[Convert.ToHexStringLower(a.Input.Digest)] = a;
        if (!PrepareAhead) return;
        _toPreIssue[Convert.ToHexStringLower(a.Input.Submission.TraderPublicKey.Span)] = a;
        StartPreIssuing();
    }

    private void StartPreIssuing()
    {
        if (Interlocked.CompareExchange(ref _preIssuing, 1, 0) == 0) _ = Task.Run(PreIssueLoopAsync);
    }

    private async Task PreIssueLoopAsync()
    {
        try
        {
            while (!_toPreIssue.IsEmpty)
            {
                if (GatewayBusy()) { await Task.Delay(20); continue; }
                foreach (var key in _toPreIssue.Keys)
                {
                    if (GatewayBusy()) break;
                    if (!_toPreIssue.TryRemove(key, out var a)) continue;
                    try { _sealer.PreIssue(a.Epoch, a.Context, a.Input); }
                    catch (Exception) { /* the seal proves it instead */ }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _preIssuing, 0);
            if (!_toPreIssue.IsEmpty) StartPreIssuing();   // one arrived as the loop ended
        }
    }

    private Sealed Get(ulong epoch, string field)
    {
        lock (_sealed)
        {
            if (epoch == 0)
            {
                if (_sealed.Count == 0) throw new GatewayException(GatewayError.NotFound, field, "no epoch has been sealed yet");
                return _sealed[_sealed.Keys.Max()];
            }
            return _sealed.TryGetValue(epoch, out var s) ? s
                : throw new GatewayException(GatewayError.NotFound, field, $"epoch {epoch} has no sealed bundle");
        }
    }

    public async Task<EpochBundle> GetBundleAsync(ulong epoch)
    {
        lock (_sealed) if (epoch == 0 ? _sealed.Count > 0 : _sealed.ContainsKey(epoch)) return Get(epoch, "epoch").Result.Bundle;
        // sealed before a restart: the stored bundle
        if (epoch != 0)
        {
            var stored = await _store.GetMetaAsync($"bundle/{epoch}");
            if (stored is { Length: > 0 }) return WireCodec.DecodeBundle(stored);
        }
        return Get(epoch, "epoch").Result.Bundle;   // NOT_FOUND with the reason
    }

    /// <summary>A sealed bundle's canonical encoding (built once per bundle and kept) for GetEpochParts.</summary>
    public async Task<(ulong Epoch, byte[] BundleHash, byte[] Bytes)> GetBundleBytesAsync(ulong epoch)
    {
        Sealed? s = null;
        lock (_sealed) if (epoch == 0 ? _sealed.Count > 0 : _sealed.ContainsKey(epoch)) s = Get(epoch, "epoch");
        if (s != null)
        {
            var bytes = s.Encoded ??= WireCodec.Encode(s.Result.Bundle);
            return (s.Result.Bundle.Epoch, s.Result.Bundle.BundleHash.ToArray(), bytes);
        }
        var b = await GetBundleAsync(epoch);   // stored before a restart, or NOT_FOUND
        return (b.Epoch, b.BundleHash.ToArray(), WireCodec.Encode(b));
    }

    public VerifiedEpoch? Verified(ulong epoch) { lock (_sealed) return _sealed.TryGetValue(epoch, out var s) ? s.Verified : null; }

    public AggregatedAttestation? PublishedAttestation(ulong epoch) { lock (_sealed) return _sealed.TryGetValue(epoch, out var s) ? s.Published : null; }

    // states of epochs sealed before a restart, folded from the stored chain on first use (inclusion proofs)
    private readonly Dictionary<ulong, EpochState> _restored = new();

    public async Task<TraderInclusion> GetInclusionProofAsync(ulong epoch, ReadOnlyMemory<byte> trader)
    {
        if (trader.Length != 32) throw GatewayException.Invalid("trader_public_key", $"must be 32 bytes, got {trader.Length}");
        Sealed? s;
        lock (_sealed) s = epoch == 0 ? (_sealed.Count > 0 ? _sealed[_sealed.Keys.Max()] : null) : _sealed.GetValueOrDefault(epoch);
        EpochState state;
        if (s != null) state = s.Result.State;
        else
        {
            // sealed before a restart: the state folded from the stored bundles (once per epoch)
            EpochState? restored;
            lock (_restored) _restored.TryGetValue(epoch, out restored);
            if (restored is null && epoch != 0 && (restored = await StoredStateAsync(epoch, CancellationToken.None)) != null)
                lock (_restored) _restored[epoch] = restored;
            state = restored ?? Get(epoch, "epoch").Result.State;   // NOT_FOUND with the reason
        }
        var inc = state.Inclusion(trader.Span)
                  ?? throw new GatewayException(GatewayError.NotFound, "trader_public_key", $"trader is not in epoch {state.Epoch}");
        return new TraderInclusion(state.Epoch, inc.Leaf, (ulong)inc.Proof.Index, (ulong)inc.Proof.LeafCount, inc.Proof.Siblings.ToArray(), state.Tree().Root);
    }

    /// <summary>A verifier's attestation; publishes the epoch when the committee threshold is reached.</summary>
    public async Task<AttestationTally> AttestAsync(VerifierAttestation? a, CancellationToken ct = default)
    {
        if (a is null) throw GatewayException.Invalid("attestation", "missing");
        var committee = Committee ?? throw new GatewayException(GatewayError.FailedPrecondition, "attestation", "no verifier committee is configured on this venue");
        var s = Get(a.Epoch, "attestation.epoch");
        if (a.Epoch == 0) throw GatewayException.Invalid("attestation.epoch", "missing (0)");
        if (!a.BundleHash.Span.SequenceEqual(s.Result.Bundle.BundleHash.Span))
            throw GatewayException.Invalid("attestation.bundle_hash", $"is not the hash of epoch {a.Epoch}'s bundle");
        if (a.VerifierIndex >= committee.Size) throw GatewayException.Invalid("attestation.verifier_index", $"{a.VerifierIndex} is not a member (committee of {committee.Size})");
        var member = committee.Members[(int)a.VerifierIndex];
        if (!a.BlsPublicKey.IsEmpty && !a.BlsPublicKey.Span.SequenceEqual(member.PublicKey.ToBytes()))
            throw GatewayException.Invalid("attestation.bls_public_key", $"is not member {a.VerifierIndex}'s registered key");
        BlsSignature sig;
        try { sig = BlsSignature.FromBytes(a.BlsSignature.Span); }
        catch (Exception e) when (e is FormatException or ArgumentException or BlsEncodingException) { throw GatewayException.Invalid("attestation.bls_signature", e.Message); }
        var att = new BlsAttestation((int)a.VerifierIndex, a.Epoch, a.BundleHash.ToArray(), sig);
        if (!committee.VerifyAttestation(att)) throw GatewayException.Invalid("attestation.bls_signature", "does not verify for this member, epoch and bundle hash");
        await _gate.WaitAsync(ct);
        try
        {
            s.Attestations[att.SignerIndex] = att;
            if (s.Published is null && s.Attestations.Count >= committee.Threshold)
            {
                var agg = AggregatedAttestation.Aggregate(committee, s.Attestations.Values);
                var q = QuorumCheck.Verify(committee, agg, a.Epoch, s.Result.Bundle.BundleHash.Span);
                if (!q.IsValid) throw new InvalidOperationException("quorum check failed after aggregation: " + q.Reason);
                await _store.GetOrAddMetaAsync(AttestationKey(a.Epoch), agg.ToBytes(), ct);
                // the notices are records too, durable before the epoch is published: a restarted venue, which no longer
                // knows the selection blindings they open, still serves them
                var notices = BuildNotices(s);
                await _store.AddMetaBatchAsync(notices.Select(kv => KeyValuePair.Create(NoticeKey(a.Epoch, kv.Key), WireCodec.Encode(kv.Value))).ToList(), ct);
                await _store.MarkPublishedAsync(a.Epoch, ct);
                NotePublished(a.Epoch);
                s.Notices = notices;
                s.Published = agg;
                _epochs.Publish(new EpochEvent(a.Epoch, EpochStatus.Published, a.BundleHash, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }
            return new AttestationTally((uint)s.Attestations.Count, (uint)committee.Threshold, s.Published != null,
                s.Published?.Signature.ToBytes(), s.Published?.Signers.ToBytes());
        }
        finally { _gate.Release(); }
    }

    private Dictionary<string, MarginNotice> BuildNotices(Sealed s)
    {
        var signer = new VenueSigner(_keys.Signing);
        var traders = s.Result.State.Traders.ToArray();
        var notices = new MarginNotice[traders.Length];
        // a cluster is margined as one: its basis (merged book, summed exposure) once, for every member's notice
        var clusters = new Dictionary<string, Notices.ClusterBasis>(StringComparer.Ordinal);
        foreach (var c in s.Verified.Bundle.Clusters)
        {
            var members = c.Members.Select(m => s.Result.Secrets[Convert.ToHexStringLower(m.Span)]).ToList();
            var basis = Notices.Basis(s.Verified, c, members.Select(m => m.Book).ToList(), members.Select(m => (IReadOnlyList<ulong>)m.ShortValues).ToList());
            foreach (var m in c.Members) clusters[Convert.ToHexStringLower(m.Span)] = basis;
        }
        Parallel.For(0, traders.Length, i => notices[i] = Notices.Build(s.Verified, traders[i], s.Result.Secrets[traders[i].Hex],
            s.Result.Valuations.TryGetValue(traders[i].Hex, out var risk) ? risk : null, signer, clusters.GetValueOrDefault(traders[i].Hex)));
        return traders.Select((t, i) => (t.Hex, notices[i])).ToDictionary(x => x.Hex, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>How long a signed notice request stays valid (replayed old requests are refused).</summary>
    public static TimeSpan NoticeRequestWindow { get; } = TimeSpan.FromMinutes(10);

    private ulong _latestPublished;
    private volatile bool _scannedPublished;

    private void NotePublished(ulong epoch)
    {
        ulong seen;
        while ((seen = Volatile.Read(ref _latestPublished)) < epoch && Interlocked.CompareExchange(ref _latestPublished, epoch, seen) != seen) { }
    }

    private static string AttestationKey(ulong epoch) => $"attestation/{epoch}";
    private static string NoticeKey(ulong epoch, string traderHex) => $"notice/{epoch}/{traderHex}";

    /// <summary>The aggregated attestation that published <paramref name="epoch"/> (0: the latest published), from memory
    /// or, after a restart, from the store; NOT_FOUND while the epoch is unpublished.</summary>
    public async Task<(ulong Epoch, byte[] BundleHash, byte[] Aggregated)> GetAttestationAsync(ulong epoch, CancellationToken ct = default)
    {
        if (epoch == 0)
        {
            // the latest published epoch: kept as epochs are published; after a restart found in the store once (an
            // unauthenticated call must not make the venue scan its epochs again and again)
            if (Volatile.Read(ref _latestPublished) == 0 && !_scannedPublished)
            {
                var latest = await _store.GetLatestEpochAsync(ct);
                for (ulong e = latest?.Epoch ?? 0; e >= 1; e--)
                    if ((await _store.GetEpochAsync(e, ct))?.Status == EpochStatus.Published) { NotePublished(e); break; }
                _scannedPublished = true;
            }
            epoch = Volatile.Read(ref _latestPublished);
            if (epoch == 0) throw new GatewayException(GatewayError.NotFound, "epoch", "no epoch has been published yet");
        }
        var bytes = await _store.GetMetaAsync(AttestationKey(epoch), ct)
                    ?? throw new GatewayException(GatewayError.NotFound, "epoch", $"epoch {epoch} is not published (no aggregated attestation)");
        var agg = AggregatedAttestation.FromBytes(bytes);
        return (epoch, agg.BundleHash, bytes);
    }

    /// <summary>A trader's notice: the request must be signed by the trader and fresh; only for published epochs.</summary>
    public async Task<MarginNotice> GetMarginNoticeAsync(MarginNoticeRequest req)
    {
        if (req.TraderPublicKey.Length != 32 || !Ed25519PublicKey.TryFromBytes(req.TraderPublicKey.Span, out var pk))
            throw GatewayException.Invalid("trader_public_key", "not an Ed25519 public key");
        if (req.Signature.Length != 64 || !pk!.Verify(Notices.RequestDigest(req.Epoch, req.TraderPublicKey.Span, req.RequestedAtUnixMs), req.Signature.Span))
            throw new GatewayException(GatewayError.PermissionDenied, "signature", "the request is not signed by the trader's key");
        var age = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - req.RequestedAtUnixMs;
        if (Math.Abs(age) > (long)NoticeRequestWindow.TotalMilliseconds)
            throw new GatewayException(GatewayError.PermissionDenied, "requested_at_unix_ms", $"the signed request is {age / 1000} s old; requests are valid for {NoticeRequestWindow.TotalMinutes:0} minutes (sign a fresh one)");
        string hex = Convert.ToHexStringLower(req.TraderPublicKey.Span);
        Sealed? inMemory;
        lock (_sealed) inMemory = req.Epoch != 0 && _sealed.TryGetValue(req.Epoch, out var m) ? m : null;
        if (inMemory is null && req.Epoch != 0 && (await _store.GetEpochAsync(req.Epoch))?.Status == EpochStatus.Published)
        {
            // published before a restart: the stored notice
            var stored = await _store.GetMetaAsync(NoticeKey(req.Epoch, hex));
            return stored is { Length: > 0 } ? WireCodec.DecodeNotice(stored)
                : throw new GatewayException(GatewayError.NotFound, "trader_public_key", $"trader has no submission in epoch {req.Epoch}");
        }
        var s = inMemory ?? Get(req.Epoch, "epoch");
        if (s.Published is null || s.Notices is null)
            throw new GatewayException(GatewayError.FailedPrecondition, "epoch", $"epoch {s.Result.State.Epoch} is sealed but not published: {s.Attestations.Count} of {Committee?.Threshold ?? 0} attestations");
        return s.Notices.TryGetValue(hex, out var n)
            ? n
            : throw new GatewayException(GatewayError.NotFound, "trader_public_key", $"trader has no submission in epoch {s.Result.State.Epoch}");
    }
}
