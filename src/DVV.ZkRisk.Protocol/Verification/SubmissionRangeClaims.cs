using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Submissions;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>One range proof a submission carries: its field name, the wire proof, the bit width and value count it must
/// have, its transcript context and the points it is checked against.</summary>
internal sealed record SubmissionRangeClaim(string Field, Records.AggregatedRangeProof? Proof, int Bits, int Count, RangeProofContext Context, RistrettoPoint[] Points)
{
    /// <summary>The claim as a statement of a range-proof batch: the proof decoded on its own transcript over the points.
    /// Null, and why in <paramref name="error"/>, when the proof is missing, has another width or count, or does not decode.</summary>
    public RangeProofStatement? Statement(out string? error)
    {
        if (Proof?.Proof is null || Proof.BitSize != Bits || Proof.ValueCount != Count)
        { error = $"must be one {Bits}-bit proof over {Count} values"; return null; }
        error = null;
        return new RangeProofStatement(Proof.Proof, RangeTranscript.Create(Context), Points, Bits);
    }
}

/// <summary>
/// The range proofs of a submission, defined once for the gateway, the verifier and the benchmarks: the exposure proof over
/// C_b - Z_b (every v_b - z_b in [0, 2^bits), circuits/range.v2.json), the indicator proof over Z_b and B - Z_b
/// (z_b and 1 - z_b in [0, 2^8), circuits/indicator.v1.json), short bands then long bands, and, when the submission
/// commits to its collateral (circuits/flag.v1.json), the collateral proof over CE_usd and CE_coin (both in [0, 2^64)).
/// </summary>
internal static class SubmissionRangeClaims
{
    /// <summary>Bit width of the collateral proof.</summary>
    public const int CollateralBits = 64;

    public static SubmissionRangeClaim[] Of(Records.Submission s, RistrettoPoint[] shortC, RistrettoPoint[] longC, RistrettoPoint[] shortZ, RistrettoPoint[] longZ,
        byte[] statementHash, int rangeBits)
    {
        int bands = shortC.Length;
        var ctx = new RangeProofContext(s.Epoch, s.ParameterHash.ToArray(), s.TraderPublicKey.ToArray(), statementHash);
        var shifted = new RistrettoPoint[2 * bands];
        var ind = new RistrettoPoint[4 * bands];
        for (int b = 0; b < bands; b++)
        {
            shifted[b] = shortC[b] - shortZ[b]; shifted[bands + b] = longC[b] - longZ[b];
            ind[b] = shortZ[b]; ind[bands + b] = longZ[b];
            ind[2 * bands + b] = RistrettoPoint.Basepoint - shortZ[b]; ind[3 * bands + b] = RistrettoPoint.Basepoint - longZ[b];
        }
        SubmissionRangeClaim range = new("range_proof", s.RangeProof, rangeBits, 2 * bands, ctx, shifted);
        SubmissionRangeClaim indicators = new("indicator_proof", s.IndicatorProof, TraderSdk.IndicatorBits, 4 * bands, ctx.ForIndicators(), ind);
        if (!s.HasCollateral) return [range, indicators];
        return [range, indicators, new("collateral_proof", s.CollateralProof, CollateralBits, 2, ctx.ForCollateral(), [s.CollateralUsd!.Value.Point, s.CollateralCoin!.Value.Point])];
    }
}
