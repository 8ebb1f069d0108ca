using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Cli.Demo;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Two sealed epochs shared by the epoch tests: 9 demo traders (small sizes, 16-bit range proofs so the suite stays fast),
/// epoch 1 a checkpoint, epoch 2 incremental with two replaced submissions. k_min 3, k_cover 2.
/// </summary>
public sealed class EpochFixture
{
    public const int Traders = 9;
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    public EpochAuthorities Authorities { get; } = EpochAuthorities.Development("epoch-tests");
    /// <summary>The cover seed of an epoch (deterministic, so the tests can re-derive and tamper with it).</summary>
    public static byte[] Seed(ulong epoch) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(epoch));
    public StatementSet Statements { get; } = StatementSet.LoadDefault();
    public List<DemoTrader> Population { get; }
    /// <summary>Every trader's latest submission (epoch 2 for traders 0 and 1, epoch 1 for the others).</summary>
    public Dictionary<string, BuiltSubmission> Built { get; } = new();
    /// <summary>Every trader's epoch-1 submission (traders 0 and 1 superseded theirs in epoch 2).</summary>
    public Dictionary<string, BuiltSubmission> Built1 { get; } = new();
    public EpochParameters P1 { get; }
    public EpochParameters P2 { get; }
    internal EpochSealer Sealer { get; }
    public SealResult E1 { get; }
    public SealResult E2 { get; }
    public BundleVerifier Verifier { get; }
    public VerificationResult V1 { get; }
    public VerificationResult V2 { get; }

    public static DVV.ZkRisk.Risk.ParameterSet Risk => DVV.ZkRisk.Risk.ParameterSet.Default with { KMin = 3, KCover = 2 };

    public EpochParameters Params(ulong epoch, double spot) => Parameters.Seal(Parameters.Create(Risk,
        new DVV.ZkRisk.Risk.MarketSnapshot(T0.AddMinutes(epoch), spot, DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000),
        rangeBits: 16, checkpointInterval: 8), Authorities, Seed(epoch));

    public Admission Admit(DemoTrader t) => Authorities.Admit(t.Key.PublicKey.ToBytes());

    public static EpochInfo Info(ulong epoch, EpochParameters p)
    {
        return new EpochInfo
        {
            Epoch = epoch, Parameters = p, ParameterHash = SubmissionDigest.ParameterSet(p), BandGrid = p.BandGrid,
            VenueHpkePublicKey = DVV.ZkRisk.Crypto.Hpke.HpkeKeyPair.Generate().PublicKey,
            Statements = DVV.ZkRisk.Protocol.Sealing.StatementSet.Default.Wire,   // what GetEpochInfo publishes
        };
    }

    public EpochFixture()
    {
        var sdk = new TraderSdk(ProofSystems.Default);
        P1 = Params(1, 100_000);
        P2 = Params(2, 97_000);
        Population = DemoPopulation.Generate(Traders, P1, seed: 11, sizeScale: 0.05);
        var info1 = Info(1, P1);
        var inputs1 = new SealInput[Traders];
        Parallel.For(0, Traders, i =>
        {
            var b = sdk.Build(info1, Population[i].Key, Population[i].BookJson, Admit(Population[i]));
            lock (Built) { Built[Population[i].KeyHex] = b; Built1[Population[i].KeyHex] = b; }
            inputs1[i] = new SealInput(b.Submission, b.Opening, b.Digest);
        });
        Sealer = new EpochSealer(Statements);
        E1 = Sealer.Seal(1, P1, inputs1, 1000, Seed(1));
        var info2 = Info(2, P2);
        var inputs2 = new List<SealInput>();
        foreach (var t in Population.Take(2))
        {
            var b = sdk.Build(info2, t.Key, DemoPopulation.Resize(t, P2, 3, 0.05), Admit(t));
            Built[t.KeyHex] = b;
            inputs2.Add(new SealInput(b.Submission, b.Opening, b.Digest));
        }
        E2 = Sealer.Seal(2, P2, inputs2, 2000, Seed(2));
        Verifier = new BundleVerifier(Statements, Authorities.RootHash);
        V1 = Verifier.Verify(E1.Bundle, null);
        V2 = Verifier.Verify(E2.Bundle, V1.State);
    }
}

[CollectionDefinition("epochs")]
public sealed class EpochCollection : ICollectionFixture<EpochFixture>;
