using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Signing;

namespace DVV.ZkRisk.Protocol.Trust;

/// <summary>
/// The authorities a venue's chain runs under: the governance committee (k-of-n Ed25519) that signs the governed
/// parameters, the onboarding authorities that admit trader keys, and the BLS verifier committee whose quorum publishes.
/// The venue applies them to each new epoch's parameter set (<see cref="Govern"/>). In production the governance
/// signatures are produced offline by the committee over <see cref="GovernanceRules.GovernedDigest"/>; this type holds
/// the signing keys in process for the demo, the tests and a single-operator deployment
/// (<see cref="VenueOperated"/>, where the venue governs itself and a verifier pinning that governance trusts the venue).
/// </summary>
public sealed class EpochAuthorities
{
    private readonly Ed25519PrivateKey[] _governanceSigners;

    /// <param name="onboardingSigner">an onboarding authority's private key when this process issues admissions itself
    /// (single-operator deployments, demo, tests); null when admissions come from outside</param>
    public EpochAuthorities(IReadOnlyList<Ed25519PrivateKey> governanceKeys, int threshold, IReadOnlyList<Ed25519PublicKey> onboardingKeys,
        byte[]? committeeId, IReadOnlyList<Ed25519PrivateKey>? signers = null, Ed25519PrivateKey? onboardingSigner = null)
    {
        OnboardingSigner = onboardingSigner;
        Governance = new Governance(governanceKeys.Select(k => (ReadOnlyMemory<byte>)k.PublicKey.ToBytes()).ToArray(), (uint)threshold);
        if (GovernanceRules.Malformed(Governance) is { } bad) throw new ArgumentException(bad, nameof(governanceKeys));
        _governanceSigners = (signers ?? governanceKeys.Take(threshold).ToList()).ToArray();
        OnboardingKeys = onboardingKeys;
        CommitteeId = committeeId ?? [];
    }

    public Governance Governance { get; }
    /// <summary>The pin an auditor supplies (<see cref="GovernanceRules.RootHash"/>).</summary>
    public byte[] RootHash => GovernanceRules.RootHash(Governance);
    public IReadOnlyList<Ed25519PublicKey> OnboardingKeys { get; }
    public byte[] CommitteeId { get; }

    /// <summary>Single-operator default: the venue's key is the whole governance (1 of 1) and the onboarding authority.</summary>
    public static EpochAuthorities VenueOperated(Ed25519PrivateKey venue, byte[]? committeeId) =>
        new([venue], 1, [venue.PublicKey], committeeId, onboardingSigner: venue);

    /// <summary>Deterministic authorities for benchmarks and tests: a 2-of-3 governance and one onboarding key derived
    /// from <paramref name="label"/> (never for production: anyone knowing the label holds the keys).</summary>
    public static EpochAuthorities Development(string label, byte[]? committeeId = null)
    {
        Ed25519PrivateKey Key(string what) => Ed25519PrivateKey.FromSeed(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"dvv.zkrisk dev {label} {what}")));
        var onboarding = Key("onboarding");
        return new([Key("governance 0"), Key("governance 1"), Key("governance 2")], 2, [onboarding.PublicKey], committeeId, onboardingSigner: onboarding);
    }

    /// <summary>The onboarding key this process holds, if any (see the constructor).</summary>
    public Ed25519PrivateKey? OnboardingSigner { get; }

    /// <summary>An admission of <paramref name="trader"/> by <see cref="OnboardingSigner"/>.</summary>
    public Admission Admit(ReadOnlySpan<byte> trader) =>
        Admissions.Issue(OnboardingSigner ?? throw new InvalidOperationException("this process holds no onboarding key"), trader, DateTimeOffset.UtcNow);

    /// <summary>A governance hand-over: <paramref name="p"/> with <paramref name="next"/>'s governed fields (its committee,
    /// onboarding keys, verifier committee), signed by THIS committee's quorum, which is the governance in force until
    /// the epoch of <paramref name="p"/>; from the next epoch on, sets must be signed by <paramref name="next"/>.</summary>
    public EpochParameters HandOver(EpochParameters p, EpochAuthorities next)
    {
        var s = next.WithFields(p);
        return GovernanceRules.Sign(s, Governance, _governanceSigners);
    }

    private EpochParameters WithFields(EpochParameters p) => p with
    {
        Governance = Governance, CommitteeId = CommitteeId,
        OnboardingKeys = OnboardingKeys.Select(k => (ReadOnlyMemory<byte>)k.ToBytes()).ToArray(),
    };

    /// <summary>Sets the governed fields of <paramref name="p"/> (governance, committee, onboarding keys) and signs them with
    /// the quorum of this governance (which must be the governance in force).</summary>
    public EpochParameters Govern(EpochParameters p) => GovernanceRules.Sign(WithFields(p), Governance, _governanceSigners);
}
