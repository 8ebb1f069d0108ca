using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Venue.Publication;
using DVV.ZkRisk.Venue.Storage;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>
/// The epoch life cycle as far as submissions need it: which epoch is open, its parameter set and the EpochInfo
/// traders build against. Sealing, bundles and publication arrive with the epochs issue.
/// </summary>
internal sealed class EpochService
{
    private readonly IStore _store;
    private readonly VenueKeys _keys;
    private readonly Func<ulong, DateTimeOffset, EpochParameters> _parameters;
    private readonly List<Action<EpochEvent>> _watchers = [];

    public EpochService(IStore store, VenueKeys keys, Func<DateTimeOffset, EpochParameters> parameters, DVV.ZkRisk.Protocol.Trust.EpochAuthorities? authorities = null)
        : this(store, keys, (_, t) => parameters(t), authorities) { }

    /// <param name="parametersByEpoch">the parameter set (risk parameters and market) of a new epoch at its opening time: the
    /// venue operator's (`dvv-zk serve --params --market`); the venue has no market of its own</param>
    /// <param name="authorities">governance, onboarding and committee the chain runs under; default: the venue governs
    /// itself and is its own onboarding authority (<see cref="DVV.ZkRisk.Protocol.Trust.EpochAuthorities.VenueOperated"/>)</param>
    public EpochService(IStore store, VenueKeys keys, Func<ulong, DateTimeOffset, EpochParameters> parametersByEpoch, DVV.ZkRisk.Protocol.Trust.EpochAuthorities? authorities = null)
    {
        _store = store; _keys = keys;
        _parameters = parametersByEpoch ?? throw new ArgumentNullException(nameof(parametersByEpoch));
        Authorities = authorities ?? DVV.ZkRisk.Protocol.Trust.EpochAuthorities.VenueOperated(keys.Signing, null);
    }

    public DVV.ZkRisk.Protocol.Trust.EpochAuthorities Authorities { get; }

    public const string RangeTranscriptLabel = DVV.ZkRisk.Protocol.Proofs.RangeProofContext.TranscriptLabel;

    /// <summary>Opens epoch 1 when the store has none.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (await _store.GetLatestEpochAsync(ct) is null)
            await _store.TryCreateEpochAsync(await NewRecordAsync(1, DateTimeOffset.UtcNow, ct), ct);
    }

    /// <summary>A new epoch's record: its parameter set governed by the authorities and committed to a fresh cover seed,
    /// which is stored (durably, before the epoch exists) until the seal reveals it.</summary>
    private async Task<EpochRecord> NewRecordAsync(ulong epoch, DateTimeOffset now, CancellationToken ct)
    {
        var seed = await _store.GetOrAddMetaAsync(CoverSeedKey(epoch), DVV.ZkRisk.Protocol.Sealing.CoverSet.NewSeed(), ct);
        await _store.GetOrAddMetaAsync(HpkeKey(epoch), DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair.Generate().PrivateKey, ct);
        // the venue signing key is governed: receipts and notices verify against the chain
        var p = _parameters(epoch, now) with { VenueSigningKey = _keys.Signing.PublicKey.ToBytes() };
        Admissible(epoch, p);
        p = Parameters.Seal(p, Authorities, seed);
        return new EpochRecord(epoch, EpochStatus.Open, WireCodec.Encode(p), SubmissionDigest.ParameterSet(p), now.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// A parameter set is governed input: one the sealer could not prove under (risk parameters or market that do not
    /// validate, or, under the flag statement, a band-model coefficient outside +-2^40, circuits/flag.v1.json) is refused
    /// when its epoch would open, naming the reason, so that no epoch accepts submissions it cannot seal. The open epoch
    /// stays open until the operator supplies a set that can be proven.
    /// </summary>
    private void Admissible(ulong epoch, EpochParameters p)
    {
        try
        {
            var ctx = DVV.ZkRisk.Protocol.EpochContext.Of(p);
            if (Statements.ProvesFlags) _ = ctx.FlagModel;
        }
        catch (DVV.ZkRisk.Risk.RiskInputException e)
        {
            throw new ParameterSetRejectedException(epoch, e.Message);
        }
    }

    private static string CoverSeedKey(ulong epoch) => $"cover-seed/{epoch}";
    private static string HpkeKey(ulong epoch) => $"hpke/{epoch}";

    /// <summary>The X25519 key openings of <paramref name="epoch"/> are sealed to (one per epoch, issue 17 item 10); null once
    /// the epoch is closed and the key destroyed. Gateway submissions are stored opened, so no later key is needed.</summary>
    public async Task<DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair?> HpkeKeyAsync(ulong epoch, CancellationToken ct = default) =>
        await _store.GetMetaAsync(HpkeKey(epoch), ct) is { } sk ? DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair.FromPrivateKey(sk) : null;

    /// <summary>The cover seed an epoch's parameter set commits to (secret until the epoch's bundle reveals it).</summary>
    public async Task<byte[]> CoverSeedAsync(ulong epoch, CancellationToken ct = default) =>
        await _store.GetMetaAsync(CoverSeedKey(epoch), ct) ?? throw new InvalidOperationException($"epoch {epoch} has no stored cover seed");

    public Task<EpochRecord?> LatestAsync(CancellationToken ct = default) => _store.GetLatestEpochAsync(ct);

    /// <summary>Closes the open epoch and opens the next one (the sealing of the closed one belongs to the epochs issue).</summary>
    /// <param name="announceSealed">false when the caller (the epoch pipeline) announces SEALED itself, with the bundle hash</param>
    public async Task<ulong> AdvanceAsync(CancellationToken ct = default, bool announceSealed = true)
    {
        var cur = await _store.GetLatestEpochAsync(ct) ?? throw new InvalidOperationException("no epoch");
        var next = await NewRecordAsync(cur.Epoch + 1, DateTimeOffset.UtcNow, ct);
        if (!await _store.CloseAndOpenAsync(cur.Epoch, next, ct)) throw new InvalidOperationException($"epoch {cur.Epoch} was not open");
        // the closed epoch accepts nothing more: destroy its HPKE private key (a later key leak opens no earlier box)
        await _store.DeleteMetaAsync(HpkeKey(cur.Epoch), ct);
        if (announceSealed) Publish(new EpochEvent(cur.Epoch, EpochStatus.Sealed, default, next.OpenedAtUnixMs));
        Publish(new EpochEvent(next.Epoch, EpochStatus.Open, default, next.OpenedAtUnixMs));
        return next.Epoch;
    }

    /// <summary>EpochInfo for <paramref name="epoch"/> (0: the latest). NOT_FOUND when unknown.</summary>
    public async Task<EpochInfo> GetInfoAsync(ulong epoch, CancellationToken ct = default)
    {
        var rec = epoch == 0 ? await _store.GetLatestEpochAsync(ct) : await _store.GetEpochAsync(epoch, ct);
        if (rec is null) throw new GatewayException(GatewayError.NotFound, "epoch", epoch == 0 ? "no epoch is open" : $"epoch {epoch} is unknown");
        return ToInfo(rec, (await HpkeKeyAsync(rec.Epoch, ct))?.PublicKey ?? []);
    }

    /// <summary>The statement definitions (circuits/) this venue proves against; their combined hash binds every transcript.</summary>
    public DVV.ZkRisk.Protocol.Sealing.StatementSet Statements => DVV.ZkRisk.Protocol.Sealing.StatementSet.Default;

    public EpochInfo ToInfo(EpochRecord rec, byte[] hpkePublicKey)
    {
        var p = WireCodec.DecodeParameters(rec.ParameterSet);
        return new EpochInfo
        {
            Epoch = rec.Epoch,
            Status = rec.Status,
            Parameters = p,
            ParameterHash = rec.ParameterHash,
            BandGrid = p.BandGrid,
            VenueHpkePublicKey = hpkePublicKey,   // this epoch's key; empty once the epoch is closed
            VenueSigningPublicKey = _keys.Signing.PublicKey.ToBytes(),
            OpenedAtUnixMs = rec.OpenedAtUnixMs,
            RangeTranscriptLabel = RangeTranscriptLabel,
            HpkeInfo = SubmissionDigest.HpkeInfo,
            Statements = Statements.Wire,
        };
    }

    /// <summary>Subscribes to epoch events (in-process); dispose to unsubscribe.</summary>
    public IDisposable Subscribe(Action<EpochEvent> onEvent)
    {
        lock (_watchers) _watchers.Add(onEvent);
        return new Unsubscriber(() => { lock (_watchers) _watchers.Remove(onEvent); });
    }

    /// <summary>Tells watchers about an epoch event (sealing and publication come from the epoch pipeline).</summary>
    public void Publish(EpochEvent e)
    {
        Action<EpochEvent>[] ws;
        lock (_watchers) ws = _watchers.ToArray();
        foreach (var w in ws) w(e);
    }

    private sealed class Unsubscriber(Action a) : IDisposable { public void Dispose() => a(); }
}
