using System.Diagnostics;
using System.Security.Cryptography;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Risk;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

using RangeProof = DVV.ZkRisk.Crypto.RangeProof;
using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>
/// One verification of one bundle against its parent state, as a sequence of named steps (<see cref="Run"/>): each
/// step checks one rule of DESIGN.md 2 step 5, adds a <see cref="Finding"/> of its <see cref="FindingKind"/> for every
/// breach and leaves what later steps need in this object's fields. A step that leaves nothing to check further
/// (no parameters, no chain link, an incomplete selection) ends the run.
/// </summary>
internal sealed class BundleCheck
{
    private readonly BundleVerifier _verifier;
    private readonly EpochBundle _bundle;
    private readonly EpochState? _parent;
    private readonly bool _checkRangeProofs;
    private readonly ulong _epoch;

    public List<Finding> Findings { get; } = [];
    public Dictionary<string, int> Counts { get; } = [];
    public List<string> Trusted { get; } = [];
    /// <summary>Milliseconds per stage: decode, signatures, range proofs, selection, sums, sum proofs, Merkle.</summary>
    public double[] Ms { get; } = new double[7];
    private long _t = Stopwatch.GetTimestamp();

    // decoded by Parameters()
    private EpochParameters _parameters = null!;
    private EpochContext _context = null!;
    private byte[] _paramHash = [];
    private int _bands, _shocks;
    private byte[] _statementHash = [];
    // the flag statement (suite 2): the bundle's coefficients once they agree with the parameter set's
    private bool _provesFlags;
    // the cluster statement (suite 3): every cluster of the bundle by member hex, once the cluster step accepted it
    private bool _provesClusters;
    // sum.v3 / selection.v4 (suite 4): one selected point per LSV cell, its count bound by chi
    private bool _combined;
    private readonly Dictionary<string, AccountCluster> _clusterOf = new(StringComparer.Ordinal);
    private Flags.FlagModel? _flagModel;
    private ulong _expectedCheckpoint;
    // the fold
    private SortedDictionary<string, TraderState> _traders = null!;
    private readonly List<int> _candidates = [];
    private readonly HashSet<int> _carriedIdx = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newTraders = new(StringComparer.Ordinal);
    private byte[][] _digests = [];
    private readonly List<(int Index, TraderState State)> _newSubs = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private Dictionary<string, List<(int Index, SelectionPart Part)>> _groups = null!;
    // the aggregates
    private RistrettoPoint[] _sums = [];
    private readonly Dictionary<int, (int Index, BandAggregate Agg)> _byCell = [];
    private StatementBinding _binding = null!;
    private int _sumProofs;
    private UInt128[] _remainders = [];

    public BundleCheck(BundleVerifier verifier, EpochBundle bundle, EpochState? parent, bool checkRangeProofs)
    {
        _verifier = verifier; _bundle = bundle; _parent = parent; _checkRangeProofs = checkRangeProofs; _epoch = bundle.Epoch;
    }

    /// <summary>The steps in order; the folded state, or null when the bundle cannot be folded.</summary>
    public EpochState? Run()
    {
        ContentHash();
        if (!Parameters()) return null;
        Statements();
        FlagCoefficients();
        if (!ChainLink()) return null;
        FoldSubmissions();
        ExpiryAndCompleteness();
        DecodeSubmissions();
        Lap(0);
        Signatures();
        Lap(1);
        RangeProofs();
        Lap(2);
        EnterNewSubmissions();
        Selections();
        Clusters();
        FlagProofs();
        Privacy();
        Cover();
        Lap(3);
        if (!EveryTraderSelected()) return null;
        Unvalued();
        CommitmentSums();
        Lap(4);
        Aggregates();
        WithheldCellCounts();
        Withheld();
        Counts["sum_proofs"] = _sumProofs;
        Lap(5);
        MerkleRoot();
        Lap(6);
        return new EpochState(_epoch, _bundle.BundleHash.ToArray(), _expectedCheckpoint, _parameters, _paramHash, _traders)
        { WithheldRemainders = _remainders, Clusters = _bundle.Clusters };
    }

    private void Add(FindingKind kind, string where, string message) => Findings.Add(new Finding(kind, where, message));

    private void Lap(int stage)
    {
        long n = Stopwatch.GetTimestamp();
        Ms[stage] = (n - _t) * 1000.0 / Stopwatch.Frequency;
        _t = n;
    }

    /// <summary>The bundle hash is the SHA-256 of the bundle's contents.</summary>
    private void ContentHash()
    {
        if (!BundleFormat.Hash(_bundle).AsSpan().SequenceEqual(_bundle.BundleHash.Span))
            Add(FindingKind.BundleHash, "bundle_hash", "does not match the SHA-256 of the bundle's contents");
    }

    /// <summary>The parameter set: present, hashing to the bundle's parameter hash, signed by the governance in force
    /// (the parent's; a bundle without parent declares its own, which must be the pinned one), and decodable.</summary>
    private bool Parameters()
    {
        var parameters = _bundle.Parameters;
        if (parameters is null) { Add(FindingKind.Parameters, "parameters", "missing"); return false; }
        _parameters = parameters;
        _paramHash = SubmissionDigest.ParameterSet(parameters);
        if (!_paramHash.AsSpan().SequenceEqual(_bundle.ParameterHash.Span))
            Add(FindingKind.ParameterHash, "parameter_hash", $"the parameter set hashes to {Hex(_paramHash)}, the bundle says {Hex(_bundle.ParameterHash.Span)}");
        var inForce = _parent?.Parameters.Governance ?? parameters.Governance;
        var root = _verifier.GovernanceRoot;
        if (_parent is null)
        {
            if (root is null)
                Trusted.Add($"epoch {_epoch}: governance {Hex(parameters.Governance is null ? [] : GovernanceRules.RootHash(parameters.Governance))} declared by the bundle (no pinned governance root)");
            else if (parameters.Governance is null || !GovernanceRules.RootHash(parameters.Governance).AsSpan().SequenceEqual(root))
                Add(FindingKind.Governance, "parameters.governance", $"is not the pinned governance {Hex(root)}");
        }
        if (inForce is null) Add(FindingKind.Governance, "parameters.governance", "missing");
        else if (GovernanceRules.Check(parameters, inForce) is { } govBad) Add(FindingKind.Governance, "parameters.governance_signatures", govBad);
        try { _context = EpochContext.Of(parameters); }
        catch (Exception e) when (e is RiskInputException or FormatException or System.Text.Json.JsonException)
        {
            Add(FindingKind.Parameters, "parameters.risk_parameters", e.Message);
            return false;
        }
        _bands = _context.BandCount;
        _shocks = _context.ShockCount;
        return true;
    }

    /// <summary>The statement definitions are those of one suite of this verifier's circuits/ (the latest, or an older one
    /// for an old bundle), version and hash, and the text hashes to it.</summary>
    private void Statements()
    {
        var own = _verifier.Statements.Matching(_bundle.Statements) ?? _verifier.Statements;
        _provesFlags = own.ProvesFlags;
        _provesClusters = own.ProvesClusters;
        _combined = own.CombinesCells;
        var expected = own.Wire.ToDictionary(s => s.Name);
        if (_bundle.Statements.Count != expected.Count)
            Add(FindingKind.StatementHash, "statements", $"{_bundle.Statements.Count} statement definitions, expected {expected.Count} ({string.Join(", ", expected.Keys)})");
        foreach (var s in _bundle.Statements)
        {
            if (!expected.TryGetValue(s.Name, out var e)) { Add(FindingKind.StatementHash, $"statements[{s.Name}]", "unknown statement"); continue; }
            if (!s.Hash.Span.SequenceEqual(e.Hash.Span) || s.Version != e.Version)
                Add(FindingKind.StatementHash, $"statements[{s.Name}]", $"v{s.Version} {Hex(s.Hash.Span)} differs from this verifier's circuits/{s.Name} v{e.Version} {Hex(e.Hash.Span)}");
            if (s.Text.Length > 0 && !SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s.Text)).AsSpan().SequenceEqual(s.Hash.Span))
                Add(FindingKind.StatementHash, $"statements[{s.Name}].text", "the text does not hash to the statement hash");
        }
        if (!_bundle.StatementHash.Span.SequenceEqual(own.CombinedHash))
            Add(FindingKind.StatementHash, "statement_hash", $"{Hex(_bundle.StatementHash.Span)} is not the combined hash of this verifier's statements {Hex(own.CombinedHash)}");
        _statementHash = own.CombinedHash;
        _binding = _context.Binding(_epoch, _statementHash);
    }

    /// <summary>Under the flag statement the bundle carries the band-model coefficients its flag proofs used, each within
    /// <see cref="Flags.FlagModel.Tolerance"/> of the verifier's own from the parameter set and market; the proofs are
    /// checked against the published ones (their digest is in every flag transcript). Under suite 1 there are none.</summary>
    private void FlagCoefficients()
    {
        var c = _bundle.FlagCoefficients;
        if (!_provesFlags)
        {
            if (c is not null || _bundle.FlagProofs.Count > 0)
                Add(FindingKind.FlagCoefficients, "flag_coefficients", "the bundle's statements do not include the flag relation, yet it carries flag coefficients or proofs");
            return;
        }
        if (c is null) { Add(FindingKind.FlagCoefficients, "flag_coefficients", "missing: the flag statement needs the coefficients the flag proofs were made with"); return; }
        var published = Flags.FlagModel.FromPublished(_bands, _shocks, c.Long, c.Short, c.Coin, out var reason);
        if (published is null) { Add(FindingKind.FlagCoefficients, "flag_coefficients", reason!); return; }
        Flags.FlagModel own;
        try { own = _context.FlagModel; }
        catch (RiskInputException e) { Add(FindingKind.FlagCoefficients, "flag_coefficients", "the parameter set and market give no band model: " + e.Message); return; }
        if (!published.AgreesWith(own, out reason)) { Add(FindingKind.FlagCoefficients, "flag_coefficients", reason!); return; }
        _flagModel = published;
    }

    /// <summary>The link to the parent: its hash, the next epoch number, the checkpoint epoch (genesis for epoch 1).</summary>
    private bool ChainLink()
    {
        if (_parent != null)
        {
            if (!_bundle.PreviousBundleHash.Span.SequenceEqual(_parent.BundleHash))
                Add(FindingKind.ChainLink, "previous_bundle_hash", $"{Hex(_bundle.PreviousBundleHash.Span)} is not the hash of epoch {_parent.Epoch}'s bundle {Hex(_parent.BundleHash)}");
            if (_epoch != _parent.Epoch + 1)
                Add(FindingKind.ChainLink, "epoch", $"epoch {_epoch} does not follow epoch {_parent.Epoch}");
        }
        else if (!_bundle.Checkpoint)
        {
            Add(FindingKind.ChainLink, "checkpoint", $"epoch {_epoch} is not a checkpoint: its parent chain back to checkpoint {_bundle.CheckpointEpoch} is needed");
            return false;
        }
        else if (_epoch == 1 && !_bundle.PreviousBundleHash.Span.SequenceEqual(BundleFormat.GenesisHash))
            Add(FindingKind.ChainLink, "previous_bundle_hash", "epoch 1 must link to the genesis hash (32 zero bytes)");
        _expectedCheckpoint = _bundle.Checkpoint ? _epoch : _parent!.CheckpointEpoch;
        if (_bundle.CheckpointEpoch != _expectedCheckpoint)
            Add(FindingKind.ChainLink, "checkpoint_epoch", $"{_bundle.CheckpointEpoch}, expected {_expectedCheckpoint}");
        return true;
    }

    /// <summary>
    /// The fold (issue 17 items 1, 2, 6, 7): every bundle, checkpoint or not, starts from the parent state. A submission is
    /// either carried (the parent's entry, byte for byte: only a checkpoint repeats it) or new: signed for this very epoch
    /// (so no superseded submission can come back), unexpired and admitted.
    /// </summary>
    private void FoldSubmissions()
    {
        _traders = _parent is null ? EpochState.Empty() : _parent.Next();
        if (_parent is null && _bundle.Checkpoint && _epoch > 1)
            Trusted.Add($"epoch {_epoch}: the checkpoint's carried state (its parent epoch {_epoch - 1} was not supplied)");
        long valuation = _parameters.ValuationTimeUnixMs;
        // each submission's signed digest once: the fold compares it with the parent's entry, the state keeps it
        _digests = new byte[_bundle.Submissions.Count][];
        Parallel.For(0, _digests.Length, i => _digests[i] = SubmissionDigest.Signed(_bundle.Submissions[i]));
        for (int i = 0; i < _bundle.Submissions.Count; i++)
        {
            var s = _bundle.Submissions[i];
            string at = $"submissions[{i}]";
            string hex = Convert.ToHexStringLower(s.TraderPublicKey.Span);
            if (!_seen.Add(hex)) { Add(FindingKind.Submission, at, $"trader {Short(hex)} appears twice"); continue; }
            if (s.ValidUntilUnixMs != 0 && s.ValidUntilUnixMs <= valuation)
                Add(FindingKind.Expiry, at + ".valid_until_unix_ms", $"trader {Short(hex)}: expired at {s.ValidUntilUnixMs}, the epoch is valued at {valuation}");
            bool carried = _traders.TryGetValue(hex, out var prev) && _digests[i].AsSpan().SequenceEqual(prev!.SubmissionDigest);
            if (carried)
            {
                if (!_bundle.Checkpoint) { Add(FindingKind.Fold, at, $"trader {Short(hex)}: an incremental bundle repeats the live submission"); continue; }
                _carriedIdx.Add(i);
            }
            else if (s.Epoch != _epoch && !(_parent is null && _bundle.Checkpoint && s.Epoch > 0 && s.Epoch < _epoch))
            {
                Add(FindingKind.Fold, at + ".epoch", $"trader {Short(hex)}: signed for epoch {s.Epoch}; a new submission enters only in the epoch it was signed for (a superseded submission replayed?)");
                continue;
            }
            else _newTraders.Add(hex);
            if (s.Epoch == _epoch && !s.ParameterHash.Span.SequenceEqual(_paramHash))
                Add(FindingKind.Submission, at + ".parameter_hash", "differs from this epoch's parameter hash");
            if (s.SealedOpening != null || s.SealedOpeningHash.Length != 32)
                Add(FindingKind.Privacy, at + ".sealed_opening", $"trader {Short(hex)}: a bundle carries only the 32-byte hash of the sealed opening, never the box");
            if (Admissions.Check(s.Admission, s.TraderPublicKey.Span, _parameters) is { } notAdmitted)
                Add(FindingKind.Admission, at + ".admission", $"trader {Short(hex)}: {notAdmitted}");
            if (s.ShortCommitments.Count != _bands || s.LongCommitments.Count != _bands || s.ShortIndicators.Count != _bands || s.LongIndicators.Count != _bands)
            { Add(FindingKind.Submission, at, $"must hold {_bands} short and {_bands} long commitments and as many indicators"); continue; }
            // under the flag statement a submission signed for this epoch commits to its collateral (the gateway refuses one
            // without); one carried from before the statement has none and can only be flagged everywhere by rule
            if (_provesFlags && !carried && s.Epoch == _epoch && !s.HasCollateral)
                Add(FindingKind.FlagProof, at + ".collateral_usd", $"trader {Short(hex)}: a submission under the flag statement must commit to its collateral");
            _candidates.Add(i);
        }
    }

    /// <summary>The expiry rule removes exactly the listed traders; a checkpoint keeps every other live parent trader.</summary>
    private void ExpiryAndCompleteness()
    {
        if (_parent != null)
        {
            var expectExpired = EpochSealer.Expired(_traders, _parameters.ValuationTimeUnixMs).Where(h => !_newTraders.Contains(h)).ToList();
            var listed = _bundle.ExpiredTraders.Select(b => Convert.ToHexStringLower(b.Span)).ToList();
            if (!listed.SequenceEqual(expectExpired))
                Add(FindingKind.Expiry, "expired_traders", $"lists {listed.Count} trader(s), the expiry rule removes {expectExpired.Count} ({string.Join(", ", expectExpired.Select(Short))})");
            foreach (var hex in expectExpired) _traders.Remove(hex);
            if (_bundle.Checkpoint)
                foreach (var hex in _traders.Keys)
                    if (!_seen.Contains(hex))
                        Add(FindingKind.Fold, $"trader {Short(hex)}", $"the checkpoint drops a live trader of epoch {_parent.Epoch} (only the expiry rule removes one)");
        }
        else if (_bundle.ExpiredTraders.Count != 0)
            Add(FindingKind.Expiry, "expired_traders", "a bundle without parent state removes no one");
    }

    /// <summary>Every new submission as a trader state (its commitments were decoded, canonically, with the bundle).</summary>
    private void DecodeSubmissions()
    {
        foreach (int i in _candidates) _newSubs.Add((i, TraderState.Of(_bundle.Submissions[i], _digests[i])));
    }

    /// <summary>Every new submission's Ed25519 signature over its digest.</summary>
    private void Signatures()
    {
        var ok = new bool[_newSubs.Count];
        Parallel.For(0, _newSubs.Count, k =>
        {
            var s = _newSubs[k].State.Submission;
            ok[k] = Ed25519PublicKey.TryFromBytes(s.TraderPublicKey.Span, out var pk) && pk!.Verify(_newSubs[k].State.SubmissionDigest, s.Signature.Span);
        });
        for (int k = 0; k < _newSubs.Count; k++)
            if (!ok[k]) Add(FindingKind.Signature, $"submissions[{_newSubs[k].Index}].signature", $"trader {Short(_newSubs[k].State.Hex)}: Ed25519 signature does not verify over the submission digest");
        Counts["signatures"] = _newSubs.Count;
    }

    /// <summary>Range proofs, one batch: per submission the exposure proof over C_b - Z_b and the indicator proof over Z_b,
    /// B - Z_b (circuits/range.v2.json, indicator.v1.json, built by <see cref="SubmissionRangeClaims"/>).</summary>
    private void RangeProofs()
    {
        if (_checkRangeProofs)
        {
            var stmts = new List<RangeProofStatement>();
            var idx = new List<string>();
            foreach (var (i, st) in _newSubs)
            {
                foreach (var claim in SubmissionRangeClaims.Of(st.Submission, st.Short, st.Long, st.ShortZ, st.LongZ, _statementHash, _context.RangeBits))
                {
                    string at = $"submissions[{i}].{claim.Field}";
                    if (claim.Statement(out var error) is not { } statement) { Add(FindingKind.RangeProof, at, error!); continue; }
                    stmts.Add(statement);
                    idx.Add(at);
                }
            }
            if (stmts.Count > 0 && !RangeProofChunks.Verify(stmts, out var bad))
                foreach (var b in bad) Add(FindingKind.RangeProof, idx[b], "range proof does not verify");
            Counts["range_proofs"] = stmts.Count;
        }
    }

    /// <summary>The new submissions enter the state; those not carried from the parent are the epoch's changes.</summary>
    private void EnterNewSubmissions()
    {
        foreach (var (i, st) in _newSubs) { _traders[st.Hex] = st; if (!_carriedIdx.Contains(i)) _changed.Add(st.Hex); }
    }

    /// <summary>Selection parts: grouped per trader, each group checked and decoded on its own (in parallel: an epoch of
    /// 10,000 traders has about 4 million selected points), then every selection proof in one batch; new or replaced
    /// submissions need new parts, a checkpoint needs everyone's.</summary>
    private void Selections()
    {
        _groups = new Dictionary<string, List<(int Index, SelectionPart Part)>>(StringComparer.Ordinal);
        for (int i = 0; i < _bundle.Selections.Count; i++)
        {
            var p = _bundle.Selections[i];
            string hex = Convert.ToHexStringLower(p.TraderPublicKey.Span);
            if (!_groups.TryGetValue(hex, out var g)) _groups[hex] = g = new();
            g.Add((i, p));
        }
        var groupList = _groups.ToArray();
        var outcomes = new SelectionGroupCheck.Outcome[groupList.Length];
        Parallel.For(0, groupList.Length, k =>
        {
            var (hex, g) = groupList[k];
            _traders.TryGetValue(hex, out var st);
            outcomes[k] = SelectionGroupCheck.Check(hex, g, st, _bundle.Checkpoint, _epoch, _paramHash, _statementHash, _bands, _shocks, _provesFlags, _combined);
        });
        var statements = new List<SelectionStatement>();
        var where = new List<string>();
        var rebuilt = new Dictionary<string, TraderState>(StringComparer.Ordinal);
        for (int k = 0; k < outcomes.Length; k++)
        {
            var o = outcomes[k];
            Findings.AddRange(o.Findings);
            if (o.State is null) continue;
            statements.AddRange(o.Statements);
            where.AddRange(o.Where);
            rebuilt[groupList[k].Key] = o.State;
        }
        if (statements.Count > 0 && !SelectionProofBatch.Verify(statements, out var bad))
            foreach (var b in bad) Add(FindingKind.SelectionProof, where[b], "selection proof does not verify (lambda not a bit, or not the same for every band, or bound to other commitments)");
        Counts["selection_proofs"] = statements.Count;
        foreach (var (hex, st) in rebuilt) _traders[hex] = st;
        foreach (var hex in _changed)
            if (!_groups.ContainsKey(hex)) Add(FindingKind.Selection, $"trader {Short(hex)}", "new or replaced submission without new selection parts");
        if (_bundle.Checkpoint)
            foreach (var (hex, st) in _traders)
                if (st.Selected is null) Add(FindingKind.Selection, $"trader {Short(hex)}", "checkpoint without this trader's selection parts");
    }

    /// <summary>
    /// Linked accounts (circuits/cluster.v1.json). Every cluster: 2 to 64 distinct members in ascending key order, each in
    /// the state and in no other cluster; declared ones exactly what each member's live submission declares; all members
    /// unvalued or none. Every mutual declaration of the state is inside one cluster (a venue cannot ignore accounts that
    /// asked to be margined as one). A cluster that is new, changed, or has a member with a new submission or new parts
    /// has every member re-issued in this bundle (each member's flag proof covers the cluster's summed distance), and so
    /// has a trader that left a cluster. Detected clusters are the venue's finding: what it saw is in their evidence,
    /// and the flag proofs make sure no cluster unflags a member its own data flags.
    /// </summary>
    private void Clusters()
    {
        var clusters = _bundle.Clusters;
        if (!_provesClusters)
        {
            if (clusters.Count > 0) Add(FindingKind.Cluster, "clusters", "the bundle's statements do not include the cluster relation, yet it lists clusters");
            return;
        }
        var unvalued = new HashSet<string>(_bundle.Unvalued.Select(u => Convert.ToHexStringLower(u.TraderPublicKey.Span)), StringComparer.Ordinal);
        for (int i = 0; i < clusters.Count; i++)
        {
            var c = clusters[i];
            string at = $"clusters[{i}]";
            var m = c.Members;
            if (m.Count < 2 || m.Count > Flags.ClusterFlagProof.MaxMembers)
            { Add(FindingKind.Cluster, at + ".members", $"{m.Count} members: a cluster has 2 to {Flags.ClusterFlagProof.MaxMembers}"); continue; }
            bool ok = true;
            for (int j = 0; j < m.Count && ok; j++)
            {
                string hex = Convert.ToHexStringLower(m[j].Span);
                if (j > 0 && m[j - 1].Span.SequenceCompareTo(m[j].Span) >= 0) { Add(FindingKind.Cluster, $"{at}.members[{j}]", "members must be in ascending key order without repeats"); ok = false; }
                else if (!_traders.ContainsKey(hex)) { Add(FindingKind.Cluster, $"{at}.members[{j}]", $"trader {Short(hex)} is not in the state"); ok = false; }
                else if (_clusterOf.ContainsKey(hex)) { Add(FindingKind.Cluster, $"{at}.members[{j}]", $"trader {Short(hex)} is in two clusters"); ok = false; }
            }
            if (!ok) continue;
            if (i > 0 && clusters[i - 1].Members.Count > 0 && clusters[i - 1].Members[0].Span.SequenceCompareTo(m[0].Span) >= 0)
                Add(FindingKind.Cluster, at, "clusters must be sorted by first member");
            var hexes = m.Select(k => Convert.ToHexStringLower(k.Span)).ToArray();
            if (c.Kind == ClusterKind.Declared)
            {
                var bad = hexes.FirstOrDefault(h => ClusterFinder.DeclaredGroup(_traders[h]) is not { } g || !g.AsSpan().SequenceEqual(hexes));
                if (bad is not null) Add(FindingKind.Cluster, at + ".kind", $"declared, but trader {Short(bad)}'s live submission does not declare exactly these accounts");
            }
            else if (c.Kind != ClusterKind.Detected) Add(FindingKind.Cluster, at + ".kind", "must be declared or detected");
            int unvaluedMembers = hexes.Count(unvalued.Contains);
            if (unvaluedMembers != 0 && unvaluedMembers != hexes.Length)
                Add(FindingKind.Cluster, at, $"{unvaluedMembers} of {hexes.Length} members listed as unvalued: a cluster is unvalued as a whole or not at all");
            foreach (var h in hexes) _clusterOf[h] = c;
        }
        // the venue must honour every mutual declaration
        foreach (var g in ClusterFinder.MutualDeclarations(_traders))
            if (!_clusterOf.TryGetValue(g[0], out var home) || g.Any(h => !_clusterOf.TryGetValue(h, out var o) || !ReferenceEquals(o, home)))
                Add(FindingKind.Cluster, "clusters", $"accounts {string.Join(", ", g.Select(Short))} declare each other linked but are not margined as one cluster");
        // a changed cluster is re-proven as a whole
        var parentOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pc in _parent?.Clusters ?? []) foreach (var k in pc.Members) parentOf[Convert.ToHexStringLower(k.Span)] = pc.Key;
        foreach (var c in clusters.Where(c => _clusterOf.TryGetValue(Convert.ToHexStringLower(c.Members[0].Span), out var x) && ReferenceEquals(x, c)))
        {
            var hexes = c.Members.Select(k => Convert.ToHexStringLower(k.Span)).ToArray();
            bool same = hexes.All(h => parentOf.TryGetValue(h, out var pk) && pk == c.Key);
            bool touched = !same || hexes.Any(h => _changed.Contains(h) || _groups.ContainsKey(h));
            if (!touched) continue;
            var missing = hexes.Where(h => !_groups.ContainsKey(h)).ToList();
            if (missing.Count > 0)
                Add(FindingKind.Cluster, $"cluster {Short(hexes[0])}+{hexes.Length - 1}", $"{(same ? "a member has new parts" : "new or changed")} but {string.Join(", ", missing.Select(Short))} not re-issued: every member's flag proof covers the cluster's summed distance");
        }
        foreach (var (h, _) in parentOf)
            if (_traders.ContainsKey(h) && !_clusterOf.ContainsKey(h) && !_groups.ContainsKey(h))
                Add(FindingKind.Cluster, $"trader {Short(h)}", "left its cluster but was not re-issued: its flag proof covered the cluster");
        Counts["clusters"] = clusters.Count;
    }

    /// <summary>
    /// The flags (circuits/flag.v1.json): every trader whose parts this bundle publishes is either listed as unvalued (its
    /// lam = 1 in every shock shown by <see cref="ConservativeFlagsRule"/>) or has one flag proof, which shows
    /// lam_s = [d_s &lt; 0] against the parts' F_s, with d_s committed by X_s from the submission and the published
    /// coefficients. All flag proofs are verified in one range-proof batch.
    /// </summary>
    private void FlagProofs()
    {
        if (!_provesFlags) return;
        var unvalued = new HashSet<string>(_bundle.Unvalued.Select(u => Convert.ToHexStringLower(u.TraderPublicKey.Span)), StringComparer.Ordinal);
        var byTrader = new Dictionary<string, (int Index, TraderFlagProof Proof)>(StringComparer.Ordinal);
        for (int i = 0; i < _bundle.FlagProofs.Count; i++)
        {
            var fp = _bundle.FlagProofs[i];
            string hex = Convert.ToHexStringLower(fp.TraderPublicKey.Span), at = $"flag_proofs[{i}]";
            if (i > 0 && _bundle.FlagProofs[i - 1].TraderPublicKey.Span.SequenceCompareTo(fp.TraderPublicKey.Span) >= 0)
                Add(FindingKind.FlagProof, at, "the list must be sorted by trader key without repeats");
            if (!byTrader.TryAdd(hex, (i, fp))) continue;
            if (!_groups.ContainsKey(hex)) Add(FindingKind.FlagProof, at, $"trader {Short(hex)}: a flag proof without selection parts in this bundle");
            else if (unvalued.Contains(hex)) Add(FindingKind.FlagProof, at, $"trader {Short(hex)}: listed as unvalued (flagged everywhere by rule) and given a flag proof");
        }
        if (_flagModel is null) return;   // the coefficients were refused: nothing to check the proofs against
        var statements = new List<RangeProofStatement>();
        var where = new List<string>();
        foreach (var hex in _groups.Keys.OrderBy(h => h, StringComparer.Ordinal))
        {
            if (unvalued.Contains(hex) || !_traders.TryGetValue(hex, out var st) || st.FlagBits is null) continue;   // (a bad group is a finding already)
            if (!byTrader.TryGetValue(hex, out var entry))
            { Add(FindingKind.FlagProof, $"trader {Short(hex)}", "published selection parts without a flag proof (and not listed as unvalued): its flags would be the venue's word"); continue; }
            string at = $"flag_proofs[{entry.Index}]";
            if (st.Collateral is not { } collateral)
            { Add(FindingKind.FlagProof, at, $"trader {Short(hex)}: its submission commits to no collateral, so no flag proof can refer to it (list it as unvalued)"); continue; }
            var p = entry.Proof.Proof;
            bool member = _clusterOf.TryGetValue(hex, out var cluster);
            int values = member ? 2 * _shocks : _shocks;
            if (p?.Proof is null || p.BitSize != Flags.FlagModel.DistanceBits || p.ValueCount != (uint)values)
            { Add(FindingKind.FlagProof, at + ".proof", $"must be one {Flags.FlagModel.DistanceBits}-bit proof over {values} values ({(member ? "two per shock: the member's and its cluster's distance" : "one per shock")})"); continue; }
            if (!member) statements.Add(Flags.FlagProof.Statement(_binding, st.Trader, _flagModel, st.Short, st.Long, collateral, st.FlagBits, p.Proof));
            else
            {
                if (ClusterDistances(cluster!) is not { } x)
                { Add(FindingKind.FlagProof, at, $"trader {Short(hex)}: a member of its cluster commits to no collateral"); continue; }
                statements.Add(Flags.ClusterFlagProof.Statement(_binding, st.Trader, _flagModel, cluster!.Members, x.Own[hex], x.Cluster, st.FlagBits, p.Proof));
            }
            where.Add($"{at} (trader {Short(hex)})");
        }
        // (always checked: <c>checkRangeProofs: false</c> skips the submissions' range proofs only, which the gateway and
        // the trader made; the flag proofs are the venue's claim about every published trader)
        if (statements.Count > 0 && !RangeProofChunks.Verify(statements, out var bad))
            foreach (var b in bad) Add(FindingKind.FlagProof, where[b], "flag proof does not verify: some lam_s is not [d_s < 0] for the committed book and the published coefficients");
        Counts["flag_proofs"] = statements.Count;
    }

    private readonly Dictionary<AccountCluster, (Dictionary<string, RistrettoPoint[]> Own, RistrettoPoint[] Cluster)?> _clusterX = [];

    /// <summary>Every member's X_is and the cluster's X_Cs = Sum_j X_js, once per cluster; null when a member has no collateral.</summary>
    private (Dictionary<string, RistrettoPoint[]> Own, RistrettoPoint[] Cluster)? ClusterDistances(AccountCluster c)
    {
        if (_clusterX.TryGetValue(c, out var known)) return known;
        var own = new Dictionary<string, RistrettoPoint[]>(StringComparer.Ordinal);
        (Dictionary<string, RistrettoPoint[]>, RistrettoPoint[])? result = null;
        bool all = true;
        foreach (var k in c.Members)
        {
            var st = _traders[Convert.ToHexStringLower(k.Span)];
            if (st.Collateral is not { } col) { all = false; break; }
            own[st.Hex] = Flags.FlagProof.DistanceCommitments(_flagModel!, st.Short, st.Long, col);
        }
        if (all) result = (own, Flags.ClusterFlagProof.ClusterDistanceCommitments(own.Values.ToList(), _shocks));
        _clusterX[c] = result;
        return result;
    }

    /// <summary>Privacy (issue 17 item 9): the re-issued carried set is 0, a power of two, or everyone; newcomers come
    /// k_min at a time in an incremental epoch.</summary>
    private void Privacy()
    {
        if (_bundle.Checkpoint || _parent is null) return;
        int carriedTraders = _traders.Keys.Count(h => !_changed.Contains(h));
        int carried = _groups.Keys.Count(h => !_changed.Contains(h));
        if (carried != EpochSealer.ReissueTarget(carried, carriedTraders))
            Add(FindingKind.Privacy, "selections", $"{carried} carried traders re-issued: the size must be 0, a power of two or all {carriedTraders}, so that it does not tell how many crossed a threshold");
        int newcomers = _changed.Count(h => !_parent.TryGet(Convert.FromHexString(h), out _));
        int kMin = _context.Risk.KMin;
        if (newcomers > 0 && newcomers < kMin)
            Add(FindingKind.Privacy, "submissions", $"{newcomers} newcomer(s) in an incremental epoch: newcomers join at least k_min = {kMin} at a time, or at a checkpoint");
    }

    /// <summary>The cover set (issue 17 item 11): k_cover carried traders derived from the seed the parameter set committed
    /// to, every one of them re-randomised.</summary>
    private void Cover()
    {
        if (!CoverSet.Commitment(_bundle.CoverSeed.Span).AsSpan().SequenceEqual(_parameters.CoverSeedCommitment.Span))
        {
            Add(FindingKind.Cover, "cover_seed", "does not open the parameter set's cover-seed commitment");
            return;
        }
        var cover = CoverSet.Derive(_bundle.CoverSeed.Span, _epoch, _traders.Keys.Where(h => !_changed.Contains(h)), Math.Max(0, _context.Risk.KCover));
        var missing = cover.Where(h => !_groups.ContainsKey(h)).ToList();
        if (missing.Count > 0)
            Add(FindingKind.Cover, "selections", $"{missing.Count} of the {cover.Count} traders of the derived cover set were not re-randomised ({string.Join(", ", missing.Take(3).Select(Short))})");
    }

    /// <summary>The sums below need every trader's selected commitments: without them the run ends here.</summary>
    private bool EveryTraderSelected()
    {
        Counts["traders"] = _traders.Count;
        // (under selection.v4 every trader's parts are of that form: a parent of another suite continues only at a checkpoint)
        if (_combined && !_bundle.Checkpoint && _traders.Values.Any(t => t.SelectedIndicators is not null))
            Add(FindingKind.Selection, "selections", "carried parts of an earlier statement suite (two selected points per cell): the suite changes at a checkpoint");
        if (Findings.Any(x => x.Kind is FindingKind.Selection or FindingKind.Submission) || _traders.Values.Any(t => t.Selected is null))
        {
            if (!Findings.Any(x => x.Kind is FindingKind.Selection or FindingKind.SelectionProof))
                Add(FindingKind.Selection, "selections", "some traders have no valid selection parts");
            return false;
        }
        return true;
    }

    /// <summary>Traders the venue could not value: flagged in every shock by the conservative rule (<see cref="ConservativeFlagsRule"/>).</summary>
    private void Unvalued()
    {
        for (int i = 0; i < _bundle.Unvalued.Count; i++)
        {
            var e = _bundle.Unvalued[i];
            string at = $"unvalued[{i}]", hex = Convert.ToHexStringLower(e.TraderPublicKey.Span);
            if (i > 0 && _bundle.Unvalued[i - 1].TraderPublicKey.Span.SequenceCompareTo(e.TraderPublicKey.Span) >= 0)
                Add(FindingKind.Unvalued, at, "the list must be sorted by trader key without repeats");
            if (!_traders.TryGetValue(hex, out var ust)) { Add(FindingKind.Unvalued, at, $"trader {Short(hex)} is not in the state"); continue; }
            if (ConservativeFlagsRule.Check(e, ust, _bands, _shocks, _combined) is { } why) Add(FindingKind.Unvalued, at, $"trader {Short(hex)}: {why}");
        }
        Counts["unvalued"] = _bundle.Unvalued.Count;
    }

    private int Cells => CellId.Count(_bands, _shocks);

    /// <summary>The commitment sums of the folded state per cell (<see cref="CellId"/>): value cells, then their count
    /// cells (indicator sums), in parallel over the traders.</summary>
    private void CommitmentSums()
    {
        int cells = Cells, bands = _bands, shocks = _shocks;
        _sums = new RistrettoPoint[2 * cells];
        var keys = _traders.Values.ToArray();
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
                    int sc = CellId.ShortOf(b).Index(bands), lc = CellId.LongOf(b).Index(bands);
                    acc[sc] += st.Short[b]; acc[lc] += st.Long[b];
                    acc[cells + sc] += st.ShortZ[b]; acc[cells + lc] += st.LongZ[b];
                }
                for (int s = 0; s < shocks; s++)
                    for (int b = 0; b < bands; b++)
                    {
                        int cell = CellId.Lsv(s, b).Index(bands);
                        acc[cell] += st.Selected![s][b];
                        if (st.SelectedIndicators is { } e) acc[cells + cell] += e[s][b];   // (selection.v4: the count is in G)
                    }
            }
            partial[w] = acc;
        });
        for (int c = 0; c < 2 * cells; c++) { var a = RistrettoPoint.Identity; for (int w = 0; w < workers; w++) a += partial[w][c]; _sums[c] = a; }
    }

    /// <summary>Every cell once, with its proven contributor count, published exactly when k_min allows, its value proven
    /// by a sum proof against the commitment sum.</summary>
    private void Aggregates()
    {
        int cells = Cells, bands = _bands, kMin = _context.Risk.KMin;
        for (int i = 0; i < _bundle.Aggregates.Count; i++)
        {
            var a = _bundle.Aggregates[i];
            string at = $"aggregates[{i}]";
            if (CellId.Of(a, bands, _shocks)?.Index(bands) is not int cell) { Add(FindingKind.Aggregate, at, $"no such cell (band {a.Band}, shock {a.ShockIndex})"); continue; }
            if (!_byCell.TryAdd(cell, (i, a))) Add(FindingKind.Aggregate, $"aggregates[{BundleFormat.CellLabel(a)}]", "appears twice");
        }
        if (_byCell.Count != cells) Add(FindingKind.Aggregate, "aggregates", $"{_byCell.Count} distinct cells, expected {cells} (2 x {bands} bands + {_shocks} shocks x {bands} bands)");
        var proofOk = new bool[cells];
        var countOk = new bool[cells];
        var all = _byCell.ToArray();
        // sum.v3: an LSV cell's sum opens to LSV + chi n; with the claimed count taken out it must open to the value
        // (published) or to a value in [0, 2^64) (withheld, range proofs below), which only the true count gives
        _valuePoints = (RistrettoPoint[])_sums.Clone();
        Parallel.For(0, all.Length, k =>
        {
            var (cell, (_, a)) = (all[k].Key, all[k].Value);
            string label = BundleFormat.CellLabel(a);
            bool boundByChi = _combined && a.ShockIndex >= 0;
            if (boundByChi) _valuePoints[cell] = CountWeight.WithoutCount(_sums[cell], a.Contributors);
            // the contributor count is proven, never claimed (issue 17 item 3): the sum of the cell's indicator commitments
            countOk[cell] = boundByChi ? a.CountProof is null
                : a.CountProof is { } count && count.Verify(_binding, BundleFormat.CountLabel(label), _sums[cells + cell], a.Contributors);
            if (!a.Published) return;
            proofOk[cell] = a.SumProof is { } sum && sum.Verify(_binding, label, _valuePoints[cell], a.Value);
        });
        foreach (var (cell, (_, a)) in _byCell.OrderBy(kv => kv.Key))
        {
            string at = $"aggregates[{BundleFormat.CellLabel(a)}]";
            if (!countOk[cell]) Add(FindingKind.CountProof, at, _combined && a.ShockIndex >= 0 ? "an LSV cell under sum.v3 carries no count proof (its count is bound by chi)"
                : $"the count proof does not verify for {a.Contributors} contributors against the sum of the cell's indicator commitments");
            bool shouldPublish = a.Contributors == 0 || a.Contributors >= (uint)kMin;
            if (a.Published != shouldPublish)
                Add(FindingKind.KMin, at, $"{a.Contributors} contributors with k_min = {kMin}: must be {(shouldPublish ? "published" : "withheld")}");
            if (a.Contributors > _traders.Count) Add(FindingKind.Aggregate, at, $"{a.Contributors} contributors but {_traders.Count} traders");
            _sumProofs++;
            if (a.Published)
            {
                _sumProofs++;
                if (!proofOk[cell]) Add(FindingKind.SumProof, at, $"sum proof does not verify for the value {a.Value} against the sum of the commitments");
                if (a.Contributors == 0 && a.Value != 0) Add(FindingKind.Aggregate, at, $"value {a.Value} with no contributor");
            }
            else if (a.Value != 0 || a.SumProof is not null) Add(FindingKind.KMin, at, "a withheld cell must carry no value and no proof");
        }
    }

    private RistrettoPoint[] _valuePoints = [];

    /// <summary>Under sum.v3 the withheld LSV cells' T' commit to values in [0, 2^64): one batch over the bundle's chunked
    /// range proofs, in cell order; a false contributor count of a withheld cell makes its T' a commitment to a value far
    /// outside (circuits/sum.v3.json), so no proof verifies.</summary>
    private void WithheldCellCounts()
    {
        if (!_combined)
        {
            if (_bundle.WithheldCellProofs.Count > 0) Add(FindingKind.CountProof, "withheld_cell_proofs", "present, but the bundle's statements are not sum.v3");
            return;
        }
        var cells = _byCell.Where(kv => kv.Value.Agg.ShockIndex >= 0 && !kv.Value.Agg.Published).Select(kv => kv.Key).OrderBy(c => c).ToArray();
        var chunks = WithheldCells.Chunks(cells);
        if (_bundle.WithheldCellProofs.Count != chunks.Count)
        { Add(FindingKind.CountProof, "withheld_cell_proofs", $"{_bundle.WithheldCellProofs.Count} proofs for {cells.Length} withheld LSV cells, expected {chunks.Count} (one per {WithheldCells.ChunkSize} cells)"); return; }
        var statements = new List<RangeProofStatement>();
        for (int k = 0; k < chunks.Count; k++)
        {
            var p = _bundle.WithheldCellProofs[k];
            var chunk = chunks[k];
            if (p.Proof is null || p.BitSize != WithheldCells.Bits || p.ValueCount != (uint)chunk.Length)
            { Add(FindingKind.CountProof, $"withheld_cell_proofs[{k}]", $"must be one {WithheldCells.Bits}-bit proof over {chunk.Length} values"); return; }
            statements.Add(WithheldCells.Statement(_binding, chunk.Select(c => BundleFormat.CellLabel(_byCell[c].Agg)).ToList(), chunk.Select(c => _valuePoints[c]).ToList(), p.Proof));
        }
        if (statements.Count > 0 && !RangeProofChunks.Verify(statements, out var bad))
            foreach (var b in bad)
                Add(FindingKind.CountProof, $"withheld_cell_proofs[{b}]", $"does not verify: a withheld LSV cell's claimed contributor count (or its hidden value) is not the true one ({string.Join(", ", chunks[b].Take(3).Select(c => BundleFormat.CellLabel(_byCell[c].Agg)))}...)");
        Counts["withheld_cell_proofs"] = statements.Count;
    }

    /// <summary>Withheld LSV cells enter the buffer through one proven remainder per shock, weighted by the LSF weights
    /// the verifier recomputes (<see cref="LsfWeights"/>).</summary>
    private void Withheld()
    {
        int bands = _bands, shocks = _shocks;
        var ownWeights = LsfWeights.Compute(_context.Risk, _context.Market);
        if (_bundle.LsfWeights.Count != ownWeights.Length)
            Add(FindingKind.Withheld, "lsf_weights", $"{_bundle.LsfWeights.Count} weights, expected {ownWeights.Length} ({shocks} shocks x {bands} bands)");
        else
            for (int j = 0; j < ownWeights.Length; j++)
                if (Math.Abs((long)_bundle.LsfWeights[j] - ownWeights[j]) > LsfWeights.Tolerance)
                { Add(FindingKind.Withheld, $"lsf_weights[{j}]", $"{_bundle.LsfWeights[j]} is not round(h_b(s) * 2^16) = {ownWeights[j]}"); break; }
        _remainders = new UInt128[shocks];
        if (_bundle.Withheld.Count != shocks || _bundle.Withheld.Select(x => (int)x.ShockIndex).Distinct().Count() != shocks || _bundle.Withheld.Any(x => x.ShockIndex >= shocks))
        {
            Add(FindingKind.Withheld, "withheld", $"needs exactly one remainder per shock 0..{shocks - 1}, got {_bundle.Withheld.Count}");
            return;
        }
        if (_bundle.LsfWeights.Count != ownWeights.Length) return;
        foreach (var wr in _bundle.Withheld)
        {
            int s = (int)wr.ShockIndex;
            string at = $"withheld[s={s}]";
            UInt128 value = wr.Value;
            var point = RistrettoPoint.Identity;
            for (int b = 0; b < bands; b++)
            {
                int cell = CellId.Lsv(s, b).Index(bands);
                if (!_byCell.TryGetValue(cell, out var x) || x.Agg.Published) continue;
                point += Scalar.FromUInt64(_bundle.LsfWeights[s * bands + b]) * _valuePoints[cell];
            }
            bool ok = wr.SumProof is { } proof && proof.Verify(_binding, BundleFormat.WithheldLabel(s), point, value);
            if (!ok) Add(FindingKind.Withheld, at, $"the remainder {value} does not verify against the weighted sum of shock {s}'s withheld cells");
            _remainders[s] = value;
            _sumProofs++;
        }
    }

    /// <summary>The Merkle root over the folded state, and the trader count.</summary>
    private void MerkleRoot()
    {
        var root = EpochState.BuildTree(_traders.Values).Root;
        if (!root.AsSpan().SequenceEqual(_bundle.MerkleRoot.Span))
            Add(FindingKind.MerkleRoot, "merkle_root", $"{Hex(_bundle.MerkleRoot.Span)} is not the root over the {_traders.Count} traders' submissions and selection parts ({Hex(root)})");
        if (_bundle.TraderCount != _traders.Count) Add(FindingKind.Structure, "trader_count", $"{_bundle.TraderCount}, the folded state has {_traders.Count}");
    }

    internal static string Hex(ReadOnlySpan<byte> b) => b.Length == 0 ? "(empty)" : Convert.ToHexStringLower(b)[..Math.Min(16, 2 * b.Length)] + "...";
    internal static string Short(string hex) => hex[..Math.Min(16, hex.Length)];
}
