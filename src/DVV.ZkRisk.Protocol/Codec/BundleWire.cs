using System.Buffers.Binary;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Records;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>Wire form of bundles and their parts (protos/dvv/zkrisk/v1/epochs.proto).</summary>
internal static class BundleWire
{
    public static void Write(WireWriter w, EpochBundle b) => Write(w, b, out _);

    /// <summary>Writes the bundle; <paramref name="hashAt"/> is where field 11 (bundle_hash) starts, or would start when
    /// the hash is empty and proto3 omits it.</summary>
    public static void Write(WireWriter w, EpochBundle b, out int hashAt)
    {
        w.UInt64(1, b.Epoch);
        w.OptionalMessage(2, b.Parameters, ParameterWire.Write);
        w.Bytes(3, b.ParameterHash.Span);
        foreach (var s in b.Statements) w.Message(4, s, ParameterWire.Statement);
        foreach (var s in b.Submissions) w.Message(5, s, SubmissionWire.Write);
        foreach (var s in b.Selections) w.Message(6, s, Selection);
        foreach (var a in b.Aggregates) w.Message(7, a, Aggregate);
        w.Bytes(8, b.MerkleRoot.Span);
        w.Bytes(9, b.PreviousBundleHash.Span);
        w.Bool(10, b.Checkpoint);
        hashAt = w.Length;
        w.Bytes(11, b.BundleHash.Span);
        w.Bytes(12, b.StatementHash.Span);
        w.UInt64(13, b.CheckpointEpoch);
        w.UInt32(14, b.TraderCount);
        w.UInt32(15, b.CoverCount);
        w.Int64(16, b.SealedAtUnixMs);
        w.Bytes(17, b.CoverSeed.Span);
        foreach (var t in b.ExpiredTraders) w.RepeatedBytes(18, t.Span);
        foreach (var x in b.Withheld) w.Message(19, x, Withheld);
        w.PackedVarint(20, SubmissionWire.AsSpan(b.LsfWeights));
        foreach (var u in b.Unvalued) w.Message(21, u, Unvalued);
        w.OptionalMessage(22, b.FlagCoefficients, Coefficients);
        foreach (var f in b.FlagProofs) w.Message(23, f, FlagProof);
        foreach (var c in b.Clusters) w.Message(24, c, Cluster);
        foreach (var p in b.WithheldCellProofs) w.Message(25, p, SubmissionWire.RangeProof);
    }

    private static void Cluster(WireWriter w, AccountCluster c)
    {
        foreach (var m in c.Members) w.RepeatedBytes(1, m.Span);
        w.UInt32(2, (uint)c.Kind);
        w.String(3, c.Evidence);
    }

    private static AccountCluster ReadCluster(WireReader r)
    {
        List<ReadOnlyMemory<byte>> members = [];
        uint kind = 0;
        string evidence = "";
        while (r.Next())
            switch (r.Field)
            {
                case 1: members.Add(r.Bytes("members")); break;
                case 2: kind = r.UInt32("kind"); break;
                case 3: evidence = r.String("evidence"); break;
                default: r.Skip(); break;
            }
        if (kind > (uint)ClusterKind.Detected) throw r.Error("kind", $"{kind} is not a cluster kind (1 declared, 2 detected)");
        return new AccountCluster(members, (ClusterKind)kind, evidence);
    }

    private static void Coefficients(WireWriter w, FlagCoefficients c)
    {
        w.PackedSInt64(1, SubmissionWire.AsSpan(c.Long));
        w.PackedSInt64(2, SubmissionWire.AsSpan(c.Short));
        w.PackedSInt64(3, SubmissionWire.AsSpan(c.Coin));
    }

    private static FlagCoefficients ReadCoefficients(WireReader r)
    {
        List<long> l = [], s = [], c = [];
        while (r.Next())
            switch (r.Field)
            {
                case 1: r.PackedSInt64("long", l); break;
                case 2: r.PackedSInt64("short", s); break;
                case 3: r.PackedSInt64("coin", c); break;
                default: r.Skip(); break;
            }
        return new FlagCoefficients(l.ToArray(), s.ToArray(), c.ToArray());
    }

    private static void FlagProof(WireWriter w, TraderFlagProof f)
    {
        w.Bytes(1, f.TraderPublicKey.Span);
        w.OptionalMessage(2, f.Proof, SubmissionWire.RangeProof);
    }

    private static TraderFlagProof ReadFlagProof(WireReader r)
    {
        ReadOnlyMemory<byte> trader = default;
        AggregatedRangeProof? proof = null;
        bool seen = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: trader = r.Bytes("trader_public_key"); break;
                case 2: proof = SubmissionWire.ReadRangeProof(r.SingularMessage("proof", ref seen)); break;
                default: r.Skip(); break;
            }
        return new TraderFlagProof(trader, proof);
    }

    public static EpochBundle Read(WireReader r)
    {
        var b = new EpochBundle();
        List<PublishedStatement> statements = [];
        List<WireReader> submissions = [];
        List<WireReader> selections = [];
        List<BandAggregate> aggregates = [];
        List<ReadOnlyMemory<byte>> expired = [];
        List<WithheldRemainder> withheld = [];
        List<uint> weights = [];
        List<ConservativeFlags> unvalued = [];
        List<TraderFlagProof> flagProofs = [];
        List<AccountCluster> clusters = [];
        List<AggregatedRangeProof> withheldProofs = [];
        FlagCoefficients? coefficients = null;
        bool seenParams = false, seenCoefficients = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: b = b with { Epoch = r.UInt64("epoch") }; break;
                case 2: b = b with { Parameters = ParameterWire.Read(r.SingularMessage("parameters", ref seenParams)) }; break;
                case 3: b = b with { ParameterHash = r.Bytes("parameter_hash") }; break;
                case 4: statements.Add(ParameterWire.ReadStatement(r.Message("statements", r.At("statements", statements.Count)))); break;
                case 5: submissions.Add(r.Message("submissions", r.At("submissions", submissions.Count))); break;
                case 6: selections.Add(r.Message("selections", r.At("selections", selections.Count))); break;
                case 7: aggregates.Add(ReadAggregate(r.Message("aggregates", r.At("aggregates", aggregates.Count)))); break;
                case 8: b = b with { MerkleRoot = r.Bytes("merkle_root") }; break;
                case 9: b = b with { PreviousBundleHash = r.Bytes("previous_bundle_hash") }; break;
                case 10: b = b with { Checkpoint = r.Bool("checkpoint") }; break;
                case 11: b = b with { BundleHash = r.Bytes("bundle_hash") }; break;
                case 12: b = b with { StatementHash = r.Bytes("statement_hash") }; break;
                case 13: b = b with { CheckpointEpoch = r.UInt64("checkpoint_epoch") }; break;
                case 14: b = b with { TraderCount = r.UInt32("trader_count") }; break;
                case 15: b = b with { CoverCount = r.UInt32("cover_count") }; break;
                case 16: b = b with { SealedAtUnixMs = r.Int64("sealed_at_unix_ms") }; break;
                case 17: b = b with { CoverSeed = r.Bytes("cover_seed") }; break;
                case 18: expired.Add(r.Bytes("expired_traders")); break;
                case 19: withheld.Add(ReadWithheld(r.Message("withheld", r.At("withheld", withheld.Count)))); break;
                case 20: r.PackedVarint("lsf_weights", weights); break;
                case 21: unvalued.Add(ReadUnvalued(r.Message("unvalued", r.At("unvalued", unvalued.Count)))); break;
                case 22: coefficients = ReadCoefficients(r.SingularMessage("flag_coefficients", ref seenCoefficients)); break;
                case 23: flagProofs.Add(ReadFlagProof(r.Message("flag_proofs", r.At("flag_proofs", flagProofs.Count)))); break;
                case 24: clusters.Add(ReadCluster(r.Message("clusters", r.At("clusters", clusters.Count)))); break;
                case 25: withheldProofs.Add(SubmissionWire.ReadRangeProof(r.Message("withheld_cell_proofs", r.At("withheld_cell_proofs", withheldProofs.Count)))); break;
                default: r.Skip(); break;
            }
        return b with
        {
            Statements = statements, Submissions = DecodeAll(submissions, SubmissionWire.ReadSubmission), Selections = DecodeAll(selections, ReadSelection),
            Aggregates = aggregates,
            ExpiredTraders = expired, Withheld = withheld, LsfWeights = weights.ToArray(), Unvalued = unvalued,
            FlagCoefficients = coefficients, FlagProofs = flagProofs, Clusters = clusters, WithheldCellProofs = withheldProofs,
        };
    }

    /// <summary>The submissions or selection parts of a bundle, decoded over the cores: they hold nearly all of its points
    /// (a 10,000-trader checkpoint about 9 million). Of several refusals the one of the lowest index is reported, so the
    /// same bytes always give the same refusal.</summary>
    private static T[] DecodeAll<T>(List<WireReader> parts, Func<WireReader, T> read)
    {
        var result = new T[parts.Count];
        if (parts.Count < 32)
        {
            for (int i = 0; i < parts.Count; i++) result[i] = read(parts[i]);
            return result;
        }
        var errors = new WireDecodeException?[parts.Count];
        Parallel.For(0, parts.Count, i =>
        {
            try { result[i] = read(parts[i]); }
            catch (WireDecodeException e) { errors[i] = e; }
        });
        foreach (var e in errors) if (e != null) throw e;
        return result;
    }

    public static void Selection(WireWriter w, SelectionPart p)
    {
        w.Bytes(1, p.TraderPublicKey.Span);
        w.UInt32(2, p.ShockIndex);
        // selection.v4 parts (no selected indicators, a flag bit) carry their points packed, 32 bytes each (field 9): 6
        // bytes of framing fewer per point; earlier parts keep field 3, so their bundles re-encode to the same bytes
        bool packed = p.SelectedIndicators.Count == 0 && p.FlagBit is not null;
        if (!packed) SubmissionWire.Commitments(w, 3, p.Selected);
        if (p.Proof is { } proof) w.Bytes(4, proof.ToBytes());
        w.UInt64(5, p.IssuedEpoch);
        w.Bytes(6, p.IssuedParameterHash.Span);
        SubmissionWire.Commitments(w, 7, p.SelectedIndicators);
        if (p.FlagBit is { } f) w.Message(8, f, SubmissionWire.Commitment);
        if (packed)
        {
            // (in field order, as protobuf writes it: the encoding stays canonical)
            var all = new byte[32 * p.Selected.Count];
            for (int b = 0; b < p.Selected.Count; b++) p.Selected[b].Encoding.Span.CopyTo(all.AsSpan(32 * b));
            w.Bytes(9, all);
        }
    }

    public static SelectionPart ReadSelection(WireReader r)
    {
        // locals, not a record copy per field: a 10,000-trader bundle holds tens of thousands of parts
        ReadOnlyMemory<byte> trader = default, proof = default, issuedHash = default;
        uint shock = 0;
        ulong issued = 0;
        List<ReadOnlyMemory<byte>> selected = [], indicators = [], flagBit = [];
        ReadOnlyMemory<byte> packed = default;
        bool seenPacked = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: trader = r.Bytes("trader_public_key"); break;
                case 2: shock = r.UInt32("shock_index"); break;
                case 3: selected.Add(FieldDecoding.CommitmentBytes(ref r, "selected", selected.Count)); break;
                case 4: proof = r.Bytes("proof"); break;
                case 5: issued = r.UInt64("issued_epoch"); break;
                case 6: issuedHash = r.Bytes("issued_parameter_hash"); break;
                case 7: indicators.Add(FieldDecoding.CommitmentBytes(ref r, "selected_indicators", indicators.Count)); break;
                case 8: flagBit.Add(FieldDecoding.CommitmentBytes(ref r, "flag_bit", flagBit.Count)); break;
                case 9:
                    if (seenPacked) throw r.Error("selected_points", "appears twice");
                    seenPacked = true;
                    packed = r.Bytes("selected_points");
                    break;
                default: r.Skip(); break;
            }
        if (flagBit.Count > 1) throw r.Error("flag_bit", "appears more than once");
        if (seenPacked)
        {
            if (selected.Count > 0) throw r.Error("selected_points", "given with selected: a part carries its points one way");
            if (packed.Length % 32 != 0) throw r.Error("selected_points", $"{packed.Length} bytes, not a whole number of 32-byte points");
            for (int o = 0; o < packed.Length; o += 32) selected.Add(packed.Slice(o, 32));
        }
        return new SelectionPart
        {
            TraderPublicKey = trader, ShockIndex = shock, IssuedEpoch = issued, IssuedParameterHash = issuedHash,
            Selected = FieldDecoding.Points(selected, r.At(seenPacked ? "selected_points" : "selected")),
            SelectedIndicators = FieldDecoding.Points(indicators, r.At("selected_indicators")),
            Proof = FieldDecoding.Proof(proof, r.At("proof"), SelectionProof.FromBytes),
            FlagBit = flagBit.Count == 0 ? null : FieldDecoding.Points(flagBit, r.At("flag_bit"))[0],
        };
    }

    private static void Aggregate(WireWriter w, BandAggregate a)
    {
        w.UInt32(1, a.Band); w.Int32(2, a.ShockIndex); w.Bool(3, a.IsShort); w.UInt64(4, a.Value);
        w.UInt32(5, a.Contributors); w.Bool(6, a.Published);
        if (a.SumProof is { } s) w.Bytes(7, s.ToBytes());
        if (a.CountProof is { } c) w.Bytes(8, c.ToBytes());
    }

    private static BandAggregate ReadAggregate(WireReader r)
    {
        uint band = 0, contributors = 0;
        int shock = 0;
        bool isShort = false, published = false;
        ulong value = 0;
        ReadOnlyMemory<byte> sum = default, count = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: band = r.UInt32("band"); break;
                case 2: shock = r.Int32("shock_index"); break;
                case 3: isShort = r.Bool("is_short"); break;
                case 4: value = r.UInt64("value"); break;
                case 5: contributors = r.UInt32("contributors"); break;
                case 6: published = r.Bool("published"); break;
                case 7: sum = r.Bytes("sum_proof"); break;
                case 8: count = r.Bytes("count_proof"); break;
                default: r.Skip(); break;
            }
        return new BandAggregate
        {
            Band = band, ShockIndex = shock, IsShort = isShort, Value = value, Contributors = contributors, Published = published,
            SumProof = FieldDecoding.Proof(sum, r.At("sum_proof"), SumProof.FromBytes),
            CountProof = FieldDecoding.Proof(count, r.At("count_proof"), SumProof.FromBytes),
        };
    }

    private static void Withheld(WireWriter w, WithheldRemainder x)
    {
        w.UInt32(1, x.ShockIndex);
        Span<byte> v = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(v, x.Value);
        w.Bytes(2, v);
        if (x.SumProof is { } s) w.Bytes(3, s.ToBytes());
    }

    private static WithheldRemainder ReadWithheld(WireReader r)
    {
        uint shock = 0;
        ReadOnlyMemory<byte> value = default, proof = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: shock = r.UInt32("shock_index"); break;
                case 2: value = r.Bytes("value"); break;
                case 3: proof = r.Bytes("sum_proof"); break;
                default: r.Skip(); break;
            }
        if (value.Length != 16) throw r.Error("value", $"a u128 value is 16 bytes, got {value.Length}");
        return new WithheldRemainder(shock, BinaryPrimitives.ReadUInt128LittleEndian(value.Span), FieldDecoding.Proof(proof, r.At("sum_proof"), SumProof.FromBytes));
    }

    private static void Unvalued(WireWriter w, ConservativeFlags f)
    {
        w.Bytes(1, f.TraderPublicKey.Span);
        Span<byte> b = stackalloc byte[32];
        foreach (var x in f.Rho) { x.WriteTo(b); w.RepeatedBytes(2, b); }
        foreach (var x in f.IndicatorRho) { x.WriteTo(b); w.RepeatedBytes(3, b); }
    }

    private static ConservativeFlags ReadUnvalued(WireReader r)
    {
        ReadOnlyMemory<byte> trader = default;
        List<Scalar> rho = [], ind = [];
        while (r.Next())
            switch (r.Field)
            {
                case 1: trader = r.Bytes("trader_public_key"); break;
                case 2: rho.Add(FieldDecoding.Scalar(r.Bytes("rho").Span, r.At("rho", rho.Count))); break;
                case 3: ind.Add(FieldDecoding.Scalar(r.Bytes("indicator_rho").Span, r.At("indicator_rho", ind.Count))); break;
                default: r.Skip(); break;
            }
        return new ConservativeFlags(trader, rho.ToArray(), ind.ToArray());
    }
}
