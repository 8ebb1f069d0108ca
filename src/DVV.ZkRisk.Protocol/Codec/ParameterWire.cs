using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>Wire form of parameter sets and what they hold (protos/dvv/zkrisk/v1/types.proto).</summary>
internal static class ParameterWire
{
    public static void Write(WireWriter w, EpochParameters p)
    {
        w.UInt32(1, p.Version);
        w.OptionalMessage(2, p.BandGrid, Grid);
        w.Double(3, p.ReferenceForward);
        w.Int64(4, p.ValuationTimeUnixMs);
        w.UInt32(5, p.RangeBits);
        w.UInt32(6, p.KMin);
        w.PackedDouble(7, SubmissionWire.AsSpan(p.LsfShocks));
        w.UInt64(8, p.ContractScale);
        w.Bytes(9, p.RiskParameters.Span);
        w.OptionalMessage(10, p.Market, Market);
        w.UInt32(11, p.CheckpointInterval);
        w.OptionalMessage(16, p.Governance, Governance);
        w.Bytes(17, p.CommitteeId.Span);
        foreach (var k in p.OnboardingKeys) w.RepeatedBytes(18, k.Span);
        w.Bytes(19, p.CoverSeedCommitment.Span);
        foreach (var s in p.GovernanceSignatures) w.Message(20, s, static (w, s) => { w.UInt32(1, s.KeyIndex); w.Bytes(2, s.Signature.Span); });
        w.Bytes(21, p.VenueSigningKey.Span);
    }

    public static EpochParameters Read(WireReader r)
    {
        var p = new EpochParameters();
        List<double> shocks = [];
        List<ReadOnlyMemory<byte>> onboarding = [];
        List<GovernanceSignature> sigs = [];
        bool seenGrid = false, seenMarket = false, seenGov = false;
        while (r.Next())
            switch (r.Field)
            {
                case 1: p = p with { Version = r.UInt32("version") }; break;
                case 2: p = p with { BandGrid = ReadGrid(r.SingularMessage("band_grid", ref seenGrid)) }; break;
                case 3: p = p with { ReferenceForward = r.Double("reference_forward") }; break;
                case 4: p = p with { ValuationTimeUnixMs = r.Int64("valuation_time_unix_ms") }; break;
                case 5: p = p with { RangeBits = r.UInt32("range_bits") }; break;
                case 6: p = p with { KMin = r.UInt32("k_min") }; break;
                case 7: r.PackedDouble("lsf_shocks", shocks); break;
                case 8: p = p with { ContractScale = r.UInt64("contract_scale") }; break;
                case 9: p = p with { RiskParameters = r.Bytes("risk_parameters") }; break;
                case 10: p = p with { Market = ReadMarket(r.SingularMessage("market", ref seenMarket)) }; break;
                case 11: p = p with { CheckpointInterval = r.UInt32("checkpoint_interval") }; break;
                case 16: p = p with { Governance = ReadGovernance(r.SingularMessage("governance", ref seenGov)) }; break;
                case 17: p = p with { CommitteeId = r.Bytes("committee_id") }; break;
                case 18: onboarding.Add(r.Bytes("onboarding_keys")); break;
                case 19: p = p with { CoverSeedCommitment = r.Bytes("cover_seed_commitment") }; break;
                case 20: sigs.Add(ReadSignature(r.Message("governance_signatures", r.At("governance_signatures", sigs.Count)))); break;
                case 21: p = p with { VenueSigningKey = r.Bytes("venue_signing_key") }; break;
                default: r.Skip(); break;
            }
        return p with { LsfShocks = shocks.ToArray(), OnboardingKeys = onboarding.ToArray(), GovernanceSignatures = sigs.ToArray() };
    }

    private static void Grid(WireWriter w, BandGridDeclaration g)
    {
        w.PackedDouble(1, SubmissionWire.AsSpan(g.ExpiryBucketEdgesDays));
        w.Double(2, g.MoneynessBandWidth);
        w.UInt32(3, g.MoneynessBandCount);
        w.UInt32(4, g.BandCount);
        w.String(5, g.Source);
    }

    public static BandGridDeclaration ReadGrid(WireReader r)
    {
        var g = new BandGridDeclaration();
        List<double> edges = [];
        while (r.Next())
            switch (r.Field)
            {
                case 1: r.PackedDouble("expiry_bucket_edges_days", edges); break;
                case 2: g = g with { MoneynessBandWidth = r.Double("moneyness_band_width") }; break;
                case 3: g = g with { MoneynessBandCount = r.UInt32("moneyness_band_count") }; break;
                case 4: g = g with { BandCount = r.UInt32("band_count") }; break;
                case 5: g = g with { Source = r.String("source") }; break;
                default: r.Skip(); break;
            }
        return g with { ExpiryBucketEdgesDays = edges.ToArray() };
    }

    public static void WriteGrid(WireWriter w, BandGridDeclaration g) => Grid(w, g);

    private static void Market(WireWriter w, MarketParameters m)
    {
        w.Int64(1, m.AsOfUnixMs);
        w.Double(2, m.Spot); w.Double(3, m.Rate); w.Double(4, m.Carry); w.Double(5, m.DepthCoins); w.Double(6, m.ClearingFundUsd);
        foreach (var s in m.Surface)
            w.Message(7, s, static (w, s) =>
            {
                w.Double(1, s.ExpiryYears); w.Double(2, s.A); w.Double(3, s.B); w.Double(4, s.Rho); w.Double(5, s.M); w.Double(6, s.Sigma);
            });
    }

    private static MarketParameters ReadMarket(WireReader r)
    {
        var m = new MarketParameters();
        List<SviSliceParameters> surface = [];
        while (r.Next())
            switch (r.Field)
            {
                case 1: m = m with { AsOfUnixMs = r.Int64("as_of_unix_ms") }; break;
                case 2: m = m with { Spot = r.Double("spot") }; break;
                case 3: m = m with { Rate = r.Double("rate") }; break;
                case 4: m = m with { Carry = r.Double("carry") }; break;
                case 5: m = m with { DepthCoins = r.Double("depth_coins") }; break;
                case 6: m = m with { ClearingFundUsd = r.Double("clearing_fund_usd") }; break;
                case 7: surface.Add(ReadSlice(r.Message("surface", r.At("surface", surface.Count)))); break;
                default: r.Skip(); break;
            }
        return m with { Surface = surface.ToArray() };
    }

    private static SviSliceParameters ReadSlice(WireReader r)
    {
        double t = 0, a = 0, b = 0, rho = 0, m = 0, sigma = 0;
        while (r.Next())
            switch (r.Field)
            {
                case 1: t = r.Double("expiry_years"); break;
                case 2: a = r.Double("a"); break;
                case 3: b = r.Double("b"); break;
                case 4: rho = r.Double("rho"); break;
                case 5: m = r.Double("m"); break;
                case 6: sigma = r.Double("sigma"); break;
                default: r.Skip(); break;
            }
        return new SviSliceParameters(t, a, b, rho, m, sigma);
    }

    private static void Governance(WireWriter w, Governance g)
    {
        foreach (var k in g.Keys) w.RepeatedBytes(1, k.Span);
        w.UInt32(2, g.Threshold);
    }

    private static Governance ReadGovernance(WireReader r)
    {
        List<ReadOnlyMemory<byte>> keys = [];
        uint threshold = 0;
        while (r.Next())
            switch (r.Field)
            {
                case 1: keys.Add(r.Bytes("keys")); break;
                case 2: threshold = r.UInt32("threshold"); break;
                default: r.Skip(); break;
            }
        return new Governance(keys.ToArray(), threshold);
    }

    private static GovernanceSignature ReadSignature(WireReader r)
    {
        uint index = 0;
        ReadOnlyMemory<byte> sig = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: index = r.UInt32("key_index"); break;
                case 2: sig = r.Bytes("signature"); break;
                default: r.Skip(); break;
            }
        return new GovernanceSignature(index, sig);
    }

    public static void Statement(WireWriter w, PublishedStatement d)
    {
        w.String(1, d.Name); w.UInt32(2, d.Version); w.Bytes(3, d.Hash.Span); w.String(4, d.Text);
    }

    public static PublishedStatement ReadStatement(WireReader r)
    {
        string name = "", text = "";
        uint version = 0;
        ReadOnlyMemory<byte> hash = default;
        while (r.Next())
            switch (r.Field)
            {
                case 1: name = r.String("name"); break;
                case 2: version = r.UInt32("version"); break;
                case 3: hash = r.Bytes("hash"); break;
                case 4: text = r.String("text"); break;
                default: r.Skip(); break;
            }
        return new PublishedStatement(name, version, hash, text);
    }
}
