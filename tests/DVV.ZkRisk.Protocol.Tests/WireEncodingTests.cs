
using DVV.ZkRisk.Protocol.Codec;
using Google.Protobuf;
using W = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// The protocol's own encoder and decoder against Google.Protobuf as the oracle: bytes a protobuf encoder wrote decode
/// and re-encode to the same bytes (so the bundle hash, the parameter hash and the notice digest are unchanged), on the
/// bundles of an earlier main, on fresh epochs and on random messages that reach every field, default and sign.
/// </summary>
[Collection("epochs")]
public sealed class WireEncodingTests(EpochFixture fx)
{
    private static readonly string Fixtures = Path.Combine(RepoRoot(), "tests", "fixtures", "bundles-7b8876b");

    private static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "DVV.ZkRisk.sln"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("DVV.ZkRisk.sln");
    }

    [Theory]
    [InlineData("epoch-000001.bundle")]
    [InlineData("epoch-000002.bundle")]
    public void Fixture_bundles_decode_and_re_encode_to_their_bytes(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, file));
        Assert.Equal(bytes, W.EpochBundle.Parser.ParseFrom(bytes).ToByteArray());   // the oracle agrees the file is canonical
        var b = WireCodec.DecodeBundle(bytes);
        Assert.Equal(bytes, WireCodec.Encode(b));
        Assert.True(b.Submissions.Count > 0 && b.Selections.Count > 0 && b.Aggregates.Count > 0);
    }

    [Fact]
    public void Fixture_opening_notice_and_admission_re_encode_to_their_bytes()
    {
        var t = Path.Combine(Fixtures, "traders");
        var opening = File.ReadAllBytes(Path.Combine(t, "vault-000.opening"));
        Assert.Equal(W.Opening.Parser.ParseFrom(opening).ToByteArray(), WireCodec.Encode(WireCodec.DecodeOpening(opening)));
        var notice = File.ReadAllBytes(Path.Combine(t, "vault-000.e2.notice"));
        Assert.Equal(W.MarginNotice.Parser.ParseFrom(notice).ToByteArray(), WireCodec.Encode(WireCodec.DecodeNotice(notice)));
        var admission = File.ReadAllBytes(Path.Combine(t, "vault-000.admission"));
        Assert.Equal(W.Admission.Parser.ParseFrom(admission).ToByteArray(), WireCodec.Encode(WireCodec.DecodeAdmission(admission)));
    }

    [Fact]
    public void Fresh_bundles_of_both_kinds_re_encode_to_the_protobuf_bytes()
    {
        foreach (var b in new[] { fx.E1.Bundle, fx.E2.Bundle })
        {
            var bytes = WireCodec.Encode(b);
            Assert.Equal(W.EpochBundle.Parser.ParseFrom(bytes).ToByteArray(), bytes);   // protobuf writes the same bytes
            Assert.Equal(bytes, WireCodec.Encode(WireCodec.DecodeBundle(bytes)));
        }
    }

    [Fact]
    public void The_sealers_one_pass_encoding_is_protobufs_and_its_hash_is_over_protobufs_bytes_without_the_hash()
    {
        foreach (var sealed_ in new[] { fx.E1, fx.E2 })
        {
            var bytes = sealed_.Encoding;
            Assert.Equal(sealed_.BundleBytes, bytes.Length);
            var m = W.EpochBundle.Parser.ParseFrom(bytes);
            Assert.Equal(m.ToByteArray(), bytes);                        // hash spliced in where protobuf writes field 11
            Assert.Equal(WireCodec.Encode(sealed_.Bundle), bytes);
            m.BundleHash = Google.Protobuf.ByteString.Empty;
            using var h = new DVV.ZkRisk.Protocol.Submissions.CanonicalHash(DVV.ZkRisk.Protocol.Sealing.BundleFormat.BundleDomain);
            h.Bytes(m.ToByteArray());
            Assert.Equal(sealed_.Bundle.BundleHash.ToArray(), h.Finish());
        }
    }

    [Fact]
    public void Random_messages_reaching_every_field_re_encode_to_the_protobuf_bytes()
    {
        var rng = new Random(20261203);
        for (int i = 0; i < 300; i++)
        {
            var p = RandomParameters(rng);
            Assert.Equal(p.ToByteArray(), WireCodec.Encode(WireCodec.DecodeParameters(p.ToByteArray())));
            var info = new W.EpochInfo
            {
                Epoch = (ulong)rng.NextInt64(), Status = (W.EpochStatus)rng.Next(4), Parameters = rng.Next(3) == 0 ? null : p,
                ParameterHash = Bytes(rng, 32), BandGrid = p.BandGrid, VenueHpkePublicKey = Bytes(rng, 32), OpenedAtUnixMs = -rng.NextInt64(),
                RangeTranscriptLabel = rng.Next(2) == 0 ? "" : "dvv.zkrisk.v1/submission-range ü", HpkeInfo = "x",
            };
            info.Statements.Add(new W.StatementDefinition { Name = "selection", Version = (uint)rng.Next(5), Hash = Bytes(rng, 32), Text = "{}" });
            Assert.Equal(info.ToByteArray(), WireCodec.Encode(WireCodec.DecodeEpochInfo(info.ToByteArray())));
            var n = new W.MarginNotice
            {
                Epoch = (ulong)rng.Next(), TraderPublicKey = Bytes(rng, 32), InitialMargin = rng.Next(2) == 0 ? "" : "12.50", Cavb = "0.00",
                Unvalued = rng.Next(2) == 0, SelectionEpoch = (ulong)rng.NextInt64(), VenueSignature = Bytes(rng, rng.Next(65)),
            };
            for (int k = rng.Next(6); k > 0; k--) n.LiquidationFlags.Add(rng.Next(2) == 0);
            for (int k = rng.Next(4); k > 0; k--) n.SelectionOpenings.Add(new W.Scalar { Data = ByteString.CopyFrom(Crypto.Scalar.Random().ToBytes()) });
            Assert.Equal(n.ToByteArray(), WireCodec.Encode(WireCodec.DecodeNotice(n.ToByteArray())));
            var r = new W.Receipt { Epoch = (ulong)rng.Next(2), Sequence = ulong.MaxValue - (ulong)rng.Next(), ReceivedAtUnixMs = rng.NextInt64() - rng.NextInt64(), ReplacedPrevious = rng.Next(2) == 0, VenueSignature = Bytes(rng, 64) };
            Assert.Equal(r.ToByteArray(), WireCodec.Encode(WireCodec.DecodeReceipt(r.ToByteArray())));
        }
    }

    private static ByteString Bytes(Random rng, int n) { var b = new byte[n]; rng.NextBytes(b); return ByteString.CopyFrom(b); }

    private static double D(Random rng) => rng.Next(8) switch
    {
        0 => 0.0, 1 => -0.0, 2 => double.NaN, 3 => double.NegativeInfinity, 4 => double.Epsilon, _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 9)),
    };

    private static W.ParameterSet RandomParameters(Random rng)
    {
        var p = new W.ParameterSet
        {
            Version = (uint)rng.Next(3), ReferenceForward = D(rng), ValuationTimeUnixMs = rng.NextInt64() - rng.NextInt64(),
            RangeBits = (uint)rng.Next(2) * 64, KMin = (uint)rng.Next(300), ContractScale = (ulong)rng.NextInt64(),
            RiskParameters = Bytes(rng, rng.Next(3) * 40), CheckpointInterval = (uint)rng.Next(2) * (uint)rng.Next(),
            CommitteeId = Bytes(rng, rng.Next(2) * 32), CoverSeedCommitment = Bytes(rng, 32), VenueSigningKey = Bytes(rng, rng.Next(2) * 32),
        };
        if (rng.Next(3) > 0)
        {
            p.BandGrid = new W.BandGrid { MoneynessBandWidth = D(rng), MoneynessBandCount = (uint)rng.Next(9), BandCount = (uint)rng.Next(64), Source = rng.Next(2) == 0 ? "" : "risk-engine" };
            for (int k = rng.Next(4); k > 0; k--) p.BandGrid.ExpiryBucketEdgesDays.Add(D(rng));
        }
        for (int k = rng.Next(9); k > 0; k--) p.LsfShocks.Add(D(rng));
        if (rng.Next(3) > 0)
        {
            p.Market = new W.Market { AsOfUnixMs = rng.NextInt64(), Spot = D(rng), Rate = D(rng), Carry = D(rng), DepthCoins = D(rng), ClearingFundUsd = D(rng) };
            for (int k = rng.Next(4); k > 0; k--)
                p.Market.Surface.Add(new W.SviSliceParams { ExpiryYears = D(rng), A = D(rng), B = D(rng), Rho = D(rng), M = D(rng), Sigma = D(rng) });
        }
        if (rng.Next(2) == 0)
        {
            p.Governance = new W.Governance { Threshold = (uint)rng.Next(4) };
            for (int k = rng.Next(4); k > 0; k--) p.Governance.Keys.Add(Bytes(rng, rng.Next(2) * 32));
        }
        for (int k = rng.Next(3); k > 0; k--) p.OnboardingKeys.Add(Bytes(rng, 32));
        for (int k = rng.Next(3); k > 0; k--) p.GovernanceSignatures.Add(new W.GovernanceSignature { KeyIndex = (uint)rng.Next(3), Signature = Bytes(rng, 64) });
        return p;
    }
}
