using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Merkle;
using DVV.ZkRisk.Crypto.Sigma;

using Scalar = DVV.ZkRisk.Crypto.Scalar;


namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>One trader's public state in an epoch: its live submission and its current selection parts.</summary>
public sealed class TraderState
{
    public required byte[] Trader { get; init; }
    public required Submission Submission { get; init; }
    public required byte[] SubmissionDigest { get; init; }
    public required RistrettoPoint[] Short { get; init; }
    public required RistrettoPoint[] Long { get; init; }
    /// <summary>Contributor indicators Z_b = [v_b != 0] B + t_b B~ of the short and long values.</summary>
    public required RistrettoPoint[] ShortZ { get; init; }
    public required RistrettoPoint[] LongZ { get; init; }
    /// <summary>Selection parts per shock (null until issued).</summary>
    public SelectionPart[]? Parts { get; init; }
    /// <summary>D_isb, [shock][band].</summary>
    public RistrettoPoint[][]? Selected { get; init; }
    /// <summary>E_isb = lam_is Z_ib + rho'_isb B~ (the selected short indicators), [shock][band]; null under selection.v4, whose
    /// <see cref="Selected"/> points G_isb carry the indicator with weight chi.</summary>
    public RistrettoPoint[][]? SelectedIndicators { get; init; }

    /// <summary>F_is = lam_is B + phi_is B~ per shock (selection.v3); null under selection.v2 or until issued.</summary>
    public RistrettoPoint[]? FlagBits { get; init; }
    /// <summary>The flag proof of the current parts (circuits/flag.v1.json); null when none was made (suite 1, or the
    /// trader is flagged everywhere by the conservative rule).</summary>
    public RangeProof? FlagProof { get; init; }

    /// <summary>The bases one selection proof covers: the short commitments, then the short indicators (one lam for both),
    /// then, when the flags are proven (selection.v3), the basepoint B, whose selected point is F_s.</summary>
    public RistrettoPoint[] SelectionBases(bool withFlagBit) => withFlagBit ? [.. Short, .. ShortZ, RistrettoPoint.Basepoint] : [.. Short, .. ShortZ];
    /// <summary>Their canonical encodings, as the submission carries them (absorbed into the transcript without re-encoding).</summary>
    public ReadOnlyMemory<byte>[] SelectionBaseBytes(bool withFlagBit) => withFlagBit
        ? [.. Submission.ShortCommitments.Select(c => c.Encoding), .. Submission.ShortIndicators.Select(c => c.Encoding), BasepointBytes]
        : [.. Submission.ShortCommitments.Select(c => c.Encoding), .. Submission.ShortIndicators.Select(c => c.Encoding)];
    private static readonly ReadOnlyMemory<byte> BasepointBytes = RistrettoPoint.Basepoint.ToBytes();

    /// <summary>The bases of selection.v4: C_b + chi Z_b per band (<see cref="CountWeight"/>), then B.</summary>
    public RistrettoPoint[] CombinedSelectionBases() => [.. CountWeight.CombinedBases(Short, ShortZ), RistrettoPoint.Basepoint];

    /// <summary>Canonical encodings of points computed here (the combined bases), as the transcripts absorb them.</summary>
    public static ReadOnlyMemory<byte>[] Encodings(RistrettoPoint[] points)
    {
        var e = new ReadOnlyMemory<byte>[points.Length];
        for (int i = 0; i < e.Length; i++) e[i] = points[i].ToBytes();
        return e;
    }

    /// <summary>The committed collateral (CE_usd, CE_coin), when the submission has it.</summary>
    internal Flags.CollateralCommitments? Collateral => Submission.HasCollateral
        ? new Flags.CollateralCommitments(Submission.CollateralUsd!.Value.Point, Submission.CollateralCoin!.Value.Point) : null;
    public byte[]? SelectionDigest { get; init; }

    public string Hex => Convert.ToHexStringLower(Trader);

    /// <summary>A trader's state from its (published) submission, before selection parts are issued.</summary>
    public static TraderState Of(Submission s, byte[] digest) => new()
    {
        Trader = s.TraderPublicKey.ToArray(), Submission = s, SubmissionDigest = digest,
        Short = s.ShortCommitments.Points(), Long = s.LongCommitments.Points(), ShortZ = s.ShortIndicators.Points(), LongZ = s.LongIndicators.Points(),
    };
    public byte[] LeafData => BundleFormat.LeafData(Trader, SubmissionDigest, SelectionDigest ?? new byte[32]);
}

/// <summary>
/// The state of an epoch: the fold of the bundle chain from the last checkpoint (every trader's live submission and
/// selection parts, ordered by trader key, which is the Merkle leaf order). Immutable once built; the next epoch starts
/// from <see cref="Next"/>.
/// </summary>
public sealed class EpochState
{
    private readonly SortedDictionary<string, TraderState> _traders;

    public EpochState(ulong epoch, byte[] bundleHash, ulong checkpointEpoch, EpochParameters parameters, byte[] parameterHash,
        SortedDictionary<string, TraderState> traders)
    {
        Epoch = epoch; BundleHash = bundleHash; CheckpointEpoch = checkpointEpoch; Parameters = parameters; ParameterHash = parameterHash;
        _traders = traders;
    }

    public ulong Epoch { get; }
    public byte[] BundleHash { get; }
    /// <summary>Per shock, the proven weighted remainder of the withheld LSV cells (see <see cref="LsfWeights"/>).</summary>
    public UInt128[] WithheldRemainders { get; init; } = [];
    /// <summary>The linked-account clusters of this epoch, as its bundle lists them (cluster.v1; empty before).</summary>
    public IReadOnlyList<AccountCluster> Clusters { get; init; } = [];
    public ulong CheckpointEpoch { get; }
    public EpochParameters Parameters { get; }
    public byte[] ParameterHash { get; }
    public int Count => _traders.Count;
    public IEnumerable<TraderState> Traders => _traders.Values;

    public bool TryGet(ReadOnlySpan<byte> trader, out TraderState? t) => _traders.TryGetValue(Convert.ToHexStringLower(trader), out t);

    /// <summary>A mutable copy of the trader map for the next epoch's fold.</summary>
    public SortedDictionary<string, TraderState> Next() => new(_traders, StringComparer.Ordinal);

    public static SortedDictionary<string, TraderState> Empty() => new(StringComparer.Ordinal);

    // Built once per state, on first use (GetInclusionProof is an unauthenticated call: rebuilding the tree per call would
    // let anyone make the venue hash the whole state again and again; issue 17 item 13).
    private MerkleTree? _tree;
    private Dictionary<string, int>? _leafIndex;
    private readonly object _treeLock = new();

    public MerkleTree Tree()
    {
        if (Volatile.Read(ref _tree) is { } t) return t;
        lock (_treeLock)
        {
            if (_tree is null)
            {
                var index = new Dictionary<string, int>(_traders.Count, StringComparer.Ordinal);
                int i = 0;
                foreach (var k in _traders.Keys) index[k] = i++;
                _leafIndex = index;
                Volatile.Write(ref _tree, BuildTree(_traders.Values));
            }
            return _tree!;
        }
    }

    public static MerkleTree BuildTree(IEnumerable<TraderState> traders) => new(traders.Select(t => t.LeafData).ToList());

    /// <summary>The inclusion proof of a trader (null when the trader is not in the state): O(log n) after the first call.</summary>
    public (MerkleInclusionProof Proof, byte[] Leaf)? Inclusion(ReadOnlySpan<byte> trader)
    {
        var tree = Tree();
        string hex = Convert.ToHexStringLower(trader);
        return _leafIndex!.TryGetValue(hex, out int i) ? (tree.Prove(i), _traders[hex].LeafData) : null;
    }

    public static StatementBinding Binding(ulong epoch, byte[] parameterHash, byte[] statementHash) => new(epoch, parameterHash, statementHash);
}
