using DVV.ZkRisk.Api.V1;
using Google.Protobuf;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>The canonical digests of the protocol.</summary>
public static class SubmissionDigest
{
    public const string HpkeInfo = DomainLabels.OpeningHpkeInfo;

    /// <summary>Digest of every public field except the HPKE box and the signature; it is the box's AEAD aad.</summary>
    public static byte[] Public(Submission s)
    {
        using var h = new CanonicalHash(DomainLabels.SubmissionPublic);
        h.U64(s.Epoch).Bytes(s.ParameterHash.Span).Bytes(s.TraderPublicKey.Span);
        h.U32AsU64((uint)s.ShortCommitments.Count);
        foreach (var c in s.ShortCommitments) h.Bytes((c.Point?.Data ?? ByteString.Empty).Span);
        h.U32AsU64((uint)s.LongCommitments.Count);
        foreach (var c in s.LongCommitments) h.Bytes((c.Point?.Data ?? ByteString.Empty).Span);
        h.U32AsU64(s.RangeProof?.BitSize ?? 0).U32AsU64(s.RangeProof?.ValueCount ?? 0).Bytes((s.RangeProof?.Data ?? ByteString.Empty).Span);
        h.U32AsU64((uint)s.ShortIndicators.Count);
        foreach (var c in s.ShortIndicators) h.Bytes((c.Point?.Data ?? ByteString.Empty).Span);
        h.U32AsU64((uint)s.LongIndicators.Count);
        foreach (var c in s.LongIndicators) h.Bytes((c.Point?.Data ?? ByteString.Empty).Span);
        h.U32AsU64(s.IndicatorProof?.BitSize ?? 0).U32AsU64(s.IndicatorProof?.ValueCount ?? 0).Bytes((s.IndicatorProof?.Data ?? ByteString.Empty).Span);
        h.Bytes(s.Nonce.Span).I64(s.CreatedAtUnixMs).I64(s.ValidUntilUnixMs);
        var a = s.Admission;
        h.Bytes((a?.TraderPublicKey ?? ByteString.Empty).Span).I64(a?.AdmittedAtUnixMs ?? 0)
         .Bytes((a?.AuthorityPublicKey ?? ByteString.Empty).Span).Bytes((a?.Signature ?? ByteString.Empty).Span);
        return h.Finish();
    }

    /// <summary>The submission digest the trader signs: the public digest and the hash of the sealed box. Bundles publish
    /// the box's hash, not the box (issue 17 item 10), and the signature still verifies.</summary>
    public static byte[] Signed(Submission s) => Signed(Public(s), s.SealedOpening is { } box ? BoxHash(box) : s.SealedOpeningHash.ToByteArray());

    public static byte[] Signed(byte[] publicDigest, HpkeBox? box) => Signed(publicDigest, BoxHash(box));

    public static byte[] Signed(byte[] publicDigest, ReadOnlySpan<byte> boxHash)
    {
        using var h = new CanonicalHash(DomainLabels.Submission);
        h.Bytes(publicDigest).Bytes(boxHash);
        return h.Finish();
    }

    /// <summary>SHA-256 over the box's suite, encapsulated key and ciphertext (what a bundle carries in its place).</summary>
    public static byte[] BoxHash(HpkeBox? box)
    {
        using var h = new CanonicalHash(DomainLabels.SealedOpening);
        h.U32AsU64(box?.KemId ?? 0).U32AsU64(box?.KdfId ?? 0).U32AsU64(box?.AeadId ?? 0).Bytes((box?.Enc ?? ByteString.Empty).Span).Bytes((box?.Ciphertext ?? ByteString.Empty).Span);
        return h.Finish();
    }

    /// <summary>The submission as a bundle publishes it: the sealed opening replaced by its hash.</summary>
    public static Submission Published(Submission s)
    {
        if (s.SealedOpening is null) return s;
        var p = s.Clone();
        p.SealedOpeningHash = ByteString.CopyFrom(BoxHash(s.SealedOpening));
        p.SealedOpening = null;
        return p;
    }

    /// <summary>What the venue signs in a receipt.</summary>
    public static byte[] Receipt(Receipt r)
    {
        using var h = new CanonicalHash(DomainLabels.Receipt);
        h.U64(r.Epoch).Bytes(r.TraderPublicKey.Span).Bytes(r.SubmissionDigest.Span).U64(r.Sequence).I64(r.ReceivedAtUnixMs)
         .U32AsU64(r.ReplacedPrevious ? 1u : 0u).Bytes(r.VenuePublicKey.Span);
        return h.Finish();
    }

    /// <summary>Parameter-set hash (bound into every transcript and submission): the protobuf encoding with the governance
    /// signatures cleared, so it names the content, market included; who signed it is checked separately.</summary>
    public static byte[] ParameterSet(ParameterSet p)
    {
        var unsigned = p.Clone();
        unsigned.GovernanceSignatures.Clear();
        using var h = new CanonicalHash(DomainLabels.ParameterSet);
        h.Bytes(unsigned.ToByteArray());
        return h.Finish();
    }
}
