using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// Each epoch's aggregates from the real pipeline, in process: every margined account builds its submission with the
/// trader SDK (Pedersen commitments to S_ib and L_ib, both m = 64 range proofs, HPKE-sealed opening, Ed25519
/// signature), the venue's <see cref="EpochSealer"/> seals a checkpoint bundle (flags, selection and sum proofs), and
/// a <see cref="BundleVerifier"/> checks every proof, range proofs included; the CAVB then runs on the verified
/// bundle's <see cref="VerifiedEpoch.Aggregates"/>. Each epoch is its own checkpoint (the market, hence the parameter
/// set, changes every epoch). Demo scale: a 64 x 64-bit range proof takes a few hundred ms to build here.
/// A bundle that does not verify stops the run (an exception naming the findings): margins are never published from
/// unverified aggregates.
/// </summary>
public sealed class ProvenEpochAggregates : IAggregateSource
{
    private readonly EpochAuthorities _authorities = EpochAuthorities.Development("simulate");
    private readonly StatementSet _statements = StatementSet.LoadDefault();
    private readonly TraderSdk _sdk = new(ProofSystems.Default);
    private readonly HpkeKeyPair _venueHpke = HpkeKeyPair.FromPrivateKey(SHA256.HashData("dvv.zkrisk simulate venue hpke"u8));
    private readonly Dictionary<string, Ed25519PrivateKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Admission> _admissions = new(StringComparer.Ordinal);

    public string Description => "proven (submissions with range proofs, sealed and verified each epoch)";
    public bool Proven => true;

    /// <summary>Epochs sealed and verified, submissions built, and the time spent (ms) building, sealing and verifying.</summary>
    public int Epochs { get; private set; }
    public int Submissions { get; private set; }
    public double BuildMs { get; private set; }
    public double SealMs { get; private set; }
    public double VerifyMs { get; private set; }

    public ProvenAggregates Aggregate(long epoch, MarginContext context, IReadOnlyList<PositionBook> books, TraderRisk[] risk, ulong[] shortE4)
    {
        var coverSeed = SHA256.HashData(Encoding.UTF8.GetBytes($"dvv.zkrisk simulate cover {epoch}"));
        var p = Parameters.Seal(Parameters.Create(context.Parameters, context.Market), _authorities, coverSeed);
        var info = new EpochInfo
        {
            Epoch = (ulong)epoch, Parameters = p, ParameterHash = SubmissionDigest.ParameterSet(p), BandGrid = p.BandGrid,
            VenueHpkePublicKey = _venueHpke.PublicKey, Statements = _statements.Wire,
        };
        var inputs = new SealInput[books.Count];
        var sw = Stopwatch.StartNew();
        Parallel.For(0, books.Count, i =>
        {
            var (key, admission) = Identity(books[i].AccountId);
            var built = _sdk.Build(info, key, PositionBookFile.Write(books[i]), admission);
            inputs[i] = new SealInput(built.Submission, built.Opening, built.Digest);
        });
        BuildMs += sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var sealedEpoch = new EpochSealer(_statements).Seal((ulong)epoch, p, inputs, context.Market.AsOf.ToUnixTimeMilliseconds(), coverSeed, forceCheckpoint: true);
        SealMs += sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var result = new BundleVerifier(_statements, _authorities.RootHash).Verify(sealedEpoch.Bundle, null, checkRangeProofs: true);
        VerifyMs += sw.Elapsed.TotalMilliseconds;
        if (!result.IsValid || result.Verified is null)
            throw new InvalidOperationException($"epoch {epoch}: the sealed bundle does not verify: {string.Join("; ", result.Findings.Take(3))}");
        Epochs++;
        Submissions += books.Count;
        return result.Verified.Aggregates;
    }

    private (Ed25519PrivateKey Key, Admission Admission) Identity(string account)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(account, out var key))
            {
                key = Ed25519PrivateKey.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes($"dvv.zkrisk simulate account {account}")));
                _keys[account] = key;
                _admissions[account] = _authorities.Admit(key.PublicKey.ToBytes());
            }
            return (key, _admissions[account]);
        }
    }
}
