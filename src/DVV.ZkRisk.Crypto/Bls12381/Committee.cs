using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>One registered verifier: its index in the committee, public key and the proof of possession that was
/// checked when it registered.</summary>
public sealed record CommitteeMember(int Index, BlsPublicKey PublicKey, BlsSignature ProofOfPossession, string Name);

/// <summary>Why a committee could not be formed.</summary>
public enum CommitteeRegistrationError { Empty, InvalidProofOfPossession, DuplicateKey, ThresholdOutOfRange, TooManyMembers }

public sealed class CommitteeRegistrationException : Exception
{
    public CommitteeRegistrationError Error { get; }
    /// <summary>Index of the offending member, or -1.</summary>
    public int MemberIndex { get; }
    public CommitteeRegistrationException(CommitteeRegistrationError error, int memberIndex, string message) : base(message)
    { Error = error; MemberIndex = memberIndex; }
}

/// <summary>
/// The verifier committee of an epoch chain: n registered members (BLS public key + proof of possession, both checked
/// at registration, which is what makes same-message aggregation safe against rogue keys) and a quorum threshold k.
/// Members are identified by their index 0..n-1, which is their bit in a <see cref="SignerBitmap"/>.
/// </summary>
public sealed class VerifierCommittee
{
    /// <summary>Upper bound on n, so that a bitmap fits comfortably in a bundle (and in a u16 length).</summary>
    public const int MaxMembers = 4096;

    public IReadOnlyList<CommitteeMember> Members { get; }
    /// <summary>k: the number of distinct members whose signatures are needed.</summary>
    public int Threshold { get; }
    public int Size => Members.Count;

    /// <summary>SHA-256 over "DVV.ZkRisk/committee/v1" || k || n || pk_0 || ... || pk_{n-1}: names the committee.</summary>
    public byte[] CommitteeId { get; }

    /// <summary>The domain of <see cref="CommitteeId"/> (frozen bytes).</summary>
    public const string CommitteeDomain = "DVV.ZkRisk/committee/v1";

    private VerifierCommittee(List<CommitteeMember> members, int threshold)
    {
        Members = members.AsReadOnly();
        Threshold = threshold;
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(Encoding.ASCII.GetBytes(CommitteeDomain));
        Span<byte> num = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(num, threshold); h.AppendData(num);
        BinaryPrimitives.WriteInt32BigEndian(num, members.Count); h.AppendData(num);
        foreach (var m in members) h.AppendData(m.PublicKey.ToBytes());
        CommitteeId = h.GetHashAndReset();
    }

    /// <summary>
    /// Registers the members in order (index = position) after checking every proof of possession (PopVerify),
    /// refusing duplicate keys, and requiring 1 &lt;= k &lt;= n.
    /// </summary>
    /// <exception cref="CommitteeRegistrationException">with the precise reason and member index.</exception>
    public static VerifierCommittee Register(IEnumerable<(BlsPublicKey PublicKey, BlsSignature ProofOfPossession, string? Name)> members, int threshold)
    {
        var list = new List<CommitteeMember>();
        var seen = new HashSet<string>();
        foreach (var (pk, pop, name) in members)
        {
            int i = list.Count;
            if (i >= MaxMembers) throw new CommitteeRegistrationException(CommitteeRegistrationError.TooManyMembers, i, $"a committee has at most {MaxMembers} members");
            if (!seen.Add(pk.ToHex()))
                throw new CommitteeRegistrationException(CommitteeRegistrationError.DuplicateKey, i, $"member {i}: public key already registered");
            if (!pk.VerifyPossession(pop))
                throw new CommitteeRegistrationException(CommitteeRegistrationError.InvalidProofOfPossession, i, $"member {i}: proof of possession does not verify for its public key");
            list.Add(new CommitteeMember(i, pk, pop, name ?? $"verifier-{i}"));
        }
        if (list.Count == 0) throw new CommitteeRegistrationException(CommitteeRegistrationError.Empty, -1, "a committee needs at least one member");
        if (threshold < 1 || threshold > list.Count)
            throw new CommitteeRegistrationException(CommitteeRegistrationError.ThresholdOutOfRange, -1, $"threshold {threshold} not in 1..{list.Count}");
        return new VerifierCommittee(list, threshold);
    }

    public static VerifierCommittee Register(IEnumerable<(BlsPublicKey PublicKey, BlsSignature ProofOfPossession)> members, int threshold)
        => Register(members.Select(m => (m.PublicKey, m.ProofOfPossession, (string?)null)), threshold);

    /// <summary>The domain separation prefix of every attestation message.</summary>
    public const string AttestationDomain = "DVV.ZkRisk/attest/v1";

    /// <summary>Length of a bundle hash (SHA-256).</summary>
    public const int BundleHashSize = 32;

    /// <summary>The message a verifier signs for an epoch: "DVV.ZkRisk/attest/v1" || u64 epoch (big-endian) || 32-byte bundle hash.</summary>
    public static byte[] AttestationMessage(ulong epoch, ReadOnlySpan<byte> bundleHash)
    {
        if (bundleHash.Length != BundleHashSize) throw new ArgumentException("a bundle hash is 32 bytes", nameof(bundleHash));
        var d = Encoding.ASCII.GetBytes(AttestationDomain);
        var m = new byte[d.Length + 8 + BundleHashSize];
        d.CopyTo(m, 0);
        BinaryPrimitives.WriteUInt64BigEndian(m.AsSpan(d.Length, 8), epoch);
        bundleHash.CopyTo(m.AsSpan(d.Length + 8));
        return m;
    }

    /// <summary>
    /// The registry as JSON: {"version":1,"threshold":k,"members":[{"name","publicKey","proofOfPossession"}]} (hex,
    /// compressed points). <see cref="FromJson"/> re-checks every proof of possession.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(new CommitteeJson(1, Threshold,
        Members.Select(m => new MemberJson(m.Name, m.PublicKey.ToHex(), m.ProofOfPossession.ToHex())).ToList()),
        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    /// <summary>Loads a registry written by <see cref="ToJson"/>, decoding every key and proof and re-running registration.</summary>
    /// <exception cref="FormatException">malformed JSON or encodings.</exception>
    /// <exception cref="CommitteeRegistrationException">a proof of possession fails, a duplicate key, a bad threshold.</exception>
    public static VerifierCommittee FromJson(string json)
    {
        CommitteeJson? c;
        try { c = JsonSerializer.Deserialize<CommitteeJson>(json, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }); }
        catch (JsonException e) { throw new FormatException("committee JSON: " + e.Message, e); }
        if (c is null || c.Members is null) throw new FormatException("committee JSON: missing members");
        if (c.Version != 1) throw new FormatException($"committee JSON: unsupported version {c.Version}");
        return Register(c.Members.Select((m, i) => (
            BlsPublicKey.FromHex(m.PublicKey ?? throw new FormatException($"member {i}: missing publicKey")),
            BlsSignature.FromHex(m.ProofOfPossession ?? throw new FormatException($"member {i}: missing proofOfPossession")),
            m.Name)), c.Threshold);
    }

    private sealed record CommitteeJson(int Version, int Threshold, List<MemberJson> Members);
    private sealed record MemberJson(string? Name, string? PublicKey, string? ProofOfPossession);

    /// <summary>Checks one member's attestation on its own (what the publisher does before aggregating).</summary>
    public bool VerifyAttestation(Attestation a)
        => a.SignerIndex >= 0 && a.SignerIndex < Size
           && Members[a.SignerIndex].PublicKey.Verify(AttestationMessage(a.Epoch, a.BundleHash), a.Signature);
}

/// <summary>One committee member's signature over an epoch's bundle hash.</summary>
public sealed record Attestation(int SignerIndex, ulong Epoch, byte[] BundleHash, BlsSignature Signature)
{
    /// <summary>Signs <see cref="VerifierCommittee.AttestationMessage"/> for (epoch, bundleHash) as member signerIndex.</summary>
    public static Attestation Create(BlsSecretKey key, int signerIndex, ulong epoch, ReadOnlySpan<byte> bundleHash)
        => new(signerIndex, epoch, bundleHash.ToArray(), key.Sign(VerifierCommittee.AttestationMessage(epoch, bundleHash)));
}

/// <summary>
/// Which committee members signed: bit i (byte i/8, bit i%8, least significant first) is member i. The bitmap has
/// exactly n bits; encoded as u16 big-endian n followed by ceil(n/8) bytes whose unused high bits must be zero.
/// </summary>
public sealed class SignerBitmap : IEquatable<SignerBitmap>
{
    private readonly byte[] _bits;
    public int Length { get; }

    public SignerBitmap(int length)
    {
        if (length < 1 || length > VerifierCommittee.MaxMembers) throw new ArgumentOutOfRangeException(nameof(length));
        Length = length;
        _bits = new byte[(length + 7) / 8];
    }

    public bool this[int i]
    {
        get { Check(i); return (_bits[i >> 3] & (1 << (i & 7))) != 0; }
        set { Check(i); if (value) _bits[i >> 3] |= (byte)(1 << (i & 7)); else _bits[i >> 3] &= (byte)~(1 << (i & 7)); }
    }

    private void Check(int i) { if ((uint)i >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(i), $"signer index {i} outside 0..{Length - 1}"); }

    public int Count => Enumerable.Range(0, Length).Count(i => this[i]);
    public IEnumerable<int> Indices => Enumerable.Range(0, Length).Where(i => this[i]);

    public byte[] ToBytes()
    {
        var o = new byte[2 + _bits.Length];
        BinaryPrimitives.WriteUInt16BigEndian(o, (ushort)Length);
        _bits.CopyTo(o, 2);
        return o;
    }

    /// <summary>Parses the encoding; refuses a wrong byte count or non-zero padding bits.</summary>
    public static SignerBitmap FromBytes(ReadOnlySpan<byte> b, out int consumed)
    {
        if (b.Length < 2) throw new FormatException("signer bitmap: truncated length");
        int n = BinaryPrimitives.ReadUInt16BigEndian(b);
        if (n < 1 || n > VerifierCommittee.MaxMembers) throw new FormatException($"signer bitmap: length {n} out of range");
        var bm = new SignerBitmap(n);
        int nb = (n + 7) / 8;
        if (b.Length < 2 + nb) throw new FormatException("signer bitmap: truncated bits");
        b.Slice(2, nb).CopyTo(bm._bits);
        if ((n & 7) != 0 && (bm._bits[^1] >> (n & 7)) != 0) throw new FormatException("signer bitmap: bits set beyond the committee size");
        consumed = 2 + nb;
        return bm;
    }

    public bool Equals(SignerBitmap? o) => o is not null && Length == o.Length && _bits.AsSpan().SequenceEqual(o._bits);
    public override bool Equals(object? obj) => Equals(obj as SignerBitmap);
    public override int GetHashCode() => HashCode.Combine(Length, Convert.ToHexString(_bits));
    public override string ToString() => string.Concat(Enumerable.Range(0, Length).Select(i => this[i] ? '1' : '0'));
}

/// <summary>
/// The aggregate of the attestations of several members on one (epoch, bundle hash): the sum of their signatures
/// and the bitmap of who signed. Wire form: u64 epoch || 32-byte bundle hash || bitmap || 96-byte signature.
/// </summary>
public sealed record AggregatedAttestation(ulong Epoch, byte[] BundleHash, SignerBitmap Signers, BlsSignature Signature)
{
    /// <summary>
    /// Aggregates attestations for one epoch. Each one is verified on its own first (unless verifyEach is false), so a
    /// single bad signature is reported with its signer instead of spoiling the aggregate; duplicates are refused.
    /// </summary>
    public static AggregatedAttestation Aggregate(VerifierCommittee committee, IEnumerable<Attestation> attestations, bool verifyEach = true)
    {
        var list = attestations.ToList();
        if (list.Count == 0) throw new ArgumentException("no attestations to aggregate", nameof(attestations));
        var first = list[0];
        var bitmap = new SignerBitmap(committee.Size);
        foreach (var a in list)
        {
            if (a.Epoch != first.Epoch || !a.BundleHash.AsSpan().SequenceEqual(first.BundleHash))
                throw new ArgumentException($"attestation of member {a.SignerIndex} is for another epoch or bundle");
            if (a.SignerIndex < 0 || a.SignerIndex >= committee.Size)
                throw new ArgumentException($"signer index {a.SignerIndex} is not a committee member");
            if (bitmap[a.SignerIndex]) throw new ArgumentException($"member {a.SignerIndex} attested twice");
            if (verifyEach && !committee.VerifyAttestation(a))
                throw new ArgumentException($"attestation of member {a.SignerIndex} does not verify");
            bitmap[a.SignerIndex] = true;
        }
        return new AggregatedAttestation(first.Epoch, first.BundleHash.ToArray(), bitmap, BlsSignature.Aggregate(list.Select(a => a.Signature)));
    }

    public byte[] ToBytes()
    {
        var bm = Signers.ToBytes();
        var o = new byte[8 + 32 + bm.Length + BlsSignature.Size];
        BinaryPrimitives.WriteUInt64BigEndian(o, Epoch);
        BundleHash.CopyTo(o, 8);
        bm.CopyTo(o, 40);
        Signature.ToBytes().CopyTo(o, 40 + bm.Length);
        return o;
    }

    /// <summary>Parses the wire form; the signature is decoded with its subgroup check.</summary>
    /// <exception cref="FormatException">(including <see cref="BlsEncodingException"/>) on malformed input.</exception>
    public static AggregatedAttestation FromBytes(ReadOnlySpan<byte> b)
    {
        if (b.Length < 8 + 32 + 3 + BlsSignature.Size) throw new FormatException("aggregated attestation: truncated");
        ulong epoch = BinaryPrimitives.ReadUInt64BigEndian(b);
        var hash = b.Slice(8, 32).ToArray();
        var bm = SignerBitmap.FromBytes(b.Slice(40), out int used);
        var rest = b.Slice(40 + used);
        if (rest.Length != BlsSignature.Size) throw new FormatException("aggregated attestation: signature must be the last 96 bytes");
        return new AggregatedAttestation(epoch, hash, bm, BlsSignature.FromBytes(rest));
    }
}

/// <summary>Why a quorum check failed.</summary>
public enum QuorumFailure
{
    None,
    /// <summary>The attestation is for another epoch than the one being checked.</summary>
    EpochMismatch,
    /// <summary>The attestation is for another bundle hash.</summary>
    BundleHashMismatch,
    /// <summary>The bitmap does not have exactly one bit per committee member.</summary>
    BitmapSizeMismatch,
    /// <summary>Fewer distinct signers than the threshold k.</summary>
    BelowThreshold,
    /// <summary>The aggregate signature does not verify against the aggregate key of the signers in the bitmap.</summary>
    SignatureInvalid,
}

/// <summary>Outcome of <see cref="QuorumCheck.Verify"/>: valid, or the precise reason it is not.</summary>
public sealed record QuorumResult(bool IsValid, QuorumFailure Failure, int SignerCount, int Threshold, string Reason)
{
    public override string ToString() => IsValid ? $"quorum reached: {SignerCount} of {Threshold} required signers" : $"quorum not reached: {Reason}";
}

/// <summary>
/// Quorum verification, as used by publication and by `dvv-zk audit`: the aggregated attestation must name the
/// expected epoch and bundle hash, its bitmap must have one bit per registered member, at least k bits must be
/// set, and the aggregate signature must pass FastAggregateVerify against the registered keys of exactly the
/// members in the bitmap (safe because every key's proof of possession was checked at registration).
/// </summary>
public static class QuorumCheck
{
    public static QuorumResult Verify(VerifierCommittee committee, AggregatedAttestation attestation, ulong expectedEpoch, ReadOnlySpan<byte> expectedBundleHash)
    {
        int k = committee.Threshold;
        if (attestation.Epoch != expectedEpoch)
            return Fail(QuorumFailure.EpochMismatch, 0, k, $"attestation is for epoch {attestation.Epoch}, expected {expectedEpoch}");
        if (!attestation.BundleHash.AsSpan().SequenceEqual(expectedBundleHash))
            return Fail(QuorumFailure.BundleHashMismatch, 0, k, "attestation is for another bundle hash");
        if (attestation.Signers.Length != committee.Size)
            return Fail(QuorumFailure.BitmapSizeMismatch, 0, k, $"bitmap has {attestation.Signers.Length} bits, committee has {committee.Size} members");
        var signers = attestation.Signers.Indices.ToList();
        if (signers.Count < k)
            return Fail(QuorumFailure.BelowThreshold, signers.Count, k, $"{signers.Count} signers, threshold is {k}");
        var keys = signers.Select(i => committee.Members[i].PublicKey).ToList();
        var msg = VerifierCommittee.AttestationMessage(attestation.Epoch, attestation.BundleHash);
        if (!Bls.FastAggregateVerify(keys, msg, attestation.Signature))
            return Fail(QuorumFailure.SignatureInvalid, signers.Count, k,
                $"aggregate signature does not verify for signers [{string.Join(",", signers)}] (a signer is missing, extra or forged)");
        return new QuorumResult(true, QuorumFailure.None, signers.Count, k, "ok");
    }

    private static QuorumResult Fail(QuorumFailure f, int n, int k, string reason) => new(false, f, n, k, reason);
}
