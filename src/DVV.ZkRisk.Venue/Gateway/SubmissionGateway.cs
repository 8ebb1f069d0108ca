using System.Diagnostics;
using System.Text;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Venue.Storage;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Protocol.Flags;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>
/// Checks a submission completely and stores it durably before acknowledging it (DESIGN.md section 2 step 3):
/// the shape (its points and scalars were decoded canonically where the bytes arrived), epoch window, signature, range proof, HPKE box, openings against the
/// commitments, the book against the openings, replay, then the durable commit and the venue-signed receipt.
/// Every refusal is a <see cref="GatewayException"/> naming the field; nothing is stored unless everything holds.
/// Transport-neutral: the gRPC endpoints call it.
/// At venue scale (issue 13) submissions that arrive together are checked together: their range proofs go through one
/// <see cref="BatchQueue{TIn, TOut}"/> into one batch verification (a failed batch re-checks each proof, so every caller
/// still gets its own precise refusal), and the accepted ones through another into one store transaction (group
/// commit: one fsync for the batch, each receipt sent only once its batch is durable). The other checks (signature,
/// HPKE, openings, book) run on the caller's own task, in parallel across callers. At most
/// <see cref="GatewayOptions.MaxInFlight"/> submissions are inside at once; one more is RESOURCE_EXHAUSTED with a retry hint.
/// </summary>
internal sealed class SubmissionGateway : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly EpochService _epochs;
    private readonly VenueKeys _keys;
    private readonly BatchQueue<Crypto.RangeProofStatement[], int> _proofs;
    private readonly BatchQueue<PendingCommit, CommitResult> _commits;
    private int _inFlight, _beforeProof;

    public SubmissionGateway(IStore store, EpochService epochs, VenueKeys keys, TimeProvider? clock = null, GatewayOptions? options = null)
    {
        _store = store; _epochs = epochs; _keys = keys;
        _clock = clock ?? TimeProvider.System;
        Options = options ?? new GatewayOptions();
        _proofs = new(VerifyProofs, Options.ProofBatch, Options.ProofWindow, () => Volatile.Read(ref _beforeProof));
        _commits = new(b => store.CommitSubmissionsAsync(b), Options.CommitBatch);
    }

    public GatewayOptions Options { get; }
    /// <summary>How the range proofs of submissions were batched.</summary>
    public BatchStats ProofBatches => _proofs.Stats;
    /// <summary>How accepted submissions were grouped into store transactions.</summary>
    public BatchStats CommitBatches => _commits.Stats;
    /// <summary>Submissions inside the gateway now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Tests only: runs at the start of the range-proof stage (a slow check, to show a deadline passing mid-check).</summary>
    internal Action? ProofStageHook { get; set; }

    public const int NonceLength = 16;
    public GatewayMetrics Metrics { get; } = new();

    /// <summary>Raised after a submission is durable and acknowledged, with its parsed book and its valuation (the epoch
    /// pipeline proves its selection parts ahead of the seal without parsing or valuing the book again). Handlers must not block.</summary>
    public event Action<AcceptedSubmission>? Accepted;
    // the open epochs' parameter sets, decoded once each (a record's parameter hash pins the bytes it was decoded from)
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, EpochContext> _contexts = new();
    private readonly TimeProvider _clock;
    private static readonly byte[] HpkeInfo = Encoding.ASCII.GetBytes(SubmissionDigest.HpkeInfo);

    public async Task<Receipt> SubmitAsync(Submission? s, CancellationToken ct = default)
    {
        if (s is null) throw GatewayException.Invalid("submission", "missing");
        if (Interlocked.Increment(ref _inFlight) > Options.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            Metrics.Refused();
            throw new GatewayException(GatewayError.ResourceExhausted, "submission",
                $"the gateway is at capacity ({Options.MaxInFlight} submissions in flight); retry in {Options.RetryAfter.TotalMilliseconds:F0} ms")
            { RetryAfter = Options.RetryAfter };
        }
        Interlocked.Increment(ref _beforeProof);
        bool beforeProof = true;
        try { return await CheckAndCommitAsync(s, () => { if (beforeProof) { beforeProof = false; Interlocked.Decrement(ref _beforeProof); } }, ct); }
        finally
        {
            if (beforeProof) Interlocked.Decrement(ref _beforeProof);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<Receipt> CheckAndCommitAsync(Submission s, Action reachedProofs, CancellationToken ct)
    {
        long t0 = Stopwatch.GetTimestamp();

        // ---- epoch window (cheap, before any cryptography) ----
        if (s.Epoch == 0) throw GatewayException.Invalid("submission.epoch", "missing (0)");
        var rec = await _store.GetEpochAsync(s.Epoch, ct);
        if (rec is null)
        {
            var latest = await _store.GetLatestEpochAsync(ct);
            throw new GatewayException(GatewayError.NotFound, "submission.epoch", $"epoch {s.Epoch} is unknown (latest is {latest?.Epoch ?? 0})");
        }
        if (rec.Status != EpochStatus.Open)
            throw new GatewayException(GatewayError.FailedPrecondition, "submission.epoch", $"epoch {s.Epoch} is {Name(rec.Status)}: stale or late submission");
        var ctx = Context(rec);
        var parameters = ctx.Parameters;
        int bands = ctx.BandCount;
        int bits = ctx.RangeBits;

        // ---- structure and canonical encodings ----
        if (!s.ParameterHash.Span.SequenceEqual(rec.ParameterHash))
            throw GatewayException.Invalid("submission.parameter_hash", $"does not match the parameter set of epoch {s.Epoch}");
        if (!Ed25519PublicKey.TryFromBytes(s.TraderPublicKey.Span, out var traderKey))
            throw GatewayException.Invalid("submission.trader_public_key", $"not an Ed25519 public key ({s.TraderPublicKey.Length} bytes)");
        var shortC = DecodeCommitments(s.ShortCommitments, "submission.short_commitments", bands);
        var longC = DecodeCommitments(s.LongCommitments, "submission.long_commitments", bands);
        var shortZ = DecodeCommitments(s.ShortIndicators, "submission.short_indicators", bands);
        var longZ = DecodeCommitments(s.LongIndicators, "submission.long_indicators", bands);
        if (s.RangeProof?.Proof is null) throw GatewayException.Invalid("submission.range_proof", "missing");
        if (s.RangeProof.BitSize != bits) throw GatewayException.Invalid("submission.range_proof.bit_size", $"must be {bits}, got {s.RangeProof.BitSize}");
        if (s.RangeProof.ValueCount != 2 * bands) throw GatewayException.Invalid("submission.range_proof.value_count", $"must be {2 * bands}, got {s.RangeProof.ValueCount}");
        if (s.IndicatorProof?.Proof is null) throw GatewayException.Invalid("submission.indicator_proof", "missing");
        if (s.IndicatorProof.BitSize != TraderSdk.IndicatorBits) throw GatewayException.Invalid("submission.indicator_proof.bit_size", $"must be {TraderSdk.IndicatorBits}, got {s.IndicatorProof.BitSize}");
        if (s.IndicatorProof.ValueCount != 4 * bands) throw GatewayException.Invalid("submission.indicator_proof.value_count", $"must be {4 * bands}, got {s.IndicatorProof.ValueCount}");
        // the collateral, which the proven flags start from (circuits/flag.v1.json): required exactly when the epoch proves them
        bool provesFlags = _epochs.Statements.ProvesFlags;
        if (provesFlags)
        {
            if (s.CollateralUsd is null) throw GatewayException.Invalid("submission.collateral_usd", "missing: this epoch proves the liquidation flags (statement flag.v1), which start from the committed collateral");
            if (s.CollateralCoin is null) throw GatewayException.Invalid("submission.collateral_coin", "missing: this epoch proves the liquidation flags (statement flag.v1), which start from the committed collateral");
            if (s.CollateralProof?.Proof is null) throw GatewayException.Invalid("submission.collateral_proof", "missing");
            if (s.CollateralProof.BitSize != SubmissionRangeClaims.CollateralBits || s.CollateralProof.ValueCount != 2)
                throw GatewayException.Invalid("submission.collateral_proof", $"must be one {SubmissionRangeClaims.CollateralBits}-bit proof over 2 values, got {s.CollateralProof.BitSize} bits over {s.CollateralProof.ValueCount}");
        }
        else if (s.CollateralUsd is not null || s.CollateralCoin is not null || s.CollateralProof is not null)
            throw GatewayException.Invalid("submission.collateral_usd", "this epoch's statements do not include the flag relation: leave the collateral fields empty");
        // linked accounts (circuits/cluster.v1.json): only where the epoch margins clusters, and in canonical form
        if (s.LinkedAccounts.Count > 0)
        {
            if (!_epochs.Statements.ProvesClusters)
                throw GatewayException.Invalid("submission.linked_accounts", "this epoch's statements do not include the cluster relation: leave it empty");
            if (LinkedAccounts.Problem(s.LinkedAccounts, s.TraderPublicKey.Span) is { } why) throw GatewayException.Invalid("submission.linked_accounts", why);
        }
        var box = s.SealedOpening ?? throw GatewayException.Invalid("submission.sealed_opening", "missing");
        if (box.KemId != Hpke.KemId || box.KdfId != Hpke.KdfId || box.AeadId != Hpke.AeadId)
            throw GatewayException.Invalid("submission.sealed_opening", $"unsupported HPKE suite (kem {box.KemId:x4}, kdf {box.KdfId:x4}, aead {box.AeadId:x4}); expected 0020/0001/0003");
        if (box.Enc.Length != Hpke.NEnc) throw GatewayException.Invalid("submission.sealed_opening.enc", $"must be {Hpke.NEnc} bytes, got {box.Enc.Length}");
        if (!OpeningPadding.IsClass(box.Ciphertext.Length - Hpke.NT))
            throw GatewayException.Invalid("submission.sealed_opening.ciphertext", $"{box.Ciphertext.Length} bytes: the opening must be padded to a power of two of at least {OpeningPadding.MinBytes} bytes (plus the {Hpke.NT}-byte tag)");
        if (s.Nonce.Length != NonceLength) throw GatewayException.Invalid("submission.nonce", $"must be {NonceLength} bytes, got {s.Nonce.Length}");
        if (s.Signature.Length != Ed25519PublicKey.SignatureLength) throw GatewayException.Invalid("submission.signature", $"must be 64 bytes, got {s.Signature.Length}");
        if (!s.SealedOpeningHash.IsEmpty && !s.SealedOpeningHash.Span.SequenceEqual(SubmissionDigest.BoxHash(box)))
            throw GatewayException.Invalid("submission.sealed_opening_hash", "is not the hash of sealed_opening (leave it empty)");
        long t1 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Decode, t1 - t0);

        // ---- signature ----
        var publicDigest = SubmissionDigest.Public(s);
        var digest = SubmissionDigest.Signed(publicDigest, box);
        if (!traderKey!.Verify(digest, s.Signature.Span))
            throw GatewayException.Invalid("submission.signature", "Ed25519 signature does not verify over the submission digest");
        if (DVV.ZkRisk.Protocol.Trust.Admissions.Check(s.Admission, s.TraderPublicKey.Span, parameters) is { } notAdmitted)
            throw new GatewayException(GatewayError.PermissionDenied, "submission.admission", notAdmitted);
        long t2 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Signature, t2 - t1);

        // ---- replay (also enforced inside the commit transaction) ----
        if (await _store.GetSubmissionAsync(digest, ct) is not null)
            throw new GatewayException(GatewayError.AlreadyExists, "submission", $"replay: submission {Convert.ToHexStringLower(digest)[..16]}... was already received");

        // ---- range proof, batched with the submissions that arrive meanwhile ----
        // the two statements exactly as the epoch verifier defines them (exposures over C - Z, indicators over Z and B - Z),
        // over the points decoded above, checked by the verifier's own batch code
        var claims = SubmissionRangeClaims.Of(s, shortC, longC, shortZ, longZ, _epochs.Statements.CombinedHash, bits);
        var statements = new Crypto.RangeProofStatement[claims.Length];
        for (int i = 0; i < claims.Length; i++)
            statements[i] = claims[i].Statement(out var error) ?? throw GatewayException.Invalid("submission." + claims[i].Field, error!);
        long t3 = Stopwatch.GetTimestamp();
        ProofStageHook?.Invoke();
        reachedProofs();
        int bad = await _proofs.EnqueueAsync(statements, ct);
        if (bad >= 0) throw GatewayException.Invalid("submission." + claims[bad].Field, "range proof does not verify");
        long t4 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Proof, t4 - t3);

        // ---- HPKE box ----
        byte[] plaintext;
        var hpke = await _epochs.HpkeKeyAsync(s.Epoch, ct)
                   ?? throw new GatewayException(GatewayError.FailedPrecondition, "submission.epoch", $"epoch {s.Epoch} is closed: its HPKE key is destroyed");
        try { plaintext = Hpke.Open(box.Enc.Span, hpke, HpkeInfo, publicDigest, box.Ciphertext.Span); }
        catch (HpkeOpenException e) { throw GatewayException.Invalid("submission.sealed_opening", "HPKE box does not open: " + e.Message); }
        long t5 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Hpke, t5 - t4);

        // ---- openings and book ----
        Opening opening;
        try { opening = WireCodec.DecodeOpening(plaintext, "opening"); }
        catch (WireDecodeException e) { throw GatewayException.Invalid(e.Field, e.Reason); }
        var shortR = DecodeBlindings(opening.ShortValues, opening.ShortBlindings, "short", bands);
        var longR = DecodeBlindings(opening.LongValues, opening.LongBlindings, "long", bands);
        var shortT = DecodeBlindings(opening.ShortValues, opening.ShortIndicatorBlindings, "short_indicator", bands, "short_values");
        var longT = DecodeBlindings(opening.LongValues, opening.LongIndicatorBlindings, "long_indicator", bands, "long_values");
        // the indicators open to [v != 0]: the bits are the values' own, the trader chose only their blindings
        var shortBits = opening.ShortValues.Select(v => v != 0 ? 1UL : 0UL).ToArray();
        var longBits = opening.LongValues.Select(v => v != 0 ? 1UL : 0UL).ToArray();
        // the collateral openings join the batch (identity commitments opened by zeros when the epoch does not prove flags)
        var collateralC = provesFlags ? new[] { s.CollateralUsd!.Value.Point, s.CollateralCoin!.Value.Point } : [Crypto.RistrettoPoint.Identity, Crypto.RistrettoPoint.Identity];
        ulong[] collateralV = provesFlags ? [opening.CollateralUsdUnits, opening.CollateralCoinUnits] : [0, 0];
        Crypto.Scalar[] collateralR = provesFlags ? [opening.CollateralUsdBlinding, opening.CollateralCoinBlinding] : [Crypto.Scalar.Zero, Crypto.Scalar.Zero];
        if (!OpeningCheck.Batch([.. shortC, .. longC, .. shortZ, .. longZ, .. collateralC], [.. opening.ShortValues, .. opening.LongValues, .. shortBits, .. longBits, .. collateralV],
                [.. shortR, .. longR, .. shortT, .. longT, .. collateralR]))
        {
            if (!OpeningCheck.Opens(collateralC[0], collateralV[0], collateralR[0]))
                throw GatewayException.Invalid("opening.collateral_usd_units", "opening (collateral_usd_units, collateral_usd_blinding) does not match submission.collateral_usd");
            if (!OpeningCheck.Opens(collateralC[1], collateralV[1], collateralR[1]))
                throw GatewayException.Invalid("opening.collateral_coin_units", "opening (collateral_coin_units, collateral_coin_blinding) does not match submission.collateral_coin");
            // the batch failed: find and name the first band that does not open
            CheckOpening(opening.ShortValues, shortR, shortC, "short");
            CheckOpening(opening.LongValues, longR, longC, "long");
            CheckOpening(shortBits, shortT, shortZ, "short_indicator", "the bit [short_values[b] != 0]");
            CheckOpening(longBits, longT, longZ, "long_indicator", "the bit [long_values[b] != 0]");
            throw GatewayException.Invalid("opening", "openings do not match the commitments");
        }
        BandExposure exposures;
        PositionBook book;
        try
        {
            book = OpeningBook.Parse(opening.BookJson);
            exposures = ctx.Exposure(book);
        }
        catch (RiskInputException e) when (e.Field is not null) { throw GatewayException.Invalid("opening.book_json." + e.Field, e.Reason); }
        catch (RiskInputException e) { throw GatewayException.Invalid("opening.book_json", e.Message); }
        catch (OverflowException) { throw GatewayException.Invalid("opening.book_json", "a band's open interest overflows u64"); }
        // expiry rule: the submission must leave the state no later than its first option expires (issue 17 item 7)
        long valuation = parameters.ValuationTimeUnixMs;
        if (book.EarliestExpiry is { } first)
        {
            long firstMs = first.ToUnixTimeMilliseconds();
            if (s.ValidUntilUnixMs <= 0 || s.ValidUntilUnixMs > firstMs)
                throw GatewayException.Invalid("submission.valid_until_unix_ms", $"{s.ValidUntilUnixMs} must be set and not after the book's first option expiry {firstMs} ({first:O})");
        }
        if (s.ValidUntilUnixMs != 0 && s.ValidUntilUnixMs <= valuation)
            throw GatewayException.Invalid("submission.valid_until_unix_ms", $"{s.ValidUntilUnixMs} is not after the epoch's valuation time {valuation}");
        // the sealer values every live book each epoch: a book the risk engine cannot value is refused here, at the door;
        // the valuation travels with the accepted submission, so the sealer does not value the book again this epoch
        TraderRisk bookRisk;
        try { bookRisk = ctx.Value(book); }
        catch (Exception e) when (EpochContext.IsUnvaluable(e))
        { throw GatewayException.Invalid("opening.book_json", "the risk engine cannot value the book: " + e.Message); }
        for (int b = 0; b < bands; b++)
        {
            if (exposures.Short[b] != opening.ShortValues[b])
                throw GatewayException.Invalid("opening.book_json", $"book gives short open interest {exposures.Short[b]} in band {b} ({ctx.Bands.Label(b)}) but short_commitments[{b}] opens to {opening.ShortValues[b]}");
            if (exposures.Long[b] != opening.LongValues[b])
                throw GatewayException.Invalid("opening.book_json", $"book gives long open interest {exposures.Long[b]} in band {b} ({ctx.Bands.Label(b)}) but long_commitments[{b}] opens to {opening.LongValues[b]}");
        }
        if (!double.TryParse(opening.CollateralUsd, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var collateral)
            || !(collateral >= 0) || double.IsInfinity(collateral))
            throw GatewayException.Invalid("opening.collateral_usd", $"'{opening.CollateralUsd}' is not a non-negative number");
        if (collateral != book.CollateralUsd)
            throw GatewayException.Invalid("opening.collateral_usd", $"{opening.CollateralUsd} differs from the book's collateralUsd {book.CollateralUsd.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        if (provesFlags) CheckCollateral(ctx, book, opening);
        long t6 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Opening, t6 - t5);

        // ---- durable commit, then the receipt ----
        // a caller whose deadline passed (or who went away) during the checks gets no receipt, so nothing may be stored
        ct.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        opening = opening with { PaddingLength = 0 };   // the size class hid the length in transit; the store keeps the opening itself
        var pending = new PendingSubmission(s.Epoch, s.TraderPublicKey.ToArray(), digest, WireCodec.Encode(s), WireCodec.Encode(opening), now);
        var venuePk = _keys.Signing.PublicKey.ToBytes();
        // group commit: once queued the commit goes ahead with its batch (the caller's deadline no longer stops it; a
        // receipt the caller did not wait for is still retrievable with GetReceipt); the receipt is answered only once
        // the batch's transaction is durable
        var result = await _commits.EnqueueAsync(new PendingCommit(pending, (seq, replaced) =>
        {
            var r = new Receipt
            {
                Epoch = s.Epoch, TraderPublicKey = s.TraderPublicKey, SubmissionDigest = digest,
                Sequence = (ulong)seq, ReceivedAtUnixMs = now, ReplacedPrevious = replaced, VenuePublicKey = venuePk,
            };
            return WireCodec.Encode(r with { VenueSignature = _keys.Signing.Sign(SubmissionDigest.Receipt(r)) });
        }), CancellationToken.None);
        long t7 = Stopwatch.GetTimestamp();
        Metrics.Add(GatewayMetrics.Stage.Storage, t7 - t6);
        switch (result.Outcome)
        {
            case CommitOutcome.Committed:
                Metrics.Accepted();
                var accepted = new AcceptedSubmission(s.Epoch, ctx, new SealInput(s, opening, digest)
                {
                    Book = book, Valuation = new BookValuation(ctx.ParameterHash, bookRisk),
                });
                try { Accepted?.Invoke(accepted); } catch (Exception) { /* a listener never fails an acknowledged submission */ }
                return WireCodec.DecodeReceipt(result.ReceiptBytes);
            case CommitOutcome.Replay:
                throw new GatewayException(GatewayError.AlreadyExists, "submission", $"replay: submission {Convert.ToHexStringLower(digest)[..16]}... was already received");
            case CommitOutcome.EpochNotOpen:
                throw new GatewayException(GatewayError.FailedPrecondition, "submission.epoch", $"epoch {s.Epoch} closed while the submission was checked ({Name(result.Status)})");
            default:
                throw new GatewayException(GatewayError.NotFound, "submission.epoch", $"epoch {s.Epoch} is unknown");
        }
    }

    private static string Name(EpochStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>One batch: every submission's statements in one range-proof batch verification (which, when the batch
    /// fails, re-checks each proof to name the bad ones); per submission the index of its first bad statement, or -1.</summary>
    internal static Task<int[]> VerifyProofs(IReadOnlyList<Crypto.RangeProofStatement[]> submissions)
    {
        try { return Task.FromResult(VerifyBatch(submissions)); }
        catch (Exception) when (submissions.Count > 1)
        {
            // a proof the verifier chokes on (rather than refuses) must not fail the other callers of its batch: each
            // submission alone; one that still throws is refused as not verifying (its first proof named)
            var result = new int[submissions.Count];
            for (int i = 0; i < submissions.Count; i++)
            {
                try { result[i] = VerifyBatch([submissions[i]])[0]; }
                catch (Exception) { result[i] = 0; }
            }
            return Task.FromResult(result);
        }
    }

    private static int[] VerifyBatch(IReadOnlyList<Crypto.RangeProofStatement[]> submissions)
    {
        var all = new List<Crypto.RangeProofStatement>();
        var from = new List<(int Submission, int Statement)>();   // where each statement of the batch came from
        for (int i = 0; i < submissions.Count; i++)
            for (int j = 0; j < submissions[i].Length; j++) { all.Add(submissions[i][j]); from.Add((i, j)); }
        var result = new int[submissions.Count];
        Array.Fill(result, -1);
        if (!RangeProofChunks.Verify(all, out var bad))
            foreach (int b in bad)
            {
                var (i, j) = from[b];
                if (result[i] < 0 || j < result[i]) result[i] = j;
            }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _proofs.DisposeAsync();
        await _commits.DisposeAsync();
    }

    private EpochContext Context(EpochRecord rec)
    {
        if (_contexts.TryGetValue(rec.Epoch, out var c) && c.ParameterHash.AsSpan().SequenceEqual(rec.ParameterHash)) return c;
        c = EpochContext.Of(WireCodec.DecodeParameters(rec.ParameterSet));
        foreach (var old in _contexts.Keys) if (old + 2 < rec.Epoch) _contexts.TryRemove(old, out _);   // closed epochs
        return _contexts[rec.Epoch] = c;
    }

    /// <summary>The commitments of one field as points: one per band (they were decoded canonically, RFC 9496 section
    /// 4.3.1, where the bytes arrived).</summary>
    private static Crypto.RistrettoPoint[] DecodeCommitments(IReadOnlyList<Commitment> cs, string field, int bands)
    {
        if (cs.Count != bands) throw GatewayException.Invalid(field, $"must hold one commitment per band ({bands}), got {cs.Count}");
        return cs.Points();
    }

    /// <summary>An opening's values and blindings for one side: the counts (every blinding is a canonical scalar, &lt; l,
    /// checked when the opening was decoded).</summary>
    private static Crypto.Scalar[] DecodeBlindings(IReadOnlyList<ulong> values, IReadOnlyList<Crypto.Scalar> blindings, string side, int bands, string? valuesName = null)
    {
        if (values.Count != bands) throw GatewayException.Invalid($"opening.{valuesName ?? side + "_values"}", $"must hold {bands} values, got {values.Count}");
        if (blindings.Count != bands) throw GatewayException.Invalid($"opening.{side}_blindings", $"must hold {bands} scalars, got {blindings.Count}");
        return blindings.ToArray();
    }

    /// <summary>After a failed batch: the first band whose opening does not match, named.</summary>
    private static void CheckOpening(IReadOnlyList<ulong> values, Crypto.Scalar[] blindings, Crypto.RistrettoPoint[] commitments, string side, string? what = null)
    {
        for (int b = 0; b < commitments.Length; b++)
            if (!OpeningCheck.Opens(commitments[b], values[b], blindings[b]))
                throw what is null
                    ? GatewayException.Invalid($"opening.{side}_values[{b}]", $"opening ({side}_values[{b}], {side}_blindings[{b}]) does not match {side}_commitments[{b}]")
                    : GatewayException.Invalid($"opening.{side}_blindings[{b}]", $"submission.{side}s[{b}] does not open to {what.Replace("[b]", $"[{b}]")} with {side}_blindings[{b}]");
    }

    /// <summary>The committed collateral is the book's (to the unit of 10^-8), and every band-model distance to liquidation
    /// d_s fits the sign proof's [-2^63, 2^63) (circuits/flag.v1.json), so that the sealer can prove every flag of the book.</summary>
    private static void CheckCollateral(EpochContext ctx, PositionBook book, Opening opening)
    {
        if (!CollateralUnits.TryOf(book, out var usd, out var coin, out var field, out var reason))
            throw GatewayException.Invalid("opening.book_json." + field, reason!);
        if (opening.CollateralUsdUnits != usd)
            throw GatewayException.Invalid("opening.collateral_usd_units", $"{opening.CollateralUsdUnits} is not the book's collateralUsd in 10^-8 USD ({usd})");
        if (opening.CollateralCoinUnits != coin)
            throw GatewayException.Invalid("opening.collateral_coin_units", $"{opening.CollateralCoinUnits} is not the book's collateralCoin in 10^-8 coin ({coin})");
        FlagModel model;
        try { model = ctx.FlagModel; }
        catch (RiskInputException e) { throw new GatewayException(GatewayError.FailedPrecondition, "submission.epoch", "the epoch's market cannot be margined in the proven band model: " + e.Message); }
        for (int shock = 0; shock < model.Shocks; shock++)
            if (model.Distance(shock, SubmissionWire.AsSpan(opening.ShortValues), SubmissionWire.AsSpan(opening.LongValues), usd, coin) is null)
                throw GatewayException.Invalid("opening.book_json", $"the book's band-model distance to liquidation under shock {shock} is outside +-2^63 x 10^-8 USD (about 9.2e10 USD): its flag cannot be proven");
    }

    /// <summary>The stored receipt for a submission digest (NOT_FOUND when unknown).</summary>
    public async Task<Receipt> GetReceiptAsync(ReadOnlyMemory<byte> digest, CancellationToken ct = default)
    {
        if (digest.Length != 32) throw GatewayException.Invalid("submission_digest", $"must be 32 bytes, got {digest.Length}");
        var s = await _store.GetSubmissionAsync(digest.ToArray(), ct)
                ?? throw new GatewayException(GatewayError.NotFound, "submission_digest", "no submission with this digest");
        return WireCodec.DecodeReceipt(s.ReceiptBytes);
    }
}
