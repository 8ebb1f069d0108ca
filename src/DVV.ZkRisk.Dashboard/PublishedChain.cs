using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// The live page's view of the chain: folds the sealed bundles of an <see cref="IEpochArchive"/> through
/// <see cref="ChainFold"/> as they appear (the same fold as `audit` and the committee verifiers), re-reads attestations
/// until each epoch is published, and tells the page (<see cref="Changed"/>) when a row is added or changes. Work runs in
/// the background, one refresh at a time; requests read the last snapshot and never wait for a verification.
/// </summary>
/// <remarks>The page keeps the last <see cref="Window"/> epochs; the fold starts at the checkpoint the oldest of them
/// builds on, so every kept epoch is verified on its parent.</remarks>
internal sealed class PublishedChain(IEpochArchive archive, BundleVerifier verifier, ChainSource source)
{
    public const int Window = 64;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _lock = new();
    private readonly SortedDictionary<ulong, EpochEntry> _entries = new();
    private ChainFold? _fold;
    private ulong _folded, _latestSealed;
    private int _refreshing;   // 1 while a background refresh runs; _again: one more was asked for meanwhile
    private volatile bool _again;

    public ChainSource Source => source;

    /// <summary>An epoch's row was added or changed (verified, published).</summary>
    public event Action<ulong>? Changed;

    /// <summary>The last failure of a refresh (the archive could not be read), shown on the page; null when none.</summary>
    public string? LastError { get; private set; }

    public IReadOnlyList<EpochEntry> Entries { get { lock (_lock) return _entries.Values.ToList(); } }

    /// <summary>What the folded bundles took on trust (e.g. the checkpoint the page's fold starts at, without its parent).</summary>
    public IReadOnlyList<string> Trusted { get { lock (_lock) return _trusted; } }
    private IReadOnlyList<string> _trusted = [];

    /// <summary>Sealed epochs not yet verified here.</summary>
    public IReadOnlyList<ulong> Pending
    {
        get
        {
            lock (_lock)
            {
                var p = new List<ulong>();
                for (ulong e = _folded + 1; e <= _latestSealed; e++) p.Add(e);
                return p;
            }
        }
    }

    public EpochEntry? Entry(ulong epoch) { lock (_lock) return _entries.GetValueOrDefault(epoch); }

    /// <summary>Asks for a refresh in the background (coalesced: at most one runs, and one more after it).</summary>
    public void Poke()
    {
        _again = true;
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                while (_again)
                {
                    _again = false;
                    try { await RefreshAsync(CancellationToken.None); LastError = null; }
                    catch (Exception e) when (e is not OutOfMemoryException) { LastError = $"the chain could not be read: {e.Message}"; }
                }
            }
            finally { Volatile.Write(ref _refreshing, 0); }
            if (_again) Poke();
        });
    }

    /// <summary>Folds every newly sealed epoch and re-reads the attestations of the unpublished ones.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            ulong latest = await archive.LatestSealedAsync(ct);
            lock (_lock) _latestSealed = latest;
            if (latest == 0) return;
            (byte[] Bytes, EpochBundle Bundle)? start = null;   // the first kept bundle when it is the checkpoint itself
            if (_fold is null)
            {
                ulong first = latest > Window ? latest - Window + 1 : 1;
                // start at the checkpoint the oldest kept epoch builds on (epoch 1 builds on nothing)
                if (first > 1)
                {
                    var bytes = await archive.BundleBytesAsync(first, ct);
                    try
                    {
                        var b = WireCodec.DecodeBundle(bytes);
                        if (b.CheckpointEpoch >= 1 && b.CheckpointEpoch < first) first = b.CheckpointEpoch;
                        else start = (bytes, b);   // decoded once: the fold starts with it
                    }
                    catch (WireDecodeException) { }
                }
                _fold = new ChainFold(verifier);
                lock (_lock) _folded = first - 1;
            }
            for (ulong e = _folded + 1; e <= latest; e++)
            {
                ct.ThrowIfCancellationRequested();
                var entry = await FoldAsync(e, start is { } s0 && s0.Bundle.Epoch == e ? s0 : null, ct);
                lock (_lock)
                {
                    _entries[e] = entry;
                    _folded = e;
                    _trusted = _fold.Trusted.ToList();
                    while (_entries.Count > Window) _entries.Remove(_entries.Keys.First());
                }
                Changed?.Invoke(e);
            }
            foreach (var old in Entries.Where(x => x.Quorum.State == "awaiting"))
            {
                var att = await archive.AttestationAsync(old.Epoch, ct);
                if (att is null) continue;
                var updated = old with { Quorum = QuorumView.Of(source.Committee, att, old.Epoch, old.Bundle.BundleHash.Span) };
                lock (_lock) _entries[old.Epoch] = updated;
                Changed?.Invoke(old.Epoch);
            }
        }
        finally { _gate.Release(); }
    }

    /// <param name="decoded">the epoch's bytes and bundle when already decoded</param>
    private async Task<EpochEntry> FoldAsync(ulong epoch, (byte[] Bytes, EpochBundle Bundle)? decoded, CancellationToken ct)
    {
        var bytes = decoded?.Bytes ?? await archive.BundleBytesAsync(epoch, ct);
        EpochBundle bundle;
        try { bundle = decoded?.Bundle ?? WireCodec.DecodeBundle(bytes); }
        catch (WireDecodeException e)
        {
            var r = VerificationResult.Undecodable(e);
            return new EpochEntry(epoch, new EpochBundle { Epoch = epoch }, bytes.Length, QuorumView.Unchecked("the bundle does not decode"), VerificationView.Of(r), null);
        }
        var result = bundle.Epoch == epoch ? _fold!.Add(bundle) : null;
        var verification = result is null
            ? new VerificationView("invalid", [new Finding(FindingKind.Structure, "epoch", $"the bundle served for epoch {epoch} says it is epoch {bundle.Epoch}")], 0, new Dictionary<string, int>())
            : VerificationView.Of(result);
        var quorum = QuorumView.Of(source.Committee, await archive.AttestationAsync(epoch, ct), epoch, bundle.BundleHash.Span);
        return new EpochEntry(epoch, bundle, bytes.Length, quorum, verification, result?.Verified);
    }
}
