using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Flags;
using RiskBook = DVV.ZkRisk.Risk.PositionBook;

using Scalar = DVV.ZkRisk.Crypto.Scalar;


namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>A checked submission entering an epoch: the public submission, its decrypted opening, its digest.</summary>
internal sealed record SealInput(Submission Submission, Opening Opening, byte[] Digest)
{
    /// <summary>The opening's book as the gateway parsed it; null: parsed from the opening when the sealer admits it
    /// (inputs read back from the store after a restart, tests).</summary>
    public RiskBook? Book { get; init; }
    /// <summary>The gateway's valuation of <see cref="Book"/> under the epoch's parameter set, reused by the sealer so that
    /// each book is valued once per epoch.</summary>
    public BookValuation? Valuation { get; init; }
}

/// <summary>A book's valuation under one parameter set (<see cref="ParameterHash"/>); <see cref="Risk"/> null: the risk
/// engine could not value it.</summary>
internal sealed record BookValuation(byte[] ParameterHash, TraderRisk? Risk);

/// <summary>What only the venue knows about a trader: the openings of its commitments, its book, its flags and the
/// selection blindings rho_isb of its current selection parts. Internal to the venue's assemblies and immutable once
/// issued (a re-issue makes a new one); never part of a public API or a message.</summary>
internal sealed class TraderSecrets
{
    public required ulong[] ShortValues { get; init; }
    public required ulong[] LongValues { get; init; }
    public required Scalar[] ShortBlindings { get; init; }
    public required Scalar[] LongBlindings { get; init; }
    /// <summary>Blindings t_b of the contributor indicators (their bits are [value != 0]).</summary>
    public required Scalar[] ShortIndicatorBlindings { get; init; }
    public required Scalar[] LongIndicatorBlindings { get; init; }
    public required RiskBook Book { get; init; }
    public required byte[] BookJson { get; init; }
    /// <summary>Whether the submission committed to its collateral (the openings below are then those of CE_usd, CE_coin).</summary>
    public bool HasCollateral { get; init; }
    /// <summary>E_usd in 10^-8 USD and E_coin in 10^-8 coin, with the blindings of their commitments.</summary>
    public ulong CollateralUsd { get; init; }
    public ulong CollateralCoin { get; init; }
    public Scalar CollateralUsdBlinding { get; init; }
    public Scalar CollateralCoinBlinding { get; init; }
    public LiquidationFlags Flags { get; init; }
    /// <summary>The cluster the current parts were issued in (<see cref="ClusterFinder.Found.Key"/>; "" when margined alone): a
    /// member's flag proof covers the cluster's summed distance, so any change of the cluster re-issues every member.</summary>
    public string ClusterKey { get; init; } = "";
    /// <summary>rho_isb [shock][band] of the current selection parts, then rho'_isb of the selected indicators ([shock][bands + band]),
    /// then, under selection.v3, phi_is of the flag bit ([shock][2 bands]).</summary>
    public Scalar[][]? Rho { get; init; }
    public ulong SelectionEpoch { get; init; }

    /// <summary>Whether the parts select one point per cell (selection.v4): G_isb = lam_is (C_ib + chi Z_ib) + rho_isb B~.</summary>
    public bool Combined { get; init; }

    /// <summary>The opening of D_isb: value lam_is S_ib, blinding lam_is r_ib + rho_isb; under selection.v4 the point is
    /// G_isb and the blinding lam_is (r_ib + chi t_ib) + rho_isb, which opens G_isb - chi lam_is z_ib B to the same value.</summary>
    public (ulong Value, Scalar Blinding) SelectionOpening(int shock, int band)
    {
        var rho = Rho![shock][band];
        if (!Flags[shock]) return (0UL, rho);
        var r = ShortBlindings[band] + rho;
        if (Combined) r += CountWeight.Chi * ShortIndicatorBlindings[band];
        return (ShortValues[band], r);
    }

    /// <summary>The full opening of the selected point: D_isb's (lam S, blinding) or, under selection.v4, G_isb's
    /// (lam (S + chi z), lam (r + chi t) + rho).</summary>
    public (Scalar Value, Scalar Blinding) SelectedPointOpening(int shock, int band)
    {
        var (v, r) = SelectionOpening(shock, band);
        var value = Scalar.FromUInt64(v);
        if (Combined && v != 0) value += CountWeight.Chi;
        return (value, r);
    }

    /// <summary>lam_is z_ib: the trader's contribution to the LSV cell's count.</summary>
    public ulong SelectedIndicator(int shock, int band) => Flags[shock] && ShortValues[band] != 0 ? 1UL : 0UL;

    /// <summary>The opening of E_isb: value lam_is z_ib, blinding lam_is t_ib + rho'_isb (selection.v2, v3).</summary>
    public (ulong Value, Scalar Blinding) IndicatorSelectionOpening(int shock, int band)
    {
        var rho = Rho![shock][ShortValues.Length + band];
        return Flags[shock] ? (ShortValues[band] != 0 ? 1UL : 0UL, ShortIndicatorBlindings[band] + rho) : (0UL, rho);
    }
}

public sealed record SealTimings(double RiskMs, double SelectionMs, double SumsMs, double SumProofsMs, double MerkleMs, double EncodeMs, double TotalMs);

public sealed record SealResult(EpochBundle Bundle, EpochState State, int NewSubmissions, int Reissued, int Cover, int BundleBytes, SealTimings Timings)
{
    /// <summary>The venue's secrets as of this epoch, by trader hex (for margin notices).</summary>
    internal IReadOnlyDictionary<string, TraderSecrets> Secrets { get; init; } = new Dictionary<string, TraderSecrets>();
    /// <summary>This epoch's valuation of every valued trader (IM, MM, flags), by trader hex: the notices' IM.</summary>
    internal IReadOnlyDictionary<string, TraderRisk> Valuations { get; init; } = new Dictionary<string, TraderRisk>();
    /// <summary>Selection sets proven ahead of the seal (PreIssue / Prepare) and reused.</summary>
    public int PreIssuedUsed { get; init; }
    /// <summary>The bundle's canonical encoding, written once with its hash (<see cref="BundleFormat.HashAndEncode"/>):
    /// what the venue stores and serves.</summary>
    internal byte[] Encoding { get; init; } = [];
    public double BytesPerTrader => State.Count == 0 ? 0 : (double)BundleBytes / State.Count;
}

/// <summary>
/// The venue's sealer (DESIGN.md 2 step 4), incremental: submissions persist until replaced. Per epoch it computes every
/// trader's liquidation flags with the risk engine, issues selection commitments and proofs for new or replaced
/// submissions, for traders whose flags changed and for a random cover set of at least k_cover other traders, proves
/// every published aggregate (S and L per band, LSV per shock and band) with a sum proof, builds the Merkle root and
/// the bundle. Aggregate sums are kept as running sums, so an epoch costs O(changed traders x shocks x bands) group
/// operations plus O(shocks x bands) sum proofs, not O(all traders).
/// </summary>
internal sealed class EpochSealer
{
    private readonly StatementSet _statements;
    private readonly Dictionary<string, TraderSecrets> _secrets = new(StringComparer.Ordinal);
    private Sums? _sums;

    public EpochSealer(StatementSet statements) => _statements = statements;

    /// <summary>Tests only: the sealer skips its own fold rules (an input must be signed for the epoch and unexpired) to play a
    /// malicious venue whose bundles are otherwise well formed and fully proven.</summary>
    internal bool PlayMaliciousVenue { get; init; }

    /// <summary>Tests only: a venue that misstates the flags of the named traders (hex key to the flags it issues instead of
    /// the band model's), issuing selection parts, sums and a flag proof for them as an attacker holding the openings would;
    /// no accepted flag proof can come out (circuits/flag.v1.json), which is what the tests show.</summary>
    internal IReadOnlyDictionary<string, LiquidationFlags>? MisstatedFlags { get; init; }

    /// <summary>The venue's ledger for cluster detection (cluster.v1): trader key (hex) to the funding source its collateral
    /// comes from (a master account, a deposit wallet). Accounts of one source are margined as one (<see cref="ClusterFinder"/>).</summary>
    public IReadOnlyDictionary<string, string>? FundingSources { get; set; }

    /// <summary>Linked-account clusters of the last seal (with the unprovable oversized groups, whose members it flagged everywhere).</summary>
    internal ClusterFinder.Result LastClusters { get; private set; } = ClusterFinder.Result.None;

    public EpochState? State { get; private set; }

    /// <summary>After a restart: the verified state of the last stored bundle, whose selection secrets are gone.</summary>
    private EpochState? _resumeParent;

    private sealed record PreIssued(ulong Epoch, byte[] ParameterHash, byte[] Digest, uint FlagsMask, TraderState State, TraderSecrets Secrets)
    {
        public string ClusterKey => Secrets.ClusterKey;
    }
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PreIssued> _pre = new(StringComparer.Ordinal);
    // The latest valuation per trader (of which submission, under which parameter set), so that a book valued by the gateway,
    // a pre-issue or Prepare is not valued again by the seal: one margin evaluation per trader per epoch.
    private sealed record Valued(byte[] Digest, byte[] ParameterHash, TraderRisk? Risk);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Valued> _valued = new(StringComparer.Ordinal);
    /// <summary>Newcomers the last seal left out (fewer than k_min in an incremental epoch): they resubmit for a later epoch.</summary>
    public IReadOnlyList<string> LastDeferred { get; private set; } = [];

    /// <summary>The size of the re-issued carried set: the next power of two at or above <paramref name="needed"/>, or
    /// every candidate when that is fewer (zero stays zero).</summary>
    public static int ReissueTarget(int needed, int candidates)
    {
        if (needed <= 0) return 0;
        int t = 1;
        while (t < needed) t <<= 1;
        return Math.Min(t, candidates);
    }

    /// <summary>Traders whose book the risk engine could not value in the last seal: flagged in every shock by rule and
    /// named in the bundle's <c>unvalued</c> list (<see cref="ConservativeFlagsRule"/>).</summary>
    public IReadOnlyList<string> LastUnvalued { get; private set; } = [];

    /// <summary>Selection parts proven ahead of the seal and still valid for it (same epoch, parameters, submission, flags).</summary>
    public int PreIssuedCount => _pre.Count;

    /// <summary>
    /// Proves a new submission's selection parts as soon as it is accepted (the epoch's market, hence its flags, is fixed
    /// when the epoch opens), so the seal only has to check and reuse them. Thread-safe; touches no sealed state.
    /// </summary>
    public void PreIssue(ulong epoch, EpochParameters parameters, SealInput input) => PreIssue(epoch, EpochContext.Of(parameters), input);

    /// <inheritdoc cref="PreIssue(ulong, EpochParameters, SealInput)"/>
    public void PreIssue(ulong epoch, EpochContext ctx, SealInput input)
    {
        var (st, sec) = Admit(input, ctx);
        var traders = new Dictionary<string, TraderState> { [st.Hex] = st };
        var flags = ComputeFlags(ctx, traders, new() { [st.Hex] = sec }, out _, out _, out var witnesses, out _)[st.Hex];
        var (ist, isec) = Issue(st, sec, flags, epoch, ctx.ParameterHash, ctx.Binding(epoch, _statements.CombinedHash), ctx.BandCount, ctx.ShockCount,
            FlagModelOf(ctx), witnesses.GetValueOrDefault(st.Hex), "", Combined);
        _pre[st.Hex] = new PreIssued(epoch, ctx.ParameterHash, st.SubmissionDigest, flags.Mask, ist, isec);
    }

    /// <summary>
    /// At the opening of <paramref name="epoch"/>: computes every sealed trader's flags under the new market, derives the
    /// cover set from the epoch's committed seed, and proves the re-issues of traders whose flags change and of the cover
    /// set ahead of the seal. Not concurrent with <see cref="Seal"/> (the caller serialises them).
    /// </summary>
    public void Prepare(ulong epoch, EpochParameters parameters, byte[] coverSeed) => Prepare(epoch, EpochContext.Of(parameters), coverSeed);

    /// <inheritdoc cref="Prepare(ulong, EpochParameters, byte[])"/>
    public void Prepare(ulong epoch, EpochContext ctx, byte[] coverSeed)
    {
        if (State is null) return;
        var paramHash = ctx.ParameterHash;
        var risk = ctx.Risk;
        int bands = ctx.BandCount, shocks = ctx.ShockCount;
        var secrets = new Dictionary<string, TraderSecrets>(_secrets, StringComparer.Ordinal);
        var traders = State.Next();
        foreach (var hex in Expired(traders, ctx.ValuationTimeUnixMs)) traders.Remove(hex);
        var flags = ComputeFlags(ctx, traders, secrets, out _, out _, out var witnesses, out var clusters);
        var model = FlagModelOf(ctx);
        var changed = flags.Where(kv => secrets[kv.Key].Flags.Mask != kv.Value.Mask).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var byMember = clusters.ByMember();
        changed.UnionWith(CoverSet.Derive(coverSeed, epoch, traders.Keys, Math.Max(0, risk.KCover)));
        CloseOverClusters(changed, clusters, secrets, traders);
        var binding = ctx.Binding(epoch, _statements.CombinedHash);
        var todo = changed.ToArray();
        Parallel.For(0, todo.Length, i =>
        {
            var hex = todo[i];
            var st = traders[hex];
            var (ist, isec) = Issue(st, secrets[hex], flags[hex], epoch, paramHash, binding, bands, shocks, model, witnesses.GetValueOrDefault(hex),
                byMember.TryGetValue(hex, out var c) ? c.Key : "", Combined);
            _pre.TryAdd(hex, new PreIssued(epoch, paramHash, st.SubmissionDigest, flags[hex].Mask, ist, isec));   // a newer submission's pre-issue wins
        });
    }

    /// <summary>The trader's public state and secrets from a checked input. What the gateway already did travels with the
    /// input and is not done again: its decoded points and scalars, its parsed book and its valuation under this epoch's
    /// parameter set (recorded for <see cref="ComputeFlags"/>); an input read back from the store is decoded and parsed here.</summary>
    private (TraderState, TraderSecrets) Admit(SealInput input, EpochContext ctx)
    {
        int bands = ctx.BandCount, shocks = ctx.ShockCount;
        var s = input.Submission;
        string hex = Convert.ToHexStringLower(s.TraderPublicKey.Span);
        var o = input.Opening;
        if (o.ShortValues.Count != bands || o.LongValues.Count != bands || o.ShortBlindings.Count != bands || o.LongBlindings.Count != bands
            || o.ShortIndicatorBlindings.Count != bands || o.LongIndicatorBlindings.Count != bands || s.ShortIndicators.Count != bands || s.LongIndicators.Count != bands)
            throw new InvalidOperationException($"trader {hex[..16]}: opening has the wrong number of bands");
        var book = input.Book ?? OpeningBook.ParseStored(o.BookJson);
        // the state (and so every bundle) holds the submission with its sealed opening replaced by the box's hash
        var st = TraderState.Of(SubmissionDigest.Published(s), input.Digest);
        var sec = new TraderSecrets
        {
            ShortValues = o.ShortValues.ToArray(), LongValues = o.LongValues.ToArray(),
            ShortBlindings = o.ShortBlindings.ToArray(), LongBlindings = o.LongBlindings.ToArray(),
            ShortIndicatorBlindings = o.ShortIndicatorBlindings.ToArray(), LongIndicatorBlindings = o.LongIndicatorBlindings.ToArray(),
            Book = book, BookJson = o.BookJson.ToArray(),
            Flags = LiquidationFlags.None(shocks),
            HasCollateral = s.HasCollateral,
            CollateralUsd = o.CollateralUsdUnits, CollateralCoin = o.CollateralCoinUnits,
            CollateralUsdBlinding = o.CollateralUsdBlinding, CollateralCoinBlinding = o.CollateralCoinBlinding,
        };
        if (input.Valuation is { } v && v.ParameterHash.AsSpan().SequenceEqual(ctx.ParameterHash))
            _valued[st.Hex] = new Valued(st.SubmissionDigest, ctx.ParameterHash, v.Risk);
        return (st, sec);
    }

    private bool Combined => _statements.CombinesCells;

    /// <summary>Fresh selection parts for one trader: rho per shock and band, D and one proof per shock; under the flag
    /// statement (<paramref name="model"/> set) also F_s per shock in the same proof (selection.v3) and, when the trader's
    /// flags are proven (<paramref name="witness"/> set, else it is flagged everywhere by rule), its flag proof.</summary>
    private static (TraderState, TraderSecrets) Issue(TraderState st, TraderSecrets sec, LiquidationFlags flags, ulong epoch, byte[] paramHash,
        StatementBinding binding, int bands, int shocks, FlagModel? model, FlagWitness? witness, string clusterKey, bool combined)
    {
        bool withFlagBit = model is not null;
        if (combined && !withFlagBit) throw new InvalidOperationException("selection.v4 is proven with the flag statement");
        if (witness is not null && witness.Flags.Mask != flags.Mask) throw new InvalidOperationException("the flags to issue are not the proven ones");
        var ns = new TraderSecrets
        {
            ShortValues = sec.ShortValues, LongValues = sec.LongValues, ShortBlindings = sec.ShortBlindings, LongBlindings = sec.LongBlindings,
            ShortIndicatorBlindings = sec.ShortIndicatorBlindings, LongIndicatorBlindings = sec.LongIndicatorBlindings, Book = sec.Book, BookJson = sec.BookJson, Flags = flags, Rho = new Scalar[shocks][], SelectionEpoch = epoch,
            HasCollateral = sec.HasCollateral, CollateralUsd = sec.CollateralUsd, CollateralCoin = sec.CollateralCoin,
            CollateralUsdBlinding = sec.CollateralUsdBlinding, CollateralCoinBlinding = sec.CollateralCoinBlinding, ClusterKey = clusterKey,
            Combined = combined,
        };
        var parts = new SelectionPart[shocks];
        var selected = new RistrettoPoint[shocks][];
        var selectedZ = combined ? null : new RistrettoPoint[shocks][];
        var flagBits = withFlagBit ? new RistrettoPoint[shocks] : null;
        var phi = withFlagBit ? new Scalar[shocks] : null;
        // One proof per shock covers D_b over C_b and E_b over Z_b (the short indicators) with the same lam
        // (circuits/selection.v2.json), and F over B (selection.v3). The submission's own bytes are the canonical
        // encodings of the bases: absorb them.
        // (selection.v4: one base per band, C_b + chi Z_b, then B)
        var bases = combined ? st.CombinedSelectionBases() : st.SelectionBases(withFlagBit);
        var baseBytes = combined ? TraderState.Encodings(bases) : st.SelectionBaseBytes(withFlagBit);
        int flagAt = combined ? bands : 2 * bands;
        for (int s = 0; s < shocks; s++)
        {
            var rho = new Scalar[bases.Length];
            for (int b = 0; b < rho.Length; b++) rho[b] = Scalar.Random();
            ns.Rho[s] = rho;
            var proof = SelectionProof.Prove(binding, st.Trader, s, bases, baseBytes, flags[s], rho, PedersenGens.Default, out var d);
            selected[s] = d[..bands];
            if (selectedZ is not null) selectedZ[s] = d[bands..(2 * bands)];
            if (withFlagBit) { flagBits![s] = d[flagAt]; phi![s] = rho[flagAt]; }
            parts[s] = new SelectionPart
            {
                TraderPublicKey = st.Submission.TraderPublicKey, ShockIndex = (uint)s, Proof = proof,
                IssuedEpoch = epoch, IssuedParameterHash = paramHash,
                Selected = Commitments.Of(d.AsSpan(0, bands)), SelectedIndicators = combined ? [] : Commitments.Of(d.AsSpan(bands, bands)),
                FlagBit = withFlagBit ? Commitment.Of(d[flagAt]) : null,
            };
        }
        var flagProof = witness is null ? null
            : witness.Cluster is not null ? Flags.ClusterFlagProof.Prove(binding, st.Trader, model!, witness, flagBits, phi)
            : Flags.FlagProof.Prove(binding, st.Trader, model!, witness, flagBits, phi);
        var ts = new TraderState
        {
            Trader = st.Trader, Submission = st.Submission, SubmissionDigest = st.SubmissionDigest, Short = st.Short, Long = st.Long,
            ShortZ = st.ShortZ, LongZ = st.LongZ,
            Parts = parts, Selected = selected, SelectedIndicators = selectedZ, SelectionDigest = BundleFormat.SelectionDigest(parts),
            FlagBits = flagBits, FlagProof = flagProof,
        };
        return (ts, ns);
    }

    /// <summary>After a restart the sealer has no secrets (the selection blindings of carried parts are not kept): the
    /// next seal is a checkpoint folded from <paramref name="parent"/> (the verified state of the last stored bundle) that
    /// re-issues every trader's selection parts; the seal's inputs must then hold every live trader's latest submission
    /// with its opening, so that the carried traders' secrets are known again.</summary>
    public void ResumeAfter(EpochState parent)
    {
        if (State != null) throw new InvalidOperationException("the sealer already has a state");
        _resumeParent = parent;
    }

    /// <summary>Traders whose live submission expires at <paramref name="valuationUnixMs"/> (valid_until at or before it), sorted.</summary>
    public static List<string> Expired(IReadOnlyDictionary<string, TraderState> traders, long valuationUnixMs) =>
        traders.Where(kv => kv.Value.Submission.ValidUntilUnixMs != 0 && kv.Value.Submission.ValidUntilUnixMs <= valuationUnixMs)
            .Select(kv => kv.Key).OrderBy(h => h, StringComparer.Ordinal).ToList();
    public StatementSet Statements => _statements;

    internal TraderSecrets? Secrets(ReadOnlySpan<byte> trader) => _secrets.TryGetValue(Convert.ToHexStringLower(trader), out var s) ? s : null;

    /// <summary>The latest valuation of the trader's live submission (null: none, or the engine could not value it).</summary>
    internal TraderRisk? Valuation(ReadOnlySpan<byte> trader) => _valued.TryGetValue(Convert.ToHexStringLower(trader), out var v) ? v.Risk : null;

    /// <summary>Seals <paramref name="epoch"/> from the previous state plus <paramref name="inputs"/> (one per trader at most; a later
    /// one replaces an earlier one). <paramref name="coverSeed"/> opens the parameter set's cover-seed commitment.
    /// <paramref name="forceCheckpoint"/> writes a full checkpoint bundle.</summary>
    public SealResult Seal(ulong epoch, EpochParameters parameters, IReadOnlyList<SealInput> inputs, long sealedAtUnixMs, byte[] coverSeed, bool forceCheckpoint = false) =>
        Seal(epoch, EpochContext.Of(parameters), inputs, sealedAtUnixMs, coverSeed, forceCheckpoint);

    /// <inheritdoc cref="Seal(ulong, EpochParameters, IReadOnlyList{SealInput}, long, byte[], bool)"/>
    public SealResult Seal(ulong epoch, EpochContext ctx, IReadOnlyList<SealInput> inputs, long sealedAtUnixMs, byte[] coverSeed, bool forceCheckpoint = false)
    {
        long t0 = Stopwatch.GetTimestamp();
        var parameters = ctx.Parameters;
        if (State != null && epoch <= State.Epoch) throw new InvalidOperationException($"epoch {epoch} is not after the sealed epoch {State.Epoch}");
        if (!CoverSet.Commitment(coverSeed).AsSpan().SequenceEqual(parameters.CoverSeedCommitment.Span))
            throw new InvalidOperationException($"epoch {epoch}: the cover seed does not open the parameter set's cover-seed commitment");
        var paramHash = ctx.ParameterHash;
        var risk = ctx.Risk;
        var market = ctx.Market;
        int bands = ctx.BandCount, shocks = ctx.ShockCount;
        var binding = ctx.Binding(epoch, _statements.CombinedHash);
        var resume = State is null ? _resumeParent : null;
        var sums = resume is null ? _sums?.Clone() ?? new Sums(bands, shocks, Combined) : new Sums(bands, shocks, Combined);
        var traders = State?.Next() ?? resume?.Next() ?? EpochState.Empty();
        var secrets = new Dictionary<string, TraderSecrets>(_secrets, StringComparer.Ordinal);
        long valuation = parameters.ValuationTimeUnixMs;

        uint interval = parameters.CheckpointInterval;
        bool checkpoint = forceCheckpoint || State == null || interval <= 1 || epoch - State.CheckpointEpoch >= interval;
        var before = new HashSet<string>(traders.Keys, StringComparer.Ordinal);

        // ---- 1. new and replaced submissions (after a restart: also the carried traders' openings) ----
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var sub = input.Submission;
            string hex = Convert.ToHexStringLower(sub.TraderPublicKey.Span);
            bool carried = traders.TryGetValue(hex, out var old) && old.SubmissionDigest.AsSpan().SequenceEqual(input.Digest);
            if (carried && resume is null) continue;   // already in the state
            if (carried)
            {
                // restart: the same submission as in the parent state, re-admitted only for its secrets (not a change)
                var (cst, csec) = Admit(input, ctx);
                traders[hex] = cst; secrets[hex] = csec;
                continue;
            }
            // the fold rule the verifier enforces: a submission enters only in the epoch it was signed for, unexpired
            if (!PlayMaliciousVenue && (sub.Epoch != epoch || (sub.ValidUntilUnixMs != 0 && sub.ValidUntilUnixMs <= valuation))) continue;
            // (a second input of the same trader replaces the first, whose sums were never added)
            if (resume is null && !changed.Contains(hex) && old != null) sums.Apply(old, secrets[hex], -1);
            var (st, sec) = Admit(input, ctx);
            traders[hex] = st;
            secrets[hex] = sec;
            changed.Add(hex);
        }
        if (resume != null)
            foreach (var hex in traders.Keys)
                if (!secrets.ContainsKey(hex)) throw new InvalidOperationException($"resume: no stored opening for trader {hex[..16]} of epoch {resume.Epoch}");
        // newcomers join in batches (issue 17 item 9): a lone newcomer's exposure would be the difference of two epochs'
        // aggregates, so an incremental epoch admits none or at least k_min of them; the rest resubmit for a later epoch
        var newcomers = changed.Where(h => !before.Contains(h)).OrderBy(h => h, StringComparer.Ordinal).ToList();
        var deferred = new List<string>();
        if (!checkpoint && newcomers.Count > 0 && newcomers.Count < risk.KMin)
            foreach (var hex in newcomers) { traders.Remove(hex); secrets.Remove(hex); changed.Remove(hex); deferred.Add(hex); }

        // ---- 2. expiry rule: a carried submission leaves the state once its valid_until is reached ----
        var expired = Expired(traders, valuation).Where(h => !changed.Contains(h)).ToList();
        foreach (var hex in expired)
        {
            if (resume is null) sums.Apply(traders[hex], secrets[hex], -1);
            traders.Remove(hex);
            secrets.Remove(hex);
        }

        // ---- 3. liquidation flags of every trader (risk engine), who needs new selection parts ----
        var reissue = new HashSet<string>(changed, StringComparer.Ordinal);
        var newFlags = ComputeFlags(ctx, traders, secrets, out var unvalued, out var valuations, out var witnesses, out var clusters);
        var model = FlagModelOf(ctx);
        var clusterOf = clusters.ByMember();
        // a checkpoint under the flag statement re-proves every trader's flags under this epoch's market (full re-proof)
        bool reproveAll = model is not null && checkpoint;
        foreach (var (hex, f) in newFlags)
            if (!changed.Contains(hex) && (resume != null || reproveAll || secrets[hex].Flags.Mask != f.Mask)) reissue.Add(hex);
        // the cover set: derived from the committed seed over the carried traders, so verifiers can recompute it
        var candidates = traders.Keys.Where(h => !changed.Contains(h)).ToList();
        var cover = CoverSet.Derive(coverSeed, epoch, candidates, Math.Max(0, risk.KCover));
        reissue.UnionWith(cover);
        CloseOverClusters(reissue, clusters, secrets, traders);
        // the re-issued carried set is padded to a power of two (or to everyone) so that its size tells how many traders
        // crossed a threshold only to within a factor of two (issue 17 item 9); the filler continues the seed's order
        // (a cluster is re-issued whole, which can break the padding: pad and close again until both hold)
        var fillOrder = CoverSet.Derive(coverSeed, epoch, candidates, candidates.Count);
        while (true)
        {
            int carriedReissued = reissue.Count - changed.Count;
            int target = ReissueTarget(carriedReissued, candidates.Count);
            if (target == carriedReissued) break;
            foreach (var hex in fillOrder)
            {
                if (reissue.Count - changed.Count >= target) break;
                reissue.Add(hex);
            }
            CloseOverClusters(reissue, clusters, secrets, traders);
        }
        long t1 = Stopwatch.GetTimestamp();

        // ---- 3. selection commitments and proofs ----
        var list = reissue.OrderBy(h => h, StringComparer.Ordinal).ToArray();
        var rebuilt = new TraderState[list.Length];
        var newSecrets = new TraderSecrets[list.Length];
        int reused = 0;
        Parallel.For(0, list.Length, i =>
        {
            string hex = list[i];
            var st = traders[hex];
            if (_pre.TryGetValue(hex, out var p) && p.Epoch == epoch && p.ParameterHash.AsSpan().SequenceEqual(paramHash)
                && p.Digest.AsSpan().SequenceEqual(st.SubmissionDigest) && p.FlagsMask == newFlags[hex].Mask
                && p.ClusterKey == (clusterOf.TryGetValue(hex, out var pc) ? pc.Key : ""))
            {
                rebuilt[i] = p.State; newSecrets[i] = p.Secrets;
                Interlocked.Increment(ref reused);
                return;
            }
            (rebuilt[i], newSecrets[i]) = Issue(st, secrets[hex], newFlags[hex], epoch, paramHash, binding, bands, shocks, model, witnesses.GetValueOrDefault(hex),
                clusterOf.TryGetValue(hex, out var c) ? c.Key : "", Combined);
        });
        long t2 = Stopwatch.GetTimestamp();
        for (int i = 0; i < list.Length; i++)
        {
            string hex = list[i];
            if (!changed.Contains(hex) && resume is null) sums.Apply(traders[hex], secrets[hex], -1);   // changed ones were removed above
            traders[hex] = rebuilt[i];
            secrets[hex] = newSecrets[i];
            sums.Apply(rebuilt[i], newSecrets[i], +1);
        }
        foreach (var (hex, f) in newFlags) if (!reissue.Contains(hex) && secrets[hex].Flags.Mask != f.Mask)
            throw new InvalidOperationException("flags changed without re-issue");   // unreachable: flag changes are re-issued
        long t3 = Stopwatch.GetTimestamp();

        // ---- 4. aggregates and sum proofs ----
        var weights = LsfWeights.Compute(risk, market);
        var (aggregates, withheldCells, withheldCellProofs) = sums.Prove(binding, risk.KMin, weights);
        long t4 = Stopwatch.GetTimestamp();

        // ---- 5. Merkle root ----
        var root = EpochState.BuildTree(traders.Values).Root;
        long t5 = Stopwatch.GetTimestamp();

        // ---- 6. the bundle ----
        var previous = State?.BundleHash ?? (resume is { } r && r.Epoch + 1 == epoch ? r.BundleHash : BundleFormat.GenesisHash);
        ulong checkpointEpoch = checkpoint ? epoch : State!.CheckpointEpoch;
        var submissions = new List<Submission>();
        var selections = new List<SelectionPart>();
        var flagProofs = new List<TraderFlagProof>();
        foreach (var (hex, st) in traders)
        {
            if (checkpoint || changed.Contains(hex)) submissions.Add(st.Submission);
            if (checkpoint || reissue.Contains(hex))
            {
                selections.AddRange(st.Parts!);
                if (model is not null && st.FlagProof is { } fp)
                    flagProofs.Add(new TraderFlagProof(st.Submission.TraderPublicKey,
                        new AggregatedRangeProof(fp, FlagModel.DistanceBits, (uint)(secrets[hex].ClusterKey.Length > 0 ? 2 * shocks : shocks))));
            }
        }
        var bundle = new EpochBundle
        {
            Epoch = epoch, Parameters = parameters, ParameterHash = paramHash,
            MerkleRoot = root,
            PreviousBundleHash = previous,
            Checkpoint = checkpoint, StatementHash = _statements.CombinedHash,
            CheckpointEpoch = checkpointEpoch, TraderCount = (uint)traders.Count, CoverCount = (uint)cover.Count,
            SealedAtUnixMs = sealedAtUnixMs, CoverSeed = coverSeed,
            ExpiredTraders = expired.Select(hex => (ReadOnlyMemory<byte>)Convert.FromHexString(hex)).ToArray(),
            Statements = _statements.Wire, Submissions = submissions, Selections = selections,
            Unvalued = unvalued.OrderBy(h => h, StringComparer.Ordinal).Select(hex => ConservativeFlagsRule.Reveal(traders[hex].Trader, secrets[hex], bands, shocks)).ToArray(),
            Aggregates = aggregates, Withheld = withheldCells, LsfWeights = weights, WithheldCellProofs = withheldCellProofs,
            FlagCoefficients = model is null ? null : new FlagCoefficients(model.LongCoefficients.ToArray(), model.ShortCoefficients.ToArray(), model.CoinCoefficients.ToArray()),
            FlagProofs = flagProofs,
            Clusters = clusters.Clusters.Select(c => c.ToRecord()).ToArray(),
        };
        var (bundleHash, encoding) = BundleFormat.HashAndEncode(bundle);
        bundle = bundle with { BundleHash = bundleHash };
        int size = encoding.Length;
        long t6 = Stopwatch.GetTimestamp();

        var state = new EpochState(epoch, bundle.BundleHash.ToArray(), checkpointEpoch, parameters, paramHash, traders)
        { WithheldRemainders = withheldCells.Select(w => w.Value).ToArray(), Clusters = bundle.Clusters };
        State = state;
        _resumeParent = null;
        LastUnvalued = unvalued;
        LastDeferred = deferred;
        LastClusters = clusters;
        foreach (var k in _pre.Where(kv => kv.Value.Epoch <= epoch).Select(kv => kv.Key).ToList()) _pre.TryRemove(k, out _);
        foreach (var k in _valued.Keys.Where(k => !traders.ContainsKey(k)).ToList()) _valued.TryRemove(k, out _);
        _sums = sums;
        _secrets.Clear();
        foreach (var (k, v) in secrets) _secrets[k] = v;
        static double Ms(long a, long b) => (b - a) * 1000.0 / Stopwatch.Frequency;
        return new SealResult(bundle, state, changed.Count, reissue.Count, cover.Count, size,
            new SealTimings(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4), Ms(t4, t5), Ms(t5, t6), Ms(t0, t6))) { Secrets = secrets, Valuations = valuations, PreIssuedUsed = reused, Encoding = encoding };
    }

    /// <summary>
    /// Every trader's flags under the epoch's market, from its valuation: one per trader per epoch, reused when the
    /// gateway, <see cref="PreIssue(ulong, EpochContext, SealInput)"/> or <see cref="Prepare(ulong, EpochContext, byte[])"/>
    /// already valued the same submission under the same parameter set. A seal never fails because of one trader's data
    /// (issue 17 item 7): the gateway refuses books outside the bounds the risk engine needs and the expiry rule removes
    /// books before an option expires, so this is defence in depth: a book the risk engine still cannot value is flagged
    /// in every shock (the conservative rule: it counts as liquidation-sensitive everywhere, which can only raise the
    /// buffer) and named in <paramref name="unvalued"/>.
    /// </summary>
    private Dictionary<string, LiquidationFlags> ComputeFlags(EpochContext ctx, IReadOnlyDictionary<string, TraderState> traders,
        Dictionary<string, TraderSecrets> secrets, out List<string> unvalued, out Dictionary<string, TraderRisk> valuations,
        out Dictionary<string, FlagWitness> witnesses, out ClusterFinder.Result clusters)
    {
        var todo = new List<string>();
        var risks = new Dictionary<string, TraderRisk?>(traders.Count, StringComparer.Ordinal);
        foreach (var (hex, st) in traders)
        {
            if (_valued.TryGetValue(hex, out var v) && v.Digest.AsSpan().SequenceEqual(st.SubmissionDigest) && v.ParameterHash.AsSpan().SequenceEqual(ctx.ParameterHash))
                risks[hex] = v.Risk;
            else todo.Add(hex);
        }
        var books = new RiskBook[todo.Count];
        for (int i = 0; i < books.Length; i++) books[i] = secrets[todo[i]].Book;
        var fresh = ctx.ValueAll(books);
        for (int i = 0; i < books.Length; i++)
        {
            risks[todo[i]] = fresh[i];
            _valued[todo[i]] = new Valued(traders[todo[i]].SubmissionDigest, ctx.ParameterHash, fresh[i]);
        }
        var flags = new Dictionary<string, LiquidationFlags>(traders.Count, StringComparer.Ordinal);
        valuations = new Dictionary<string, TraderRisk>(traders.Count, StringComparer.Ordinal);
        witnesses = new Dictionary<string, FlagWitness>(StringComparer.Ordinal);
        unvalued = [];
        var model = FlagModelOf(ctx);
        foreach (var hex in traders.Keys)
        {
            if (risks[hex] is { } r) valuations[hex] = r;
            if (model is null)
            {
                // suite 1: the risk engine's full revaluation decides, unproven
                if (risks[hex] is { } v) flags[hex] = v.Flags;
                else { flags[hex] = LiquidationFlags.All(ctx.ShockCount); unvalued.Add(hex); }
                continue;
            }
            // the flag statement: the band model decides, from the committed values (circuits/flag.v1.json). Flagged
            // everywhere by rule, without a proof: a book the risk engine cannot value (as under suite 1: its notice has no
            // margin, and the rule can only raise the buffer) and a submission without committed collateral (sealed
            // before the statement)
            var sec = secrets[hex];
            if (risks[hex] is not null && sec.HasCollateral && Flags.FlagProof.Witness(model, sec.ShortValues, sec.LongValues, sec.CollateralUsd, sec.CollateralCoin,
                    sec.ShortBlindings, sec.LongBlindings, sec.CollateralUsdBlinding, sec.CollateralCoinBlinding) is { } w)
            {
                var issued = MisstatedFlags is { } lies && lies.TryGetValue(hex, out var lie) ? lie : w.Flags;
                witnesses[hex] = w with { Flags = issued };
                flags[hex] = issued;
            }
            else { flags[hex] = LiquidationFlags.All(ctx.ShockCount); unvalued.Add(hex); }
        }
        clusters = model is not null && _statements.ProvesClusters ? ClusterFinder.Find(traders, secrets, FundingSources) : ClusterFinder.Result.None;
        ClusterFlags(model, clusters, flags, witnesses, unvalued, ctx.ShockCount);
        return flags;
    }

    /// <summary>
    /// The flags of linked accounts (circuits/cluster.v1.json): every member of a cluster gets lam_Cs = [d_Cs &lt; 0] OR
    /// (OR over members of [d_js &lt; 0]), d_Cs = Sum_j d_js the distance of the members' summed own data: margined as one,
    /// and never less flagged than any member alone or than the merged book (whose distance is at least d_Cs). Flagged
    /// everywhere by rule (no proof): every member of a cluster with a member that has no witness (unvalued), of one
    /// whose distances leave +-2^62 (the floor proof's completeness range) and of a group too large to prove.
    /// </summary>
    private void ClusterFlags(FlagModel? model, ClusterFinder.Result clusters, Dictionary<string, LiquidationFlags> flags,
        Dictionary<string, FlagWitness> witnesses, List<string> unvalued, int shocks)
    {
        void Conservative(IEnumerable<string> members)
        {
            foreach (var m in members)
            {
                flags[m] = LiquidationFlags.All(shocks);
                witnesses.Remove(m);
                if (!unvalued.Contains(m)) unvalued.Add(m);
            }
        }
        foreach (var g in clusters.Oversized) Conservative(g);
        foreach (var c in clusters.Clusters)
        {
            if (model is null || !c.Members.All(witnesses.ContainsKey)) { Conservative(c.Members); continue; }
            var d = new long[shocks];
            var blind = new Scalar[shocks];
            uint mask = 0;
            bool inRange = true;
            for (int s = 0; s < shocks && inRange; s++)
            {
                Int128 sum = 0;
                foreach (var m in c.Members)
                {
                    long own = witnesses[m].Distances[s];
                    inRange &= own >= -Flags.ClusterFlagProof.DistanceBound && own < Flags.ClusterFlagProof.DistanceBound;
                    mask |= (uint)SignRangeProof.NegativeBit(own) << s;
                    sum += own;
                    blind[s] += witnesses[m].DistanceBlindings[s];
                }
                inRange &= sum >= -Flags.ClusterFlagProof.DistanceBound && sum < Flags.ClusterFlagProof.DistanceBound;
                if (!inRange) break;
                d[s] = (long)sum;
                mask |= (uint)SignRangeProof.NegativeBit(d[s]) << s;
            }
            if (!inRange) { Conservative(c.Members); continue; }
            var clusterFlags = new LiquidationFlags(mask, shocks);
            var cw = new ClusterWitness(c.Members.Select(Convert.FromHexString).ToArray(), d, blind, clusterFlags);
            foreach (var m in c.Members)
            {
                var issued = MisstatedFlags is { } lies && lies.TryGetValue(m, out var lie) ? lie : clusterFlags;
                witnesses[m] = witnesses[m] with { Flags = issued, Cluster = cw };
                flags[m] = issued;
            }
        }
    }

    /// <summary>Adds to <paramref name="reissue"/> every member of a cluster that has a member in it or whose membership
    /// changed since its parts were issued, and every trader that left a cluster: a member's flag proof covers the
    /// cluster's summed distance, so the cluster is re-proven as a whole.</summary>
    private static void CloseOverClusters(HashSet<string> reissue, ClusterFinder.Result clusters, IReadOnlyDictionary<string, TraderSecrets> secrets,
        IReadOnlyDictionary<string, TraderState> traders)
    {
        var byMember = clusters.ByMember();
        foreach (var c in clusters.Clusters)
            if (c.Members.Any(m => reissue.Contains(m) || secrets[m].ClusterKey != c.Key)) reissue.UnionWith(c.Members);
        foreach (var hex in traders.Keys)
            if (secrets.TryGetValue(hex, out var sec) && sec.ClusterKey.Length > 0 && !byMember.ContainsKey(hex)) reissue.Add(hex);
    }

    /// <summary>The epoch's flag model when this sealer's statements prove the flags; null under suite 1.</summary>
    private FlagModel? FlagModelOf(EpochContext ctx) => _statements.ProvesFlags ? ctx.FlagModel : null;

    /// <summary>Running sums per cell: commitment sum, value sum and blinding sum, for the value cells
    /// ([S bands][L bands][LSV shocks x bands]) and, in the same layout, their contributor-count cells (sums of the
    /// indicator commitments Z and, for LSV, of the selected indicators E).</summary>
    private sealed class Sums
    {
        private readonly int _bands, _shocks, _cells;
        // selection.v4 / sum.v3: an LSV cell's point sums G (value and chi x count); its count cell holds the count, no point
        private readonly bool _combined;
        private readonly RistrettoPoint[] _points;   // [value cells][count cells]
        private readonly Scalar[] _blind;
        private readonly UInt128[] _values;

        public Sums(int bands, int shocks, bool combined)
        {
            _bands = bands; _shocks = shocks; _combined = combined;
            _cells = CellId.Count(bands, shocks);
            int n = 2 * _cells;
            _points = Enumerable.Repeat(RistrettoPoint.Identity, n).ToArray();
            _blind = new Scalar[n]; _values = new UInt128[n];
        }

        private Sums(Sums o)
        {
            _bands = o._bands; _shocks = o._shocks; _cells = o._cells; _combined = o._combined;
            _points = (RistrettoPoint[])o._points.Clone(); _blind = (Scalar[])o._blind.Clone();
            _values = (UInt128[])o._values.Clone();
        }

        public Sums Clone() => new(this);

        public void Apply(TraderState st, TraderSecrets sec, int sign)
        {
            int n = _cells;
            for (int b = 0; b < _bands; b++)
            {
                int sc = CellId.ShortOf(b).Index(_bands), lc = CellId.LongOf(b).Index(_bands);
                Add(sc, st.Short[b], sec.ShortValues[b], sec.ShortBlindings[b], sign);
                Add(lc, st.Long[b], sec.LongValues[b], sec.LongBlindings[b], sign);
                Add(n + sc, st.ShortZ[b], sec.ShortValues[b] != 0 ? 1UL : 0UL, sec.ShortIndicatorBlindings[b], sign);
                Add(n + lc, st.LongZ[b], sec.LongValues[b] != 0 ? 1UL : 0UL, sec.LongIndicatorBlindings[b], sign);
            }
            if (st.Selected is null) return;
            for (int s = 0; s < _shocks; s++)
                for (int b = 0; b < _bands; b++)
                {
                    int cell = CellId.Lsv(s, b).Index(_bands);
                    var (v, r) = sec.SelectionOpening(s, b);
                    Add(cell, st.Selected[s][b], v, r, sign);
                    if (_combined)
                    {
                        ulong z = sec.SelectedIndicator(s, b);
                        if (sign > 0) _values[n + cell] += z; else _values[n + cell] -= z;
                        continue;
                    }
                    var (zv, t) = sec.IndicatorSelectionOpening(s, b);
                    Add(n + cell, st.SelectedIndicators![s][b], zv, t, sign);
                }
        }

        private void Add(int cell, in RistrettoPoint p, ulong v, in Scalar r, int sign)
        {
            if (sign > 0) { _points[cell] += p; _blind[cell] += r; _values[cell] += v; }
            else { _points[cell] -= p; _blind[cell] -= r; _values[cell] -= v; }
        }

        /// <summary>Every cell's aggregate (value proven when published) with its proven contributor count, and per shock the
        /// proven remainder of the withheld LSV cells weighted by <paramref name="weights"/> (issue 17 item 3).</summary>
        public (List<BandAggregate> Cells, List<WithheldRemainder> Withheld, List<AggregatedRangeProof> WithheldCellProofs) Prove(StatementBinding binding, int kMin, uint[] weights)
        {
            int n = _cells;
            var result = new BandAggregate[n];
            // sum.v3: an LSV cell's point with its count taken out, T' = T - chi n B, opens to its value with the cell's blinding
            var valuePoints = (RistrettoPoint[])_points.Clone();
            if (_combined)
                for (int cell = 0; cell < n; cell++)
                    if (CellId.FromIndex(cell, _bands).Shock >= 0)
                    {
                        if (_values[n + cell] > ulong.MaxValue) throw new InvalidOperationException("contributor count overflow");
                        valuePoints[cell] = CountWeight.WithoutCount(_points[cell], (ulong)_values[n + cell]);
                    }
            Parallel.For(0, n, cell =>
            {
                var (band, shock, isShort) = CellId.FromIndex(cell, _bands);
                var count = _values[n + cell];
                if (count > int.MaxValue) throw new InvalidOperationException("contributor count overflow");
                var a = new BandAggregate { Band = (uint)band, ShockIndex = shock, IsShort = isShort, Contributors = (uint)count };
                string label = BundleFormat.CellLabel(a);
                bool boundByChi = _combined && shock >= 0;
                a = a with
                {
                    CountProof = boundByChi ? null : SumProof.Prove(binding, BundleFormat.CountLabel(label), _points[n + cell], count, _blind[n + cell]),
                    Published = count == 0 || count >= (UInt128)kMin,
                };
                if (_values[cell] > ulong.MaxValue) throw new InvalidOperationException($"aggregate {label} overflows u64");
                if (a.Published)
                    a = a with { Value = (ulong)_values[cell], SumProof = SumProof.Prove(binding, label, valuePoints[cell], _values[cell], _blind[cell]) };
                result[cell] = a;
            });
            var withheld = new WithheldRemainder[_shocks];
            Parallel.For(0, _shocks, s =>
            {
                // W_s = Sum over withheld b of w_sb LSV_sb, against Sum_b w_sb (Sum_i D_isb) with blinding Sum_b w_sb r_sb
                UInt128 value = 0;
                var point = RistrettoPoint.Identity;
                var blind = Scalar.Zero;
                for (int b = 0; b < _bands; b++)
                {
                    int cell = CellId.Lsv(s, b).Index(_bands);
                    if (result[cell].Published) continue;
                    uint w = weights[s * _bands + b];
                    var ws = Scalar.FromUInt64(w);
                    value += (UInt128)w * _values[cell];
                    point += ws * valuePoints[cell];
                    blind += ws * _blind[cell];
                }
                withheld[s] = new WithheldRemainder((uint)s, value, SumProof.Prove(binding, BundleFormat.WithheldLabel(s), point, value, blind));
            });
            // sum.v3: every withheld LSV cell's T' commits to a value in [0, 2^64), which binds its claimed count (chi)
            var proofs = new List<AggregatedRangeProof>();
            if (_combined)
            {
                var cells = Enumerable.Range(0, n).Where(c => result[c].ShockIndex >= 0 && !result[c].Published).ToArray();
                var chunks = WithheldCells.Chunks(cells);
                var made = new AggregatedRangeProof[chunks.Count];
                Parallel.For(0, chunks.Count, k =>
                {
                    var chunk = chunks[k];
                    int m = SignRangeProof.PaddedCount(chunk.Length);
                    var values = new ulong[m];
                    var blinds = new Scalar[m];
                    for (int j = 0; j < chunk.Length; j++) { values[j] = (ulong)_values[chunk[j]]; blinds[j] = _blind[chunk[j]]; }
                    var t = WithheldCells.Transcript(binding, chunk.Select(c => BundleFormat.CellLabel(result[c])));
                    var proof = RangeProof.ProveMultiple(Verification.RangeProofChunks.Gens, PedersenGens.Default, t, values, blinds, WithheldCells.Bits, out _);
                    made[k] = new AggregatedRangeProof(proof, WithheldCells.Bits, (uint)chunk.Length);
                });
                proofs.AddRange(made);
            }
            return (result.ToList(), withheld.ToList(), proofs);
        }
    }
}
