using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Records;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>Wire form of submissions, openings, receipts and their parts (protos/dvv/zkrisk/v1/submission.proto, types.proto).</summary>
internal static class SubmissionWire
{
    // ---- leaves ----
    /// <summary>The body of a dvv.zkrisk.v1.Commitment: point { data }.</summary>
    public static void Commitment(WireWriter w, Commitment c) => w.Message(1, c, static (w, c) => w.Bytes(1, c.Encoding.Span));

    public static void Commitments(WireWriter w, int field, IReadOnlyList<Commitment> cs)
    {
        foreach (var c in cs) w.Message(field, c, Commitment);
    }

    public static void ScalarMessages(WireWriter w, int field, IReadOnlyList<Scalar> xs)
    {
        foreach (var x in xs) w.Message(field, x, static (w, x) => { Span<byte> b = stackalloc byte[32]; x.WriteTo(b); w.Bytes(1, b); });
    }

    public static void RangeProof(WireWriter w, AggregatedRangeProof p)
    {
        if (p.Proof is { } proof) w.Bytes(1, proof.ToBytes());
        w.UInt32(2, p.BitSize);
        w.UInt32(3, p.ValueCount);
    }

    public static AggregatedRangeProof ReadRangeProof(WireReader r)
    {
        ReadOnlyMemory<byte> data = default;
        uint bits = 0, count = 0;
        while (r.Next())
            switch (r.Field)
            {
                case 1: data = r.Bytes("data"); break;
                case 2: bits = r.UInt32("bit_size"); break;
                case 3: count = r.UInt32("value_count"); break;
                default: r.Skip(); break;
            }
        // a proof that does not decode is named by the proof field itself (`submission.range_proof`), as one that does not verify is
        return new AggregatedRangeProof(FieldDecoding.Proof(data, r.Path, Crypto.RangeProof.FromBytes), bits, count);
    }

    public static void Box(WireWriter w, SealedBox b)
    {
        w.UInt32(1, b.KemId); w.UInt32(2, b.KdfId); w.UInt32(3, b.AeadId);
        w.Bytes(4, b.Enc.Span); w.Bytes(5, b.Ciphertext.Span);
    }

    public static SealedBox ReadBox(WireReader r)
    {
        uint kem = 0, kdf = 0, aead = 0;
        ReadOnlyMemory<byte> enc = default, ct = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: kem = r.UInt32("kem_id"); break;
                case 2: kdf = r.UInt32("kdf_id"); break;
                case 3: aead = r.UInt32("aead_id"); break;
                case 4: enc = r.Bytes("enc"); break;
                case 5: ct = r.Bytes("ciphertext"); break;
                default: r.Skip(); break;
            }
        return new SealedBox(kem, kdf, aead, enc, ct);
    }

    public static void Admission(WireWriter w, Admission a)
    {
        w.Bytes(1, a.TraderPublicKey.Span); w.Int64(2, a.AdmittedAtUnixMs);
        w.Bytes(3, a.AuthorityPublicKey.Span); w.Bytes(4, a.Signature.Span);
    }

    public static Admission ReadAdmission(WireReader r)
    {
        ReadOnlyMemory<byte> trader = default, authority = default, sig = default;
        long at = 0;
        while (r.Next())
            switch (r.Field)
            {
                case 1: trader = r.Bytes("trader_public_key"); break;
                case 2: at = r.Int64("admitted_at_unix_ms"); break;
                case 3: authority = r.Bytes("authority_public_key"); break;
                case 4: sig = r.Bytes("signature"); break;
                default: r.Skip(); break;
            }
        return new Admission(trader, at, authority, sig);
    }

    // ---- submission ----
    public static void Write(WireWriter w, Submission s)
    {
        w.UInt64(1, s.Epoch);
        w.Bytes(2, s.ParameterHash.Span);
        w.Bytes(3, s.TraderPublicKey.Span);
        Commitments(w, 4, s.ShortCommitments);
        Commitments(w, 5, s.LongCommitments);
        w.OptionalMessage(6, s.RangeProof, RangeProof);
        w.OptionalMessage(7, s.SealedOpening, Box);
        w.Bytes(8, s.Nonce.Span);
        w.Int64(9, s.CreatedAtUnixMs);
        w.Int64(10, s.ValidUntilUnixMs);
        w.OptionalMessage(11, s.Admission, Admission);
        Commitments(w, 12, s.ShortIndicators);
        Commitments(w, 13, s.LongIndicators);
        w.OptionalMessage(14, s.IndicatorProof, RangeProof);
        w.Bytes(15, s.Signature.Span);
        w.Bytes(16, s.SealedOpeningHash.Span);
        if (s.CollateralUsd is { } cu) w.Message(17, cu, Commitment);
        if (s.CollateralCoin is { } cc) w.Message(18, cc, Commitment);
        w.OptionalMessage(19, s.CollateralProof, RangeProof);
        foreach (var k in s.LinkedAccounts) w.RepeatedBytes(20, k.Span);
    }

    public static Submission ReadSubmission(WireReader r)
    {
        ulong epoch = 0;
        long created = 0, validUntil = 0;
        ReadOnlyMemory<byte> paramHash = default, trader = default, nonce = default, sig = default, boxHash = default;
        List<ReadOnlyMemory<byte>> sc = [], lc = [], si = [], li = [];
        AggregatedRangeProof? range = null, indicator = null, collateral = null;
        SealedBox? box = null;
        Admission? admission = null;
        List<ReadOnlyMemory<byte>> cu = [], cc = [], linked = [];
        bool seenRange = false, seenBox = false, seenAdmission = false, seenIndicator = false, seenCollateral = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: epoch = r.UInt64("epoch"); break;
                case 2: paramHash = r.Bytes("parameter_hash"); break;
                case 3: trader = r.Bytes("trader_public_key"); break;
                case 4: sc.Add(FieldDecoding.CommitmentBytes(ref r, "short_commitments", sc.Count)); break;
                case 5: lc.Add(FieldDecoding.CommitmentBytes(ref r, "long_commitments", lc.Count)); break;
                case 6: range = ReadRangeProof(r.SingularMessage("range_proof", ref seenRange)); break;
                case 7: box = ReadBox(r.SingularMessage("sealed_opening", ref seenBox)); break;
                case 8: nonce = r.Bytes("nonce"); break;
                case 9: created = r.Int64("created_at_unix_ms"); break;
                case 10: validUntil = r.Int64("valid_until_unix_ms"); break;
                case 11: admission = ReadAdmission(r.SingularMessage("admission", ref seenAdmission)); break;
                case 12: si.Add(FieldDecoding.CommitmentBytes(ref r, "short_indicators", si.Count)); break;
                case 13: li.Add(FieldDecoding.CommitmentBytes(ref r, "long_indicators", li.Count)); break;
                case 14: indicator = ReadRangeProof(r.SingularMessage("indicator_proof", ref seenIndicator)); break;
                case 15: sig = r.Bytes("signature"); break;
                case 16: boxHash = r.Bytes("sealed_opening_hash"); break;
                case 17: cu.Add(FieldDecoding.CommitmentBytes(ref r, "collateral_usd", cu.Count)); break;
                case 18: cc.Add(FieldDecoding.CommitmentBytes(ref r, "collateral_coin", cc.Count)); break;
                case 19: collateral = ReadRangeProof(r.SingularMessage("collateral_proof", ref seenCollateral)); break;
                case 20: linked.Add(r.Bytes("linked_accounts")); break;
                default: r.Skip(); break;
            }
        if (cu.Count > 1 || cc.Count > 1) throw r.Error(cu.Count > 1 ? "collateral_usd" : "collateral_coin", "appears more than once");
        return new Submission
        {
            Epoch = epoch, ParameterHash = paramHash, TraderPublicKey = trader,
            ShortCommitments = FieldDecoding.Points(sc, r.At("short_commitments")),
            LongCommitments = FieldDecoding.Points(lc, r.At("long_commitments")),
            RangeProof = range, SealedOpening = box, Nonce = nonce, CreatedAtUnixMs = created, ValidUntilUnixMs = validUntil,
            Admission = admission,
            ShortIndicators = FieldDecoding.Points(si, r.At("short_indicators")),
            LongIndicators = FieldDecoding.Points(li, r.At("long_indicators")),
            IndicatorProof = indicator, Signature = sig, SealedOpeningHash = boxHash,
            CollateralUsd = cu.Count == 0 ? null : FieldDecoding.Points(cu, r.At("collateral_usd"))[0],
            CollateralCoin = cc.Count == 0 ? null : FieldDecoding.Points(cc, r.At("collateral_coin"))[0],
            CollateralProof = collateral, LinkedAccounts = linked,
        };
    }

    // ---- opening ----
    public static void Write(WireWriter w, Opening o)
    {
        w.PackedVarint(1, AsSpan(o.ShortValues));
        w.PackedVarint(2, AsSpan(o.LongValues));
        ScalarMessages(w, 3, o.ShortBlindings);
        ScalarMessages(w, 4, o.LongBlindings);
        w.Bytes(5, o.BookJson.Span);
        w.String(6, o.CollateralUsd);
        ScalarMessages(w, 7, o.ShortIndicatorBlindings);
        ScalarMessages(w, 8, o.LongIndicatorBlindings);
        if (o.PaddingLength > 0) w.Bytes(9, new byte[o.PaddingLength]);
        w.UInt64(10, o.CollateralUsdUnits);
        w.UInt64(11, o.CollateralCoinUnits);
        // a zero blinding (absent in an opening without collateral) is written as absent, as proto3 does for defaults
        if (o.CollateralUsdBlinding != Scalar.Zero) ScalarMessages(w, 12, [o.CollateralUsdBlinding]);
        if (o.CollateralCoinBlinding != Scalar.Zero) ScalarMessages(w, 13, [o.CollateralCoinBlinding]);
    }

    public static Opening ReadOpening(WireReader r)
    {
        List<ulong> sv = [], lv = [];
        List<Scalar> sb = [], lb = [], sib = [], lib = [];
        ReadOnlyMemory<byte> book = default;
        string collateral = "";
        int padding = 0;
        ulong usdUnits = 0, coinUnits = 0;
        Scalar usdBlind = Scalar.Zero, coinBlind = Scalar.Zero;
        while (r.Next())
            switch (r.Field)
            {
                case 1: r.PackedVarint("short_values", sv); break;
                case 2: r.PackedVarint("long_values", lv); break;
                case 3: sb.Add(FieldDecoding.ScalarMessage(ref r, "short_blindings", sb.Count)); break;
                case 4: lb.Add(FieldDecoding.ScalarMessage(ref r, "long_blindings", lb.Count)); break;
                case 5: book = r.Bytes("book_json"); break;
                case 6: collateral = r.String("collateral_usd"); break;
                case 7: sib.Add(FieldDecoding.ScalarMessage(ref r, "short_indicator_blindings", sib.Count)); break;
                case 8: lib.Add(FieldDecoding.ScalarMessage(ref r, "long_indicator_blindings", lib.Count)); break;
                case 9: padding = r.Bytes("padding").Length; break;
                case 10: usdUnits = r.UInt64("collateral_usd_units"); break;
                case 11: coinUnits = r.UInt64("collateral_coin_units"); break;
                case 12: usdBlind = FieldDecoding.ScalarMessage(ref r, "collateral_usd_blinding"); break;
                case 13: coinBlind = FieldDecoding.ScalarMessage(ref r, "collateral_coin_blinding"); break;
                default: r.Skip(); break;
            }
        return new Opening
        {
            ShortValues = sv.ToArray(), LongValues = lv.ToArray(), ShortBlindings = sb.ToArray(), LongBlindings = lb.ToArray(),
            BookJson = book, CollateralUsd = collateral, ShortIndicatorBlindings = sib.ToArray(), LongIndicatorBlindings = lib.ToArray(),
            PaddingLength = padding,
            CollateralUsdUnits = usdUnits, CollateralCoinUnits = coinUnits, CollateralUsdBlinding = usdBlind, CollateralCoinBlinding = coinBlind,
        };
    }

    // ---- receipt ----
    public static void Write(WireWriter w, Receipt x)
    {
        w.UInt64(1, x.Epoch); w.Bytes(2, x.TraderPublicKey.Span); w.Bytes(3, x.SubmissionDigest.Span); w.UInt64(4, x.Sequence);
        w.Int64(5, x.ReceivedAtUnixMs); w.Bool(6, x.ReplacedPrevious); w.Bytes(7, x.VenuePublicKey.Span); w.Bytes(8, x.VenueSignature.Span);
    }

    public static Receipt ReadReceipt(WireReader r)
    {
        var x = new Receipt();
        while (r.Next())
            x = r.Field switch
            {
                1 => x with { Epoch = r.UInt64("epoch") },
                2 => x with { TraderPublicKey = r.Bytes("trader_public_key") },
                3 => x with { SubmissionDigest = r.Bytes("submission_digest") },
                4 => x with { Sequence = r.UInt64("sequence") },
                5 => x with { ReceivedAtUnixMs = r.Int64("received_at_unix_ms") },
                6 => x with { ReplacedPrevious = r.Bool("replaced_previous") },
                7 => x with { VenuePublicKey = r.Bytes("venue_public_key") },
                8 => x with { VenueSignature = r.Bytes("venue_signature") },
                _ => Skip(ref r, x),
            };
        return x;
    }

    internal static T Skip<T>(ref WireReader r, T x) { r.Skip(); return x; }

    internal static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> xs) => xs is T[] a ? a : xs.ToArray();
}
