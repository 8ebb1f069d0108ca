using System.Diagnostics;
using System.Security.Cryptography;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Merkle;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Epochs.Proofs;
using DVV.ZkRisk.Epochs.RiskBinding;
using DVV.ZkRisk.Epochs.Sealing;
using DVV.ZkRisk.Epochs.Submissions;
using DVV.ZkRisk.Epochs.Trust;
using DVV.ZkRisk.Risk;
using Google.Protobuf;
using Scalar = DVV.ZkRisk.Crypto.Scalar;
using ParameterSet = DVV.ZkRisk.Api.V1.ParameterSet;
using RangeProof = DVV.ZkRisk.Crypto.RangeProof;

using EpochState = DVV.ZkRisk.Epochs.Sealing.EpochState;

namespace DVV.ZkRisk.Epochs.Verification;

/// <summary>One thing that does not hold in a bundle: <see cref="Check"/> is the kind (bundle_hash, parameter_hash,
/// parameters, governance, statement_hash, chain_link, fold, expiry, admission, submission, signature, range_proof,
/// selection, selection_proof, aggregate, sum_proof, k_min, cover, merkle_root, structure), <see cref="Where"/> the
/// element (e.g. submissions[3], aggregates[LSV/s=2/b=3]).</summary>
public sealed record Finding(string Check, string Where, string Message)
{
    public override string ToString() => $"{Check}: {Where}: {Message}";
}

public sealed record VerifyTimings(double DecodeMs, double SignaturesMs, double RangeProofsMs, double SelectionProofsMs, double SumsMs, double SumProofsMs, double MerkleMs, double TotalMs);

/// <summary>The outcome of checking one bundle against its parent state.</summary>
public sealed class VerificationResult
{
    internal VerificationResult(EpochBundle bundle, List<Finding> findings, EpochState? state, VerifiedEpoch? verified, VerifyTimings timings,
        Dictionary<string, int> counts, List<string> trusted)
    {
        Bundle = bundle; Findings = findings; State = state; Verified = verified; Timings = timings; Counts = counts; Trusted = trusted;
    }

    /// <summary>What this verification took on trust instead of checking (e.g. a checkpoint's carried state without its
    /// parent, a governance committee that was not pinned): an auditor's report prints it.</summary>
    public IReadOnlyList<string> Trusted { get; }

    public EpochBundle Bundle { get; }
    public bool IsValid => Findings.Count == 0;
    public IReadOnlyList<Finding> Findings { get; }
    /// <summary>The folded state (null when the fold itself failed).</summary>
    public EpochState? State { get; }
    /// <summary>Only when every check passed.</summary>
    public VerifiedEpoch? Verified { get; }
    public VerifyTimings Timings { get; }
    /// <summary>How many of each item were checked (signatures, range_proofs, selection_proofs, sum_proofs, traders, ...).</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }
}

/// <summary>
/// Checks an epoch bundle completely (DESIGN.md 2 step 5): the content hash, the parameter hash and the governance
/// signature over the parameter set, the statement hashes against the verifier's own circuits/, the chain link, every
/// submission's Ed25519 signature, all range proofs in one batch, every selection proof (one batch), the fold of the
/// chain (new submissions need new selection parts, at least k_cover re-randomised), every aggregate cell with its sum
/// proof against the commitment sums of the folded state, k_min, and the Merkle root. Never throws on bad input: every
/// failure is a <see cref="Finding"/>.
/// </summary>
/// <param name="governanceRoot">the pinned governance (<see cref="Trust.GovernanceRules.RootHash"/>) a bundle without
/// parent must declare; null: such a bundle's governance is taken on trust and said so in <see cref="VerificationResult.Trusted"/>.</param>
public sealed class BundleVerifier(StatementSet expectedStatements, byte[]? governanceRoot = null)
{
    public StatementSet Statements => expectedStatements;
    public byte[]? GovernanceRoot => governanceRoot;

    /// <summary>Verifies <paramref name="bundle"/>. <paramref name="parent"/> is the verified state of the previous epoch
    /// (required unless the bundle is a checkpoint; for a checkpoint without parent the chain link is not checked).</summary>
    public VerificationResult Verify(EpochBundle bundle, EpochState? parent, bool checkRangeProofs = true)
    {
        var f = new List<Finding>();
        var counts = new Dictionary<string, int>();
        long t0 = Stopwatch.GetTimestamp();
        EpochState? state = null;
        VerifiedEpoch? verified = null;
        double[] ms = new double[7];
        var trusted = new List<string>();
        try { state = Run(bundle, parent, f, counts, ms, checkRangeProofs, trusted); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // every expected refusal is a finding already; anything else is reported, never thrown
            var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            f.Add(new Finding("structure", "bundle", $"{inner.GetType().Name}: {inner.Message}"));
            state = null;
        }
        if (f.Count == 0 && state != null)
        {
            try { verified = new VerifiedEpoch(bundle, state); }
            catch (RiskInputException e) { f.Add(new Finding("parameters", "parameters", e.Message)); }
        }
        double total = (Stopwatch.GetTimestamp() - t0) * 1000.0 / Stopwatch.Frequency;
        return new VerificationResult(bundle, f, state, verified, new VerifyTimings(ms[0], ms[1], ms[2], ms[3], ms[4], ms[5], ms[6], total), counts, trusted);
    }

    private EpochState? Run(EpochBundle bundle, EpochState? parent, List<Finding> f, Dictionary<string, int> counts, double[] ms, bool checkRangeProofs,
        List<string> trusted)
    {
        long t = Stopwatch.GetTimestamp();
        double Lap() { long n = Stopwatch.GetTimestamp(); double r = (n - t) * 1000.0 / Stopwatch.Frequency; t = n; return r; }
        ulong epoch = bundle.Epoch;

        // ---- content hash ----
        if (!BundleFormat.Hash(bundle).AsSpan().SequenceEqual(bundle.BundleHash.Span))
            f.Add(new Finding("bundle_hash", "bundle_hash", "does not match the SHA-256 of the bundle's contents"));

        // ---- parameters ----
        var parameters = bundle.Parameters;
        if (parameters is null) { f.Add(new Finding("parameters", "parameters", "missing")); return null; }
        var paramHash = SubmissionDigest.ParameterSet(parameters);
        if (!paramHash.AsSpan().SequenceEqual(bundle.ParameterHash.Span))
            f.Add(new Finding("parameter_hash", "parameter_hash", $"the parameter set hashes to {Hex(paramHash)}, the bundle says {Hex(bundle.ParameterHash.Span)}"));
        // governance: the committee in force is the parent's; a bundle without parent declares its own, which must be pinned
        var inForce = parent?.Parameters.Governance ?? parameters.Governance;
        if (parent is null)
        {
            if (governanceRoot is null)
                trusted.Add($"epoch {epoch}: governance {Hex(parameters.Governance is null ? [] : GovernanceRules.RootHash(parameters.Governance))} declared by the bundle (no pinned governance root)");
            else if (parameters.Governance is null || !GovernanceRules.RootHash(parameters.Governance).AsSpan().SequenceEqual(governanceRoot))
                f.Add(new Finding("governance", "parameters.governance", $"is not the pinned governance {Hex(governanceRoot)}"));
        }
        if (inForce is null) f.Add(new Finding("governance", "parameters.governance", "missing"));
        else if (GovernanceRules.Check(parameters, inForce) is { } govBad) f.Add(new Finding("governance", "parameters.governance_signatures", govBad));
        long valuation = parameters.ValuationTimeUnixMs;
        DVV.ZkRisk.Risk.ParameterSet risk;
        try { risk = RiskBridge.RiskParameters(parameters); RiskBridge.Market(parameters); }
        catch (Exception e) when (e is RiskInputException or FormatException or System.Text.Json.JsonException)
        {
            f.Add(new Finding("parameters", "parameters.risk_parameters", e.Message)); return null;
        }
        int bands = risk.TotalBands, shocks = risk.ShockCount;
        int rangeBits = (int)(parameters.RangeBits == 0 ? 64 : parameters.RangeBits);

        // ---- statements ----
        var expected = expectedStatements.Wire.ToDictionary(s => s.Name);
        if (bundle.Statements.Count != expected.Count)
            f.Add(new Finding("statement_hash", "statements", $"{bundle.Statements.Count} statement definitions, expected {expected.Count} ({string.Join(", ", expected.Keys)})"));
        foreach (var s in bundle.Statements)
        {
            if (!expected.TryGetValue(s.Name, out var e)) { f.Add(new Finding("statement_hash", $"statements[{s.Name}]", "unknown statement")); continue; }
            if (!s.Hash.Span.SequenceEqual(e.Hash.Span) || s.Version != e.Version)
                f.Add(new Finding("statement_hash", $"statements[{s.Name}]", $"v{s.Version} {Hex(s.Hash.Span)} differs from this verifier's circuits/{s.Name} v{e.Version} {Hex(e.Hash.Span)}"));
            if (s.Text.Length > 0 && !SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s.Text)).AsSpan().SequenceEqual(s.Hash.Span))
                f.Add(new Finding("statement_hash", $"statements[{s.Name}].text", "the text does not hash to the statement hash"));
        }
        if (!bundle.StatementHash.Span.SequenceEqual(expectedStatements.CombinedHash))
            f.Add(new Finding("statement_hash", "statement_hash", $"{Hex(bundle.StatementHash.Span)} is not the combined hash of this verifier's statements {Hex(expectedStatements.CombinedHash)}"));
        var statementHash = expectedStatements.CombinedHash;

        // ---- chain link ----
        if (parent != null)
        {
            if (!bundle.PreviousBundleHash.Span.SequenceEqual(parent.BundleHash))
                f.Add(new Finding("chain_link", "previous_bundle_hash", $"{Hex(bundle.PreviousBundleHash.Span)} is not the hash of epoch {parent.Epoch}'s bundle {Hex(parent.BundleHash)}"));
            if (epoch != parent.Epoch + 1)
                f.Add(new Finding("chain_link", "epoch", $"epoch {epoch} does not follow epoch {parent.Epoch}"));
        }
        else if (!bundle.Checkpoint)
        {
            f.Add(new Finding("chain_link", "checkpoint", $"epoch {epoch} is not a checkpoint: its parent chain back to checkpoint {bundle.CheckpointEpoch} is needed"));
            return null;
        }
        else if (epoch == 1 && !bundle.PreviousBundleHash.Span.SequenceEqual(BundleFormat.GenesisHash))
            f.Add(new Finding("chain_link", "previous_bundle_hash", "epoch 1 must link to the genesis hash (32 zero bytes)"));
        ulong expectedCheckpoint = bundle.Checkpoint ? epoch : parent!.CheckpointEpoch;
        if (bundle.CheckpointEpoch != expectedCheckpoint)
            f.Add(new Finding("chain_link", "checkpoint_epoch", $"{bundle.CheckpointEpoch}, expected {expectedCheckpoint}"));

        // ---- the fold (issue 17 items 1, 2, 6, 7): every bundle, checkpoint or not, starts from the parent state ----
        // A submission is either carried (the parent's entry, byte for byte: only a checkpoint repeats it) or new: signed
        // for this very epoch (so no superseded submission can come back), unexpired and admitted. Every live parent trader
        // stays unless the expiry rule removes it, and the bundle lists exactly those it removes.
        var traders = parent is null ? EpochState.Empty() : parent.Next();
        if (parent is null && bundle.Checkpoint && epoch > 1)
            trusted.Add($"epoch {epoch}: the checkpoint's carried state (its parent epoch {epoch - 1} was not supplied)");
        var candidates = new List<int>();
        var carriedIdx = new HashSet<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newTraders = new HashSet<string>(StringComparer.Ordinal);
        // each submission's signed digest once: the fold compares it with the parent's entry, the state keeps it
        var digests = new byte[bundle.Submissions.Count][];
        Parallel.For(0, digests.Length, i => digests[i] = SubmissionDigest.Signed(bundle.Submissions[i]));
        for (int i = 0; i < bundle.Submissions.Count; i++)
        {
            var s = bundle.Submissions[i];
            string at = $"submissions[{i}]";
            string hex = Convert.ToHexStringLower(s.TraderPublicKey.Span);
            if (!seen.Add(hex)) { f.Add(new Finding("submission", at, $"trader {Short(hex)} appears twice")); continue; }
            if (s.ValidUntilUnixMs != 0 && s.ValidUntilUnixMs <= valuation)
                f.Add(new Finding("expiry", at + ".valid_until_unix_ms", $"trader {Short(hex)}: expired at {s.ValidUntilUnixMs}, the epoch is valued at {valuation}"));
            bool carried = traders.TryGetValue(hex, out var prev) && digests[i].AsSpan().SequenceEqual(prev!.SubmissionDigest);
            if (carried)
            {
                if (!bundle.Checkpoint) { f.Add(new Finding("fold", at, $"trader {Short(hex)}: an incremental bundle repeats the live submission")); continue; }
                carriedIdx.Add(i);
            }
            else if (s.Epoch != epoch && !(parent is null && bundle.Checkpoint && s.Epoch > 0 && s.Epoch < epoch))
            {
                f.Add(new Finding("fold", at + ".epoch", $"trader {Short(hex)}: signed for epoch {s.Epoch}; a new submission enters only in the epoch it was signed for (a superseded submission replayed?)"));
                continue;
            }
            else newTraders.Add(hex);
            if (s.Epoch == epoch && !s.ParameterHash.Span.SequenceEqual(paramHash))
                f.Add(new Finding("submission", at + ".parameter_hash", "differs from this epoch's parameter hash"));
            if (s.SealedOpening != null || s.SealedOpeningHash.Length != 32)
                f.Add(new Finding("privacy", at + ".sealed_opening", $"trader {Short(hex)}: a bundle carries only the 32-byte hash of the sealed opening, never the box"));
            if (Admissions.Check(s.Admission, s.TraderPublicKey.Span, parameters) is { } notAdmitted)
                f.Add(new Finding("admission", at + ".admission", $"trader {Short(hex)}: {notAdmitted}"));
            if (s.ShortCommitments.Count != bands || s.LongCommitments.Count != bands || s.ShortIndicators.Count != bands || s.LongIndicators.Count != bands)
            { f.Add(new Finding("submission", at, $"must hold {bands} short and {bands} long commitments and as many indicators")); continue; }
            candidates.Add(i);
        }
        // expiry rule and, for a checkpoint, completeness against the parent
        var expired = new List<string>();
        if (parent != null)
        {
            var expectExpired = EpochSealer.Expired(traders, valuation).Where(h => !newTraders.Contains(h)).ToList();
            var listed = bundle.ExpiredTraders.Select(b => Convert.ToHexStringLower(b.Span)).ToList();
            if (!listed.SequenceEqual(expectExpired))
                f.Add(new Finding("expiry", "expired_traders", $"lists {listed.Count} trader(s), the expiry rule removes {expectExpired.Count} ({string.Join(", ", expectExpired.Select(Short))})"));
            foreach (var hex in expectExpired) traders.Remove(hex);
            expired = expectExpired;
            if (bundle.Checkpoint)
                foreach (var hex in traders.Keys)
                    if (!seen.Contains(hex))
                        f.Add(new Finding("fold", $"trader {Short(hex)}", $"the checkpoint drops a live trader of epoch {parent.Epoch} (only the expiry rule removes one)"));
        }
        else if (bundle.ExpiredTraders.Count != 0)
            f.Add(new Finding("expiry", "expired_traders", "a bundle without parent state removes no one"));
        // Decoding the commitments (one square root each) is the expensive part: in parallel, merged in bundle order.
        var decoded = new (TraderState? State, Finding? Error)[candidates.Count];
        Parallel.For(0, candidates.Count, k =>
        {
            int i = candidates[k];
            var s = bundle.Submissions[i];
            string at = $"submissions[{i}]";
            RistrettoPoint[] sc, lc, sz, lz;
            try
            {
                sc = DecodeAll(s.ShortCommitments, $"{at}.short_commitments");
                lc = DecodeAll(s.LongCommitments, $"{at}.long_commitments");
                sz = DecodeAll(s.ShortIndicators, $"{at}.short_indicators");
                lz = DecodeAll(s.LongIndicators, $"{at}.long_indicators");
            }
            catch (PointException e) { decoded[k] = (null, new Finding("submission", e.Where, e.Message)); return; }
            decoded[k] = (new TraderState { Trader = s.TraderPublicKey.ToByteArray(), Submission = s, SubmissionDigest = digests[i], Short = sc, Long = lc, ShortZ = sz, LongZ = lz }, null);
        });
        var newSubs = new List<(int Index, TraderState State)>();
        for (int k = 0; k < candidates.Count; k++)
        {
            if (decoded[k].Error is { } e) f.Add(e);
            else newSubs.Add((candidates[k], decoded[k].State!));
        }
        ms[0] = Lap();
        var sigOk = new bool[newSubs.Count];
        Parallel.For(0, newSubs.Count, k =>
        {
            var s = newSubs[k].State.Submission;
            sigOk[k] = Ed25519PublicKey.TryFromBytes(s.TraderPublicKey.Span, out var pk) && pk!.Verify(newSubs[k].State.SubmissionDigest, s.Signature.Span);
        });
        for (int k = 0; k < newSubs.Count; k++)
            if (!sigOk[k]) f.Add(new Finding("signature", $"submissions[{newSubs[k].Index}].signature", $"trader {Short(newSubs[k].State.Hex)}: Ed25519 signature does not verify over the submission digest"));
        counts["signatures"] = newSubs.Count;
        ms[1] = Lap();

        // ---- range proofs, one batch: per submission the exposure proof over C_b - Z_b and the indicator proof over
        // Z_b, B - Z_b (circuits/range.v2.json, indicator.v1.json) ----
        if (checkRangeProofs)
        {
            var stmts = new List<RangeProofStatement>();
            var idx = new List<string>();
            foreach (var (i, st) in newSubs)
            {
                foreach (var (field, proof, bits, count, label, points) in
                         SubmissionRangeClaims.Of(st.Submission, st.Short, st.Long, st.ShortZ, st.LongZ, statementHash, rangeBits))
                {
                    string at = $"submissions[{i}].{field}";
                    if (proof is null || proof.BitSize != bits || proof.ValueCount != count)
                    { f.Add(new Finding("range_proof", at, $"must be one {bits}-bit proof over {count} values")); continue; }
                    RangeProof p;
                    try { p = RangeProof.FromBytes(proof.Data.Span); }
                    catch (Exception e) when (e is FormatException or ArgumentException)
                    { f.Add(new Finding("range_proof", at, "does not decode: " + e.Message)); continue; }
                    stmts.Add(new RangeProofStatement(p, RangeTranscript.Create(label), points, bits));
                    idx.Add(at);
                }
            }
            if (stmts.Count > 0 && !RangeProofChunks.Verify(stmts, out var bad))
                foreach (var b in bad) f.Add(new Finding("range_proof", idx[b], "range proof does not verify"));
            counts["range_proofs"] = stmts.Count;
        }
        ms[2] = Lap();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, st) in newSubs) { traders[st.Hex] = st; if (!carriedIdx.Contains(i)) changed.Add(st.Hex); }

        // ---- selection parts: fold and one batch ----
        var groups = new Dictionary<string, List<(int Index, SelectionPart Part)>>(StringComparer.Ordinal);
        for (int i = 0; i < bundle.Selections.Count; i++)
        {
            var p = bundle.Selections[i];
            string hex = Convert.ToHexStringLower(p.TraderPublicKey.Span);
            if (!groups.TryGetValue(hex, out var g)) groups[hex] = g = new();
            g.Add((i, p));
        }
        // Each trader's parts are checked and decoded on their own (in parallel: an epoch of 10,000 traders has about
        // 4 million selected points to decode); findings and statements are then merged in the bundle's order.
        var groupList = groups.ToArray();
        var outcomes = new SelectionGroupOutcome[groupList.Length];
        Parallel.For(0, groupList.Length, k =>
        {
            var (hex, g) = groupList[k];
            traders.TryGetValue(hex, out var st);
            outcomes[k] = CheckSelectionGroup(hex, g, st, bundle.Checkpoint, epoch, paramHash, statementHash, bands, shocks);
        });
        var selStatements = new List<SelectionStatement>();
        var selWhere = new List<string>();
        var rebuilt = new Dictionary<string, TraderState>(StringComparer.Ordinal);
        for (int k = 0; k < outcomes.Length; k++)
        {
            var o = outcomes[k];
            f.AddRange(o.Findings);
            if (o.State is null) continue;
            selStatements.AddRange(o.Statements);
            selWhere.AddRange(o.Where);
            rebuilt[groupList[k].Key] = o.State;
        }
        if (selStatements.Count > 0 && !SelectionProofBatch.Verify(selStatements, out var badSel))
            foreach (var b in badSel) f.Add(new Finding("selection_proof", selWhere[b], "selection proof does not verify (lambda not a bit, or not the same for every band, or bound to other commitments)"));
        counts["selection_proofs"] = selStatements.Count;
        foreach (var (hex, st) in rebuilt) traders[hex] = st;
        foreach (var hex in changed)
            if (!groups.ContainsKey(hex)) f.Add(new Finding("selection", $"trader {Short(hex)}", "new or replaced submission without new selection parts"));
        if (bundle.Checkpoint)
            foreach (var (hex, st) in traders)
                if (st.Selected is null) f.Add(new Finding("selection", $"trader {Short(hex)}", "checkpoint without this trader's selection parts"));
        // privacy (item 9): the re-issued carried set is 0, a power of two, or everyone; newcomers come k_min at a time
        if (!bundle.Checkpoint && parent != null)
        {
            int carriedTraders = traders.Keys.Count(h => !changed.Contains(h));
            int carried = groups.Keys.Count(h => !changed.Contains(h));
            if (carried != EpochSealer.ReissueTarget(carried, carriedTraders))
                f.Add(new Finding("privacy", "selections", $"{carried} carried traders re-issued: the size must be 0, a power of two or all {carriedTraders}, so that it does not tell how many crossed a threshold"));
            int newcomers = changed.Count(h => !parent.TryGet(Convert.FromHexString(h), out _));
            if (newcomers > 0 && newcomers < risk.KMin)
                f.Add(new Finding("privacy", "submissions", $"{newcomers} newcomer(s) in an incremental epoch: newcomers join at least k_min = {risk.KMin} at a time, or at a checkpoint"));
        }
        // the cover set: k_cover carried traders derived from the seed the parameter set committed to (item 11)
        if (!CoverSet.Commitment(bundle.CoverSeed.Span).AsSpan().SequenceEqual(parameters.CoverSeedCommitment.Span))
            f.Add(new Finding("cover", "cover_seed", "does not open the parameter set's cover-seed commitment"));
        else
        {
            var cover = CoverSet.Derive(bundle.CoverSeed.Span, epoch, traders.Keys.Where(h => !changed.Contains(h)), Math.Max(0, risk.KCover));
            var missing = cover.Where(h => !groups.ContainsKey(h)).ToList();
            if (missing.Count > 0)
                f.Add(new Finding("cover", "selections", $"{missing.Count} of the {cover.Count} traders of the derived cover set were not re-randomised ({string.Join(", ", missing.Take(3).Select(Short))})"));
        }
        counts["traders"] = traders.Count;
        ms[3] = Lap();
        if (f.Any(x => x.Check is "selection" or "submission") || traders.Values.Any(t => t.Selected is null))
        {
            if (!f.Any(x => x.Check.StartsWith("selection"))) f.Add(new Finding("selection", "selections", "some traders have no valid selection parts"));
            return null;
        }

        // ---- traders the venue could not value: flagged in every shock by the conservative rule (ConservativeFlagsRule) ----
        for (int i = 0; i < bundle.Unvalued.Count; i++)
        {
            var e = bundle.Unvalued[i];
            string at = $"unvalued[{i}]", hex = Convert.ToHexStringLower(e.TraderPublicKey.Span);
            if (i > 0 && bundle.Unvalued[i - 1].TraderPublicKey.Span.SequenceCompareTo(e.TraderPublicKey.Span) >= 0)
                f.Add(new Finding("unvalued", at, "the list must be sorted by trader key without repeats"));
            if (!traders.TryGetValue(hex, out var ust)) { f.Add(new Finding("unvalued", at, $"trader {Short(hex)} is not in the state")); continue; }
            if (ConservativeFlagsRule.Check(e, ust, bands, shocks) is { } why) f.Add(new Finding("unvalued", at, $"trader {Short(hex)}: {why}"));
        }
        counts["unvalued"] = bundle.Unvalued.Count;

        // ---- aggregates: commitment sums of the folded state, value cells then their count cells (indicator sums) ----
        int cells = 2 * bands + shocks * bands;
        var sums = new RistrettoPoint[2 * cells];
        var keys = traders.Values.ToArray();
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, keys.Length / 64 + 1));
        var partial = new RistrettoPoint[workers][];
        Parallel.For(0, workers, w =>
        {
            var acc = Enumerable.Repeat(RistrettoPoint.Identity, 2 * cells).ToArray();
            for (int i = w; i < keys.Length; i += workers)
            {
                var st = keys[i];
                for (int b = 0; b < bands; b++)
                {
                    acc[b] += st.Short[b]; acc[bands + b] += st.Long[b];
                    acc[cells + b] += st.ShortZ[b]; acc[cells + bands + b] += st.LongZ[b];
                }
                for (int s = 0; s < shocks; s++)
                    for (int b = 0; b < bands; b++)
                    {
                        acc[2 * bands + s * bands + b] += st.Selected![s][b];
                        acc[cells + 2 * bands + s * bands + b] += st.SelectedIndicators![s][b];
                    }
            }
            partial[w] = acc;
        });
        for (int c = 0; c < 2 * cells; c++) { var a = RistrettoPoint.Identity; for (int w = 0; w < workers; w++) a += partial[w][c]; sums[c] = a; }
        ms[4] = Lap();

        var byCell = new Dictionary<int, (int Index, BandAggregate Agg)>();
        for (int i = 0; i < bundle.Aggregates.Count; i++)
        {
            var a = bundle.Aggregates[i];
            string at = $"aggregates[{i}]";
            if (a.Band >= bands || a.ShockIndex < -1 || a.ShockIndex >= shocks || (a.ShockIndex >= 0 && !a.IsShort))
            { f.Add(new Finding("aggregate", at, $"no such cell (band {a.Band}, shock {a.ShockIndex})")); continue; }
            int cell = a.ShockIndex >= 0 ? 2 * bands + a.ShockIndex * bands + (int)a.Band : a.IsShort ? (int)a.Band : bands + (int)a.Band;
            if (!byCell.TryAdd(cell, (i, a))) f.Add(new Finding("aggregate", $"aggregates[{BundleFormat.CellLabel(a)}]", "appears twice"));
        }
        if (byCell.Count != cells) f.Add(new Finding("aggregate", "aggregates", $"{byCell.Count} distinct cells, expected {cells} (2 x {bands} bands + {shocks} shocks x {bands} bands)"));
        var proofOk = new bool[cells];
        var countOk = new bool[cells];
        var all = byCell.ToArray();
        var binding = new StatementBinding(epoch, paramHash, statementHash);
        Parallel.For(0, all.Length, k =>
        {
            var (cell, (_, a)) = (all[k].Key, all[k].Value);
            string label = BundleFormat.CellLabel(a);
            // the contributor count is proven, never claimed (issue 17 item 3): the sum of the cell's indicator commitments
            try { countOk[cell] = SumProof.FromBytes(a.CountProof.Span).Verify(binding, BundleFormat.CountLabel(label), sums[cells + cell], a.Contributors); }
            catch (FormatException) { countOk[cell] = false; }
            if (!a.Published) return;
            try { proofOk[cell] = SumProof.FromBytes(a.SumProof.Span).Verify(binding, label, sums[cell], a.Value); }
            catch (FormatException) { proofOk[cell] = false; }
        });
        int sumProofs = 0;
        foreach (var (cell, (i, a)) in byCell.OrderBy(kv => kv.Key))
        {
            string at = $"aggregates[{BundleFormat.CellLabel(a)}]";
            if (!countOk[cell]) f.Add(new Finding("count_proof", at, $"the count proof does not verify for {a.Contributors} contributors against the sum of the cell's indicator commitments"));
            bool shouldPublish = a.Contributors == 0 || a.Contributors >= (uint)risk.KMin;
            if (a.Published != shouldPublish)
                f.Add(new Finding("k_min", at, $"{a.Contributors} contributors with k_min = {risk.KMin}: must be {(shouldPublish ? "published" : "withheld")}"));
            if (a.Contributors > traders.Count) f.Add(new Finding("aggregate", at, $"{a.Contributors} contributors but {traders.Count} traders"));
            sumProofs++;
            if (a.Published)
            {
                sumProofs++;
                if (!proofOk[cell]) f.Add(new Finding("sum_proof", at, $"sum proof does not verify for the value {a.Value} against the sum of the commitments"));
                if (a.Contributors == 0 && a.Value != 0) f.Add(new Finding("aggregate", at, $"value {a.Value} with no contributor"));
            }
            else if (a.Value != 0 || !a.SumProof.IsEmpty) f.Add(new Finding("k_min", at, "a withheld cell must carry no value and no proof"));
        }

        // ---- withheld LSV cells enter the buffer through one proven remainder per shock ----
        var ownWeights = LsfWeights.Compute(risk, RiskBridge.Market(parameters));
        if (bundle.LsfWeights.Count != ownWeights.Length)
            f.Add(new Finding("withheld", "lsf_weights", $"{bundle.LsfWeights.Count} weights, expected {ownWeights.Length} ({shocks} shocks x {bands} bands)"));
        else
            for (int j = 0; j < ownWeights.Length; j++)
                if (Math.Abs((long)bundle.LsfWeights[j] - ownWeights[j]) > LsfWeights.Tolerance)
                { f.Add(new Finding("withheld", $"lsf_weights[{j}]", $"{bundle.LsfWeights[j]} is not round(h_b(s) * 2^16) = {ownWeights[j]}")); break; }
        var remainders = new UInt128[shocks];
        if (bundle.Withheld.Count != shocks || bundle.Withheld.Select(x => (int)x.ShockIndex).Distinct().Count() != shocks || bundle.Withheld.Any(x => x.ShockIndex >= shocks))
            f.Add(new Finding("withheld", "withheld", $"needs exactly one remainder per shock 0..{shocks - 1}, got {bundle.Withheld.Count}"));
        else if (bundle.LsfWeights.Count == ownWeights.Length)
        {
            foreach (var wr in bundle.Withheld)
            {
                int s = (int)wr.ShockIndex;
                string at = $"withheld[s={s}]";
                UInt128 value;
                try { value = BundleFormat.U128(wr.Value.Span); }
                catch (FormatException e) { f.Add(new Finding("withheld", at, e.Message)); continue; }
                var point = RistrettoPoint.Identity;
                for (int b = 0; b < bands; b++)
                {
                    int cell = 2 * bands + s * bands + b;
                    if (!byCell.TryGetValue(cell, out var x) || x.Agg.Published) continue;
                    point += Scalar.FromUInt64(bundle.LsfWeights[s * bands + b]) * sums[cell];
                }
                bool ok;
                try { ok = SumProof.FromBytes(wr.SumProof.Span).Verify(binding, BundleFormat.WithheldLabel(s), point, value); }
                catch (FormatException) { ok = false; }
                if (!ok) f.Add(new Finding("withheld", at, $"the remainder {value} does not verify against the weighted sum of shock {s}'s withheld cells"));
                remainders[s] = value;
                sumProofs++;
            }
        }
        counts["sum_proofs"] = sumProofs;
        ms[5] = Lap();

        // ---- Merkle root, counts ----
        var root = EpochState.BuildTree(traders.Values).Root;
        if (!root.AsSpan().SequenceEqual(bundle.MerkleRoot.Span))
            f.Add(new Finding("merkle_root", "merkle_root", $"{Hex(bundle.MerkleRoot.Span)} is not the root over the {traders.Count} traders' submissions and selection parts ({Hex(root)})"));
        if (bundle.TraderCount != traders.Count) f.Add(new Finding("structure", "trader_count", $"{bundle.TraderCount}, the folded state has {traders.Count}"));
        ms[6] = Lap();
        return new EpochState(epoch, bundle.BundleHash.ToByteArray(), expectedCheckpoint, parameters, paramHash, traders) { WithheldRemainders = remainders };
    }

    private sealed record SelectionGroupOutcome(List<Finding> Findings, List<SelectionStatement> Statements, List<string> Where, TraderState? State);

    /// <summary>One trader's selection parts: one per shock, issued in a valid epoch, decodable; the statements to batch-verify.</summary>
    private static SelectionGroupOutcome CheckSelectionGroup(string hex, List<(int Index, SelectionPart Part)> g, TraderState? st,
        bool checkpoint, ulong epoch, byte[] paramHash, byte[] statementHash, int bands, int shocks)
    {
        var f = new List<Finding>();
        var statements = new List<SelectionStatement>(shocks);
        var where = new List<string>(shocks);
        SelectionGroupOutcome Fail() => new(f, [], [], null);
        string at = $"selections[{g[0].Index}]";
        if (st is null) { f.Add(new Finding("selection", at, $"trader {Short(hex)} has no submission in the state")); return Fail(); }
        if (g.Count != shocks || g.Select(x => (int)x.Part.ShockIndex).OrderBy(x => x).Where((s, k) => s == k).Count() != shocks)
        { f.Add(new Finding("selection", at, $"trader {Short(hex)}: needs exactly one part per shock 0..{shocks - 1}, got {g.Count}")); return Fail(); }
        var parts = g.OrderBy(x => x.Part.ShockIndex).ToArray();
        var selected = new RistrettoPoint[shocks][];
        var selectedZ = new RistrettoPoint[shocks][];
        // One proof per shock covers D over the short commitments and E over the short indicators (circuits/selection.v2.json).
        // The bytes the points were decoded from go into the transcripts as they are (no re-encoding).
        var bases = st.SelectionBases;
        var baseBytes = st.SelectionBaseBytes;
        foreach (var (i, p) in parts)
        {
            string w = $"selections[{i}]";
            if (p.Selected.Count != bands || p.SelectedIndicators.Count != bands) { f.Add(new Finding("selection", w, $"must hold {bands} selected commitments and {bands} selected indicators")); return Fail(); }
            if (p.IssuedEpoch > epoch || p.IssuedEpoch == 0 || (p.IssuedEpoch == epoch && !p.IssuedParameterHash.Span.SequenceEqual(paramHash)))
            { f.Add(new Finding("selection", w + ".issued_epoch", $"issued in epoch {p.IssuedEpoch} with a parameter hash that is not this bundle's")); return Fail(); }
            if (!checkpoint && p.IssuedEpoch != epoch)
            { f.Add(new Finding("selection", w + ".issued_epoch", $"a non-checkpoint bundle carries only parts issued in epoch {epoch}")); return Fail(); }
            RistrettoPoint[] points, zpoints;
            var bytes = new ReadOnlyMemory<byte>[2 * bands];
            try
            {
                points = DecodeAll(p.Selected, $"{w}.selected");
                zpoints = DecodeAll(p.SelectedIndicators, $"{w}.selected_indicators");
                for (int b = 0; b < bands; b++) { bytes[b] = p.Selected[b].Point.Data.Memory; bytes[bands + b] = p.SelectedIndicators[b].Point.Data.Memory; }
            }
            catch (PointException e) { f.Add(new Finding("selection", e.Where, e.Message)); return Fail(); }
            selected[p.ShockIndex] = points;
            selectedZ[p.ShockIndex] = zpoints;
            SelectionProof proof;
            try { proof = SelectionProof.FromBytes(p.Proof.Span); }
            catch (FormatException e) { f.Add(new Finding("selection_proof", w + ".proof", "does not decode: " + e.Message)); return Fail(); }
            statements.Add(new SelectionStatement(new StatementBinding(p.IssuedEpoch, p.IssuedParameterHash.ToByteArray(), statementHash),
                st.Trader, (int)p.ShockIndex, bases, [.. points, .. zpoints], proof)
            { BandCommitmentBytes = baseBytes, SelectedBytes = bytes });
            where.Add($"{w} (trader {Short(hex)}, shock {p.ShockIndex})");
        }
        var partArr = parts.Select(x => x.Part).ToArray();
        var state = new TraderState
        {
            Trader = st.Trader, Submission = st.Submission, SubmissionDigest = st.SubmissionDigest, Short = st.Short, Long = st.Long,
            ShortZ = st.ShortZ, LongZ = st.LongZ,
            Parts = partArr, Selected = selected, SelectedIndicators = selectedZ, SelectionDigest = BundleFormat.SelectionDigest(partArr),
        };
        return new SelectionGroupOutcome(f, statements, where, state);
    }

    private sealed class PointException(string where, string message) : Exception(message) { public string Where { get; } = where; }

    /// <summary>
    /// Decodes a list of commitments four at a time (<see cref="RistrettoBatchDecoder"/>: the square-root chains run in
    /// vector lanes); a bad entry is decoded again on its own for the finding's reason.
    /// </summary>
    private static RistrettoPoint[] DecodeAll(IReadOnlyList<Commitment> cs, string where)
    {
        int n = cs.Count;
        var points = new RistrettoPoint[n];
        Span<byte> enc = n <= 128 ? stackalloc byte[32 * n] : new byte[32 * n];
        for (int i = 0; i < n; i++)
        {
            var d = cs[i].Point?.Data ?? ByteString.Empty;
            if (d.Length != 32) Decode(cs[i], $"{where}[{i}]");     // throws with the reason
            d.Span.CopyTo(enc.Slice(32 * i, 32));
        }
        Span<bool> valid = n <= 128 ? stackalloc bool[n] : new bool[n];
        if (RistrettoBatchDecoder.Decode(enc, points, valid) != n)
            for (int i = 0; i < n; i++)
                if (!valid[i]) points[i] = Decode(cs[i], $"{where}[{i}]");     // throws with the reason
        return points;
    }

    private static RistrettoPoint Decode(Commitment c, string where)
    {
        var d = c.Point?.Data ?? ByteString.Empty;
        try { return RistrettoProofSystem.DecodePoint(d.Span); }
        catch (ProofEncodingException e) { throw new PointException(where, e.Reason); }
    }

    internal static string Hex(ReadOnlySpan<byte> b) => b.Length == 0 ? "(empty)" : Convert.ToHexStringLower(b)[..Math.Min(16, 2 * b.Length)] + "...";
    private static string Short(string hex) => hex[..Math.Min(16, hex.Length)];
}
