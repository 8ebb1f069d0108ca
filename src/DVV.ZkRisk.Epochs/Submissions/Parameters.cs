using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Signing;
using Google.Protobuf;

namespace DVV.ZkRisk.Epochs.Submissions;

public static class Parameters
{
    /// <summary>The default parameter set (DESIGN.md section 4): expiry edges 1, 7, 30 days x 8 log-moneyness bands of width 0.05.</summary>
    public static ParameterSet Default(double referenceForward, DateTimeOffset valuationTime)
    {
        var p = new ParameterSet
        {
            Version = 1,
            BandGrid = new BandGrid
            {
                ExpiryBucketEdgesDays = { 1, 7, 30 },
                MoneynessBandWidth = 0.05,
                MoneynessBandCount = 8,
                BandCount = 32,
                Source = "parameter-set",
            },
            ReferenceForward = referenceForward,
            ValuationTimeUnixMs = valuationTime.ToUnixTimeMilliseconds(),
            RangeBits = 64,
            KMin = 5,
            ContractScale = 10_000,
        };
        for (int i = 0; i < 12; i++) p.LsfShocks.Add(Math.Round(-0.30 + i * (0.60 / 11), 6));
        return p;
    }

    /// <summary>Signs the set with the governance key (in v1 the venue's key).</summary>
    public static ParameterSet Sign(ParameterSet p, Ed25519PrivateKey governance)
    {
        var s = p.Clone();
        s.GovernancePublicKey = ByteString.CopyFrom(governance.PublicKey.ToBytes());
        s.Signature = ByteString.Empty;
        s.Signature = ByteString.CopyFrom(governance.Sign(SubmissionDigest.ParameterSet(s)));
        return s;
    }
}
