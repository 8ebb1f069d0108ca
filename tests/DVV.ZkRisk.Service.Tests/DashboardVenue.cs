using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// A venue with its dashboard for the dashboard's tests: the real service on SQLite with a 2-of-3 BLS committee and the
/// page on its own HTTP/1.1 listener; 7 demo traders at half the demo's sizes (k_min = 3, so the heatmap has published
/// and withheld cells; the herd is flagged in the crash shocks; 32-bit range proofs to keep it fast). <see cref="RunEpochAsync"/> submits, seals, has two committee members verify and attest
/// over gRPC (published) and fetches every trader's notice, as `dvv-zk demo` does.
/// </summary>
public sealed class DashboardVenue : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-dash-" + Guid.NewGuid().ToString("N"));
    private readonly List<BlsSecretKey> _bls = [];
    private readonly TraderSdk _sdk = new(ProofSystems.Default);
    private List<DemoTrader> _traders = [];
    private List<CommitteeVerifier>? _verifiers;

    public static readonly DVV.ZkRisk.Risk.ParameterSet Risk = DVV.ZkRisk.Risk.ParameterSet.Default with { KMin = 3, KCover = 2 };

    private static EpochParameters Params(ulong epoch, DateTimeOffset t) => Parameters.Create(Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(t, 100_000 * (1 - 0.03 * (epoch - 1)), DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 32);

    public ZkRiskServer Server { get; private set; } = null!;
    public ZkRiskClient Client { get; private set; } = null!;
    public VerifierCommittee Committee { get; private set; } = null!;
    public Uri Page => Server.DashboardAddress!;
    public HttpClient Http { get; private set; } = null!;
    public IReadOnlyList<DemoTrader> Traders => _traders;
    /// <summary>Each trader's opening of the submission the last published epoch counted (hex key).</summary>
    public Dictionary<string, Opening> Openings { get; } = new();
    private readonly Dictionary<string, Opening> _inEffect = new();   // as sealed, published or not
    /// <summary>The latest notice of each trader (hex key).</summary>
    public Dictionary<string, MarginNotice> Notices { get; } = new();
    public Dictionary<ulong, VerifiedEpoch> Verified { get; } = new();

    public static async Task<DashboardVenue> StartAsync()
    {
        var v = new DashboardVenue();
        for (int i = 0; i < 3; i++) v._bls.Add(BlsSecretKey.Generate());
        v.Committee = VerifierCommittee.Register(v._bls.Select((k, i) => (k.PublicKey, k.ProvePossession(), (string?)$"verifier-{i}")), threshold: 2);
        v.Server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions
        {
            DataDirectory = v._dir, Committee = v.Committee, Parameters = Params, Dashboard = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        });
        v.Client = new ZkRiskClient(v.Server.Address);
        v.Http = new HttpClient { BaseAddress = v.Page, Timeout = TimeSpan.FromSeconds(60) };
        return v;
    }

    /// <summary>One epoch: the first has every trader submit, later ones <paramref name="resubmit"/> of them; then seal and,
    /// unless <paramref name="publish"/> is false, two attestations (the threshold) and every trader's notice.</summary>
    public async Task<ulong> RunEpochAsync(int resubmit = 2, bool publish = true)
    {
        var info = await Client.GetEpochInfoAsync();
        if (_traders.Count == 0) _traders = DemoPopulation.Generate(7, info.Parameters!, seed: 4, sizeScale: 0.5);
        var submitting = info.Epoch == 1 ? _traders : _traders.Take(resubmit).ToList();
        var built = new BuiltSubmission[submitting.Count];
        Parallel.For(0, submitting.Count, i =>
        {
            var t = submitting[i];
            var book = info.Epoch == 1 ? t.BookJson : DemoPopulation.Resize(t, info.Parameters!, (int)info.Epoch * 100 + i, 0.5);
            built[i] = _sdk.Build(info, t.Key, book, Server.Epochs.Authorities.Admit(t.Key.PublicKey.ToBytes()));
        });
        foreach (var b in built) await Client.SubmitAsync(b.Submission);
        for (int i = 0; i < submitting.Count; i++) _inEffect[submitting[i].KeyHex] = built[i].Opening;
        var sealedEpoch = await Server.Pipeline.SealOpenEpochAsync();
        ulong epoch = sealedEpoch.Bundle.Epoch;
        if (!publish) return epoch;
        // two members (the threshold), each folding the chain as it goes
        _verifiers ??= _bls.Take(2).Select((k, i) => new CommitteeVerifier(i, k, new BundleVerifier(StatementSet.LoadDefault(), Server.Epochs.Authorities.RootHash))).ToList();
        foreach (var verifier in _verifiers)
        {
            var (r, _) = await verifier.VerifyAndAttestAsync(Client, epoch);
            if (!r.IsValid) throw new InvalidOperationException(string.Join("; ", r.Findings));
            Verified[epoch] = r.Verified!;
        }
        foreach (var (k, o) in _inEffect) Openings[k] = o;
        foreach (var t in _traders)
            Notices[t.KeyHex] = await Client.GetMarginNoticeAsync(DVV.ZkRisk.Protocol.Publication.Notices.SignedRequest(epoch, t.Key, DateTimeOffset.UtcNow));
        return epoch;
    }

    /// <summary>Waits until the page has verified <paramref name="epoch"/> and shows it with the given quorum state.</summary>
    public async Task WaitForAsync(ulong epoch, string quorum = "published")
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        string last = "";
        while (DateTime.UtcNow < until)
        {
            last = await Http.GetStringAsync("api/chain");
            var chain = System.Text.Json.Nodes.JsonNode.Parse(last)!;
            if (chain["epochs"]!.AsArray().Any(e => (ulong)e!["epoch"]! == epoch && (string)e["quorum"]!["state"]! == quorum && (string)e["verification"]!["state"]! == "valid"))
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the page never showed epoch {epoch} as {quorum} and valid; last /api/chain: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
        foreach (var k in _bls) k.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
