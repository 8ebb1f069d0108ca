using DVV.ZkRisk.Protocol.Records;

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
        Points(h, s.ShortCommitments);
        Points(h, s.LongCommitments);
        Proof(h, s.RangeProof);
        Points(h, s.ShortIndicators);
        Points(h, s.LongIndicators);
        Proof(h, s.IndicatorProof);
        h.Bytes(s.Nonce.Span).I64(s.CreatedAtUnixMs).I64(s.ValidUntilUnixMs);
        var a = s.Admission;
        h.Bytes(a is null ? default : a.TraderPublicKey.Span).I64(a?.AdmittedAtUnixMs ?? 0)
         .Bytes(a is null ? default : a.AuthorityPublicKey.Span).Bytes(a is null ? default : a.Signature.Span);
        // the collateral (circuits/flag.v1.json) only when present, so the digests of submissions made before it stay as
        // they were; present or not is unambiguous (every field above is length-prefixed, and this adds three more)
        if (s.CollateralUsd is not null || s.CollateralCoin is not null || s.CollateralProof is not null)
        {
            h.Bytes(s.CollateralUsd is { } cu ? cu.Encoding.Span : default).Bytes(s.CollateralCoin is { } cc ? cc.Encoding.Span : default);
            Proof(h, s.CollateralProof);
        }
        // the linked accounts (circuits/cluster.v1.json) likewise only when declared, behind their own tag
        if (s.LinkedAccounts.Count > 0)
        {
            h.Bytes("linked_accounts"u8).U32AsU64((uint)s.LinkedAccounts.Count);
            foreach (var k in s.LinkedAccounts) h.Bytes(k.Span);
        }
        return h.Finish();
    }

    private static void Points(CanonicalHash h, IReadOnlyList<Commitment> cs)
    {
        h.U32AsU64((uint)cs.Count);
        foreach (var c in cs) h.Bytes(c.Encoding.Span);
    }

    // a missing proof hashes as shape 0/0 and empty bytes, as the wire's absent message did
    private static void Proof(CanonicalHash h, AggregatedRangeProof? p) =>
        h.U32AsU64(p?.BitSize ?? 0).U32AsU64(p?.ValueCount ?? 0).Bytes(p?.Proof is { } proof ? proof.ToBytes() : []);

    /// <summary>The submission digest the trader signs: the public digest and the hash of the sealed box. Bundles publish
    /// the box's hash, not the box (issue 17 item 10), and the signature still verifies.</summary>
    public static byte[] Signed(Submission s) => Signed(Public(s), s.SealedOpening is { } box ? BoxHash(box) : s.SealedOpeningHash.ToArray());

    public static byte[] Signed(byte[] publicDigest, SealedBox? box) => Signed(publicDigest, BoxHash(box));

    public static byte[] Signed(byte[] publicDigest, ReadOnlySpan<byte> boxHash)
    {
        using var h = new CanonicalHash(DomainLabels.Submission);
        h.Bytes(publicDigest).Bytes(boxHash);
        return h.Finish();
    }

    /// <summary>SHA-256 over the box's suite, encapsulated key and ciphertext (what a bundle carries in its place).</summary>
    public static byte[] BoxHash(SealedBox? box)
    {
        using var h = new CanonicalHash(DomainLabels.SealedOpening);
        h.U32AsU64(box?.KemId ?? 0).U32AsU64(box?.KdfId ?? 0).U32AsU64(box?.AeadId ?? 0).Bytes(box is null ? default : box.Enc.Span).Bytes(box is null ? default : box.Ciphertext.Span);
        return h.Finish();
    }

    /// <summary>The submission as a bundle publishes it: the sealed opening replaced by its hash.</summary>
    public static Submission Published(Submission s)
    {
        if (s.SealedOpening is null) return s;
        return s with { SealedOpeningHash = BoxHash(s.SealedOpening), SealedOpening = null };
    }

    /// <summary>What the venue signs in a receipt.</summary>
    public static byte[] Receipt(Receipt r)
    {
        using var h = new CanonicalHash(DomainLabels.Receipt);
        h.U64(r.Epoch).Bytes(r.TraderPublicKey.Span).Bytes(r.SubmissionDigest.Span).U64(r.Sequence).I64(r.ReceivedAtUnixMs)
         .U32AsU64(r.ReplacedPrevious ? 1u : 0u).Bytes(r.VenuePublicKey.Span);
        return h.Finish();
    }

    /// <summary>Parameter-set hash (bound into every transcript and submission): the canonical encoding with the governance
    /// signatures cleared, so it names the content, market included; who signed it is checked separately.</summary>
    public static byte[] ParameterSet(EpochParameters p)
    {
        using var h = new CanonicalHash(DomainLabels.ParameterSet);
        h.Bytes(Codec.WireCodec.Encode(p with { GovernanceSignatures = [] }));
        return h.Finish();
    }
}
