using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Submissions;

namespace DVV.ZkRisk.Protocol.Trust;

/// <summary>
/// Admitted trader keys (issue 17 item 6). The venue holds every opening and could submit a book again under a key of its
/// own; no proof stops a custodian inventing accounts, but an account now needs an onboarding authority's signed
/// admission, carried in the signed submission and so in every bundle that counts the account. The verifier counts only
/// admitted keys, the onboarding keys are governed, and the number of admitted accounts is public.
/// </summary>
public static class Admissions
{
    public const string Domain = DomainLabels.Admission;

    public static byte[] Digest(ReadOnlySpan<byte> trader, long admittedAtUnixMs, ReadOnlySpan<byte> authority)
    {
        using var h = new CanonicalHash(Domain);
        h.Bytes(trader).I64(admittedAtUnixMs).Bytes(authority);
        return h.Finish();
    }

    /// <summary>The authority's admission of <paramref name="trader"/>.</summary>
    public static Admission Issue(Ed25519PrivateKey authority, ReadOnlySpan<byte> trader, DateTimeOffset at)
    {
        var pub = authority.PublicKey.ToBytes();
        long ms = at.ToUnixTimeMilliseconds();
        return new Admission(trader.ToArray(), ms, pub, authority.Sign(Digest(trader, ms, pub)));
    }

    /// <summary>Why <paramref name="a"/> does not admit <paramref name="trader"/> under <paramref name="p"/>'s onboarding keys (null when it does).</summary>
    public static string? Check(Admission? a, ReadOnlySpan<byte> trader, EpochParameters p)
    {
        if (a is null) return "missing: the trader key has no onboarding admission";
        if (!a.TraderPublicKey.Span.SequenceEqual(trader)) return "admits another trader key";
        if (p.OnboardingKeys.Count == 0) return "the parameter set names no onboarding authority";
        bool known = false;
        foreach (var k in p.OnboardingKeys) if (k.Span.SequenceEqual(a.AuthorityPublicKey.Span)) { known = true; break; }
        if (!known) return "signed by a key that is not one of the parameter set's onboarding authorities";
        if (!Ed25519PublicKey.TryFromBytes(a.AuthorityPublicKey.Span, out var pk)
            || !pk!.Verify(Digest(trader, a.AdmittedAtUnixMs, a.AuthorityPublicKey.Span), a.Signature.Span))
            return "the authority's signature does not verify";
        return null;
    }
}
