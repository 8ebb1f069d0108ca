using System.Security.Cryptography;
using DVV.ZkRisk.Crypto;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The public count weight chi of selection.v4 and sum.v3 (circuits/): each band's selected point is
/// G_isb = lam_is (C_ib + chi Z_ib) + rho_isb B~, so an LSV cell's sum opens to LSV + chi n and carries its contributor
/// count without a second point. chi = SHA-512("DVV.ZkRisk/count-weight v1") mod l, a constant, so parts issued in
/// different epochs sum together. Why a claimed count cannot differ from the true one: circuits/sum.v3.json (the 2-D
/// lattice {(c, v): v = chi c mod l} has no non-zero vector with |c| &lt; 2^32 and |v| &lt; 2^64; its shortest has norm
/// 2^125.19, recomputed by CountWeightTests).
/// </summary>
internal static class CountWeight
{
    public const string Label = "DVV.ZkRisk/count-weight v1";

    public static readonly Scalar Chi = Scalar.FromBytesWide(SHA512.HashData(System.Text.Encoding.ASCII.GetBytes(Label)));

    /// <summary>C_b + chi Z_b per band: the bases of one trader's selection proofs (public points, variable time).</summary>
    public static RistrettoPoint[] CombinedBases(ReadOnlySpan<RistrettoPoint> shortCommitments, ReadOnlySpan<RistrettoPoint> shortIndicators)
    {
        var bases = new RistrettoPoint[shortCommitments.Length];
        for (int b = 0; b < bases.Length; b++) bases[b] = shortCommitments[b] + RistrettoPoint.VartimeDoubleScalarMulBase(Chi, shortIndicators[b], Scalar.Zero);
        return bases;
    }

    /// <summary>T' = T - chi n B: an LSV cell's commitment sum with its claimed count taken out (it opens to the value).</summary>
    public static RistrettoPoint WithoutCount(in RistrettoPoint cellSum, ulong count) => cellSum - PedersenGens.Default.MulValueBase(Chi * Scalar.FromUInt64(count));
}
