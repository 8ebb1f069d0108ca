using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Submissions;

public static class Parameters
{
    /// <summary>The parameter set of an epoch from the risk engine's parameter set and the epoch's market: the band grid,
    /// k_min and the LSF shocks are the risk engine's; the reference forward is the spot (carry moves F(T)).</summary>
    public static EpochParameters Create(DVV.ZkRisk.Risk.ParameterSet risk, DVV.ZkRisk.Risk.MarketSnapshot market, int rangeBits = 64, uint checkpointInterval = 8)
    {
        risk.Validate();
        var grid = new DVV.ZkRisk.Risk.BandGrid(risk);
        return new EpochParameters
        {
            Version = (uint)risk.Version,
            BandGrid = new BandGridDeclaration
            {
                ExpiryBucketEdgesDays = risk.ExpiryBucketEdgesDays.ToArray(),
                MoneynessBandWidth = risk.BandWidth,
                MoneynessBandCount = (uint)risk.BandCount,
                BandCount = (uint)grid.Count,
                Source = "risk-engine",
            },
            ReferenceForward = market.Spot,
            ValuationTimeUnixMs = market.AsOf.ToUnixTimeMilliseconds(),
            RangeBits = (uint)rangeBits,
            KMin = (uint)risk.KMin,
            LsfShocks = risk.LsfSpotShocks.ToArray(),
            ContractScale = 10_000,
            RiskParameters = risk.ToCanonicalJson(),
            Market = RiskBinding.RiskBridge.ToRecord(market),
            CheckpointInterval = checkpointInterval,
        };
    }

    /// <summary>Commits <paramref name="p"/> to the epoch's cover seed (a per-epoch field: the governance signatures stay valid).</summary>
    public static EpochParameters WithCoverSeed(EpochParameters p, ReadOnlySpan<byte> coverSeed) =>
        p with { CoverSeedCommitment = Sealing.CoverSet.Commitment(coverSeed) };

    /// <summary>Governs <paramref name="p"/> by <paramref name="authorities"/> and commits it to the epoch's cover seed.</summary>
    public static EpochParameters Seal(EpochParameters p, Trust.EpochAuthorities authorities, ReadOnlySpan<byte> coverSeed) =>
        authorities.Govern(p) with { CoverSeedCommitment = Sealing.CoverSet.Commitment(coverSeed) };   // per-epoch field: not governed
}
