using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The public integer weights w_sb = round(h_b(s) * 2^16) that fold the withheld LSV cells of a shock into one proven
/// remainder W_s = Sum_{b withheld} w_sb LSV_sb (DESIGN.md 4: V(s) = Sum_b h_b(s) LSV_sb). h_b(s) is |delta| of band b's
/// representative option under shock s, computed by the CAVB engine from the epoch's public parameters and market, so
/// 0 &lt;= w_sb &lt;= 2^16. The bundle carries the weights it used (floating-point results may differ in the last bit
/// between machines); a verifier accepts each within <see cref="Tolerance"/> of its own.
/// </summary>
internal static class LsfWeights
{
    public const int Tolerance = 1;

    public static uint[] Compute(DVV.ZkRisk.Risk.ParameterSet risk, MarketSnapshot market)
    {
        var cavb = new MarginCalculator(MarginContext.ForBooks(risk, market, [])).Cavb;
        int shocks = risk.ShockCount, bands = risk.TotalBands;
        var w = new uint[shocks * bands];
        for (int s = 0; s < shocks; s++)
            for (int b = 0; b < bands; b++)
            {
                double h = cavb.H(s, b);
                w[s * bands + b] = (uint)Math.Clamp(Math.Round(h * BundleFormat.LsfWeightScale), 0, BundleFormat.LsfWeightScale);
            }
        return w;
    }
}
