using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Submissions;

namespace DVV.ZkRisk.Protocol.Trust;

/// <summary>
/// Who may change the rules of a chain (issue 17 item 4). A parameter set's governed fields (everything but the epoch's
/// market data and cover-seed commitment) are signed by a quorum of the governance committee IN FORCE: the committee of
/// the previous epoch's set, or, for the chain's first bundle, the committee the set declares itself, which the auditor
/// pins by <see cref="RootHash"/>. A set can therefore lower k_min, change the verifier committee or the onboarding
/// authorities, or replace the governance itself, only with the old committee's quorum, and it takes effect with the
/// epoch it is published in (every submission of that epoch signs its hash).
/// </summary>
public static class GovernanceRules
{
    public const string GovernedDomain = DomainLabels.GovernedParameters;
    public const string RootDomain = DomainLabels.Governance;
    public const int MaxKeys = 64;

    /// <summary>The digest governance signs: the set's canonical encoding with the per-epoch fields (reference forward,
    /// valuation time, market, cover-seed commitment) and the signatures cleared. Protobuf's C# encoder writes fields in
    /// number order and the message has no maps, so the encoding is canonical.</summary>
    public static byte[] GovernedDigest(EpochParameters p)
    {
        var g = p with { ReferenceForward = 0, ValuationTimeUnixMs = 0, Market = null, CoverSeedCommitment = default, GovernanceSignatures = [] };
        using var h = new CanonicalHash(GovernedDomain);
        h.Bytes(Codec.WireCodec.Encode(g));
        return h.Finish();
    }

    /// <summary>The pin of a governance committee: SHA-256 over the domain, the threshold and the keys in order.</summary>
    public static byte[] RootHash(Governance g)
    {
        using var h = new CanonicalHash(RootDomain);
        h.U32AsU64(g.Threshold).U32AsU64((uint)g.Keys.Count);
        foreach (var k in g.Keys) h.Bytes(k.Span);
        return h.Finish();
    }

    /// <summary>Why <paramref name="g"/> is not a usable committee (null when it is): 1..64 distinct Ed25519 keys, 1 &lt;= k &lt;= n.</summary>
    public static string? Malformed(Governance? g)
    {
        if (g is null || g.Keys.Count == 0) return "no governance committee";
        if (g.Keys.Count > MaxKeys) return $"{g.Keys.Count} keys, at most {MaxKeys}";
        if (g.Threshold < 1 || g.Threshold > g.Keys.Count) return $"threshold {g.Threshold} is not in 1..{g.Keys.Count}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < g.Keys.Count; i++)
        {
            if (!Ed25519PublicKey.TryFromBytes(g.Keys[i].Span, out _)) return $"keys[{i}] is not an Ed25519 public key";
            if (!seen.Add(Convert.ToHexStringLower(g.Keys[i].Span))) return $"keys[{i}] appears twice";
        }
        return null;
    }

    /// <summary>Why <paramref name="p"/> is not validly governed by <paramref name="inForce"/> (null when it is): both
    /// committees well formed, and distinct members of <paramref name="inForce"/> reaching its threshold signed the
    /// governed digest.</summary>
    public static string? Check(EpochParameters p, Governance inForce)
    {
        if (Malformed(inForce) is { } bad) return "governance in force: " + bad;
        if (Malformed(p.Governance) is { } bad2) return "parameters.governance: " + bad2;
        var digest = GovernedDigest(p);
        var signers = new HashSet<uint>();
        foreach (var s in p.GovernanceSignatures)
        {
            if (s.KeyIndex >= inForce.Keys.Count) return $"a signature names key {s.KeyIndex}, the governance in force has {inForce.Keys.Count}";
            if (!Ed25519PublicKey.TryFromBytes(inForce.Keys[(int)s.KeyIndex].Span, out var pk) || !pk!.Verify(digest, s.Signature.Span))
                return $"the signature of governance key {s.KeyIndex} does not verify over the governed digest";
            signers.Add(s.KeyIndex);
        }
        if (signers.Count < inForce.Threshold)
            return $"{signers.Count} distinct governance signatures, the governance in force needs {inForce.Threshold}";
        return null;
    }

    /// <summary>Governance signatures by <paramref name="signers"/> (members of <paramref name="inForce"/>) over <paramref name="p"/>'s governed digest.</summary>
    public static EpochParameters Sign(EpochParameters p, Governance inForce, IEnumerable<Ed25519PrivateKey> signers)
    {
        var s = p with { GovernanceSignatures = [] };
        var digest = GovernedDigest(s);
        var signatures = new List<GovernanceSignature>();
        foreach (var k in signers)
        {
            var pub = k.PublicKey.ToBytes();
            int idx = -1;
            for (int i = 0; i < inForce.Keys.Count; i++) if (inForce.Keys[i].Span.SequenceEqual(pub)) { idx = i; break; }
            if (idx < 0) throw new ArgumentException("the signer is not a member of the governance in force", nameof(signers));
            signatures.Add(new GovernanceSignature((uint)idx, k.Sign(digest)));
        }
        return s with { GovernanceSignatures = signatures };
    }
}
