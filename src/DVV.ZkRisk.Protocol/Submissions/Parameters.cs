using DVV.ZkRisk.Api.V1;
using Google.Protobuf;

namespace DVV.ZkRisk.Protocol.Submissions;

public static class Parameters
{
    /// <summary>The protobuf parameter set of an epoch from the risk engine's parameter set and the epoch's market: the band
    /// grid, k_min and the LSF shocks are the risk engine's; the reference forward is the spot (carry moves F(T)).</summary>
    public static ParameterSet Create(DVV.ZkRisk.Risk.ParameterSet risk, DVV.ZkRisk.Risk.MarketSnapshot market, int rangeBits = 64, uint checkpointInterval = 8)
    {
        risk.Validate();
        var grid = new DVV.ZkRisk.Risk.BandGrid(risk);
        var p = new ParameterSet
        {
            Version = (uint)risk.Version,
            BandGrid = new BandGrid
            {
                MoneynessBandWidth = risk.BandWidth,
                MoneynessBandCount = (uint)risk.BandCount,
                BandCount = (uint)grid.Count,
                Source = "risk-engine",
            },
            ReferenceForward = market.Spot,
            ValuationTimeUnixMs = market.AsOf.ToUnixTimeMilliseconds(),
            RangeBits = (uint)rangeBits,
            KMin = (uint)risk.KMin,
            ContractScale = 10_000,
            RiskParameters = ByteString.CopyFrom(risk.ToCanonicalJson()),
            Market = RiskBinding.RiskBridge.ToProto(market),
            CheckpointInterval = checkpointInterval,
        };
        p.BandGrid.ExpiryBucketEdgesDays.Add(risk.ExpiryBucketEdgesDays);
        p.LsfShocks.Add(risk.LsfSpotShocks);
        return p;
    }

    /// <summary>Commits <paramref name="p"/> to the epoch's cover seed (a per-epoch field: the governance signatures stay valid).</summary>
    public static ParameterSet WithCoverSeed(ParameterSet p, ReadOnlySpan<byte> coverSeed)
    {
        var s = p.Clone();
        s.CoverSeedCommitment = ByteString.CopyFrom(Sealing.CoverSet.Commitment(coverSeed));
        return s;
    }

    /// <summary>Governs <paramref name="p"/> by <paramref name="authorities"/> and commits it to the epoch's cover seed.</summary>
    public static ParameterSet Seal(ParameterSet p, Trust.EpochAuthorities authorities, ReadOnlySpan<byte> coverSeed)
    {
        var s = authorities.Govern(p);
        s.CoverSeedCommitment = ByteString.CopyFrom(Sealing.CoverSet.Commitment(coverSeed));   // per-epoch field: not governed
        return s;
    }
}
