using DVV.ZkRisk.Protocol.Records;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>Wire form of margin notices, their requests and epoch information (protos/dvv/zkrisk/v1/epochs.proto).</summary>
internal static class NoticeWire
{
    public static void Write(WireWriter w, MarginNotice n)
    {
        w.UInt64(1, n.Epoch); w.Bytes(2, n.TraderPublicKey.Span);
        w.String(3, n.InitialMargin); w.String(4, n.Cavb); w.String(5, n.TotalMargin);
        SubmissionWire.ScalarMessages(w, 6, n.SelectionOpenings);
        w.PackedBool(7, SubmissionWire.AsSpan(n.LiquidationFlags));
        w.Bytes(8, n.VenueSignature.Span);
        w.String(9, n.MaintenanceMargin);
        w.Bytes(10, n.BundleHash.Span); w.Bytes(11, n.SubmissionDigest.Span);
        w.UInt64(12, n.SelectionEpoch); w.Bool(13, n.Unvalued);
        foreach (var m in n.ClusterMembers) w.RepeatedBytes(14, m.Span);
    }

    public static MarginNotice Read(WireReader r)
    {
        var n = new MarginNotice();
        List<Scalar> openings = [];
        List<bool> flags = [];
        List<ReadOnlyMemory<byte>> members = [];
        while (r.Next())
            switch (r.Field)
            {
                case 1: n = n with { Epoch = r.UInt64("epoch") }; break;
                case 2: n = n with { TraderPublicKey = r.Bytes("trader_public_key") }; break;
                case 3: n = n with { InitialMargin = r.String("initial_margin") }; break;
                case 4: n = n with { Cavb = r.String("cavb") }; break;
                case 5: n = n with { TotalMargin = r.String("total_margin") }; break;
                case 6: openings.Add(FieldDecoding.ScalarMessage(ref r, "selection_openings", openings.Count)); break;
                case 7: r.PackedBool("liquidation_flags", flags); break;
                case 8: n = n with { VenueSignature = r.Bytes("venue_signature") }; break;
                case 9: n = n with { MaintenanceMargin = r.String("maintenance_margin") }; break;
                case 10: n = n with { BundleHash = r.Bytes("bundle_hash") }; break;
                case 11: n = n with { SubmissionDigest = r.Bytes("submission_digest") }; break;
                case 12: n = n with { SelectionEpoch = r.UInt64("selection_epoch") }; break;
                case 13: n = n with { Unvalued = r.Bool("unvalued") }; break;
                case 14: members.Add(r.Bytes("cluster_members")); break;
                default: r.Skip(); break;
            }
        return n with { SelectionOpenings = openings.ToArray(), LiquidationFlags = flags.ToArray(), ClusterMembers = members };
    }

    public static void Write(WireWriter w, MarginNoticeRequest q)
    {
        w.UInt64(1, q.Epoch); w.Bytes(2, q.TraderPublicKey.Span); w.Int64(3, q.RequestedAtUnixMs); w.Bytes(4, q.Signature.Span);
    }

    public static MarginNoticeRequest ReadRequest(WireReader r)
    {
        ulong epoch = 0; long at = 0;
        ReadOnlyMemory<byte> trader = default, sig = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: epoch = r.UInt64("epoch"); break;
                case 2: trader = r.Bytes("trader_public_key"); break;
                case 3: at = r.Int64("requested_at_unix_ms"); break;
                case 4: sig = r.Bytes("signature"); break;
                default: r.Skip(); break;
            }
        return new MarginNoticeRequest(epoch, trader, at, sig);
    }

    public static void Write(WireWriter w, EpochInfo i)
    {
        w.UInt64(1, i.Epoch); w.UInt32(2, (uint)i.Status);
        w.OptionalMessage(3, i.Parameters, ParameterWire.Write);
        w.Bytes(4, i.ParameterHash.Span);
        w.OptionalMessage(5, i.BandGrid, ParameterWire.WriteGrid);
        w.Bytes(6, i.VenueHpkePublicKey.Span); w.Bytes(7, i.VenueSigningPublicKey.Span);
        foreach (var s in i.Statements) w.Message(8, s, ParameterWire.Statement);
        w.Int64(9, i.OpenedAtUnixMs); w.String(10, i.RangeTranscriptLabel); w.String(11, i.HpkeInfo);
    }

    public static EpochInfo ReadInfo(WireReader r)
    {
        var i = new EpochInfo();
        List<PublishedStatement> statements = [];
        bool seenParams = false, seenGrid = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: i = i with { Epoch = r.UInt64("epoch") }; break;
                case 2: i = i with { Status = (EpochStatus)r.Int32("status") }; break;
                case 3: i = i with { Parameters = ParameterWire.Read(r.SingularMessage("parameters", ref seenParams)) }; break;
                case 4: i = i with { ParameterHash = r.Bytes("parameter_hash") }; break;
                case 5: i = i with { BandGrid = ParameterWire.ReadGrid(r.SingularMessage("band_grid", ref seenGrid)) }; break;
                case 6: i = i with { VenueHpkePublicKey = r.Bytes("venue_hpke_public_key") }; break;
                case 7: i = i with { VenueSigningPublicKey = r.Bytes("venue_signing_public_key") }; break;
                case 8: statements.Add(ParameterWire.ReadStatement(r.Message("statements", r.At("statements", statements.Count)))); break;
                case 9: i = i with { OpenedAtUnixMs = r.Int64("opened_at_unix_ms") }; break;
                case 10: i = i with { RangeTranscriptLabel = r.String("range_transcript_label") }; break;
                case 11: i = i with { HpkeInfo = r.String("hpke_info") }; break;
                default: r.Skip(); break;
            }
        return i with { Statements = statements };
    }
}
