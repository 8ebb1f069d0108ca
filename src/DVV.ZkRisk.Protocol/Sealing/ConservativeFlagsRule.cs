using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;

using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The named rule for a book the risk engine cannot value (issue 17 item 7): the trader is flagged liquidation-sensitive in
/// every shock (lambda_is = 1, which can only raise the buffer) and listed in <c>EpochBundle.unvalued</c> with the
/// blindings of its current selection parts, so a verifier checks D_isb = C_ib + rho_isb*B_blinding and
/// E_isb = Z_ib + rho'_isb*B_blinding for every shock s and band b.
/// <para>Soundness: the selection proof already gives D_isb = lambda_is*C_ib + rho*B_blinding with lambda_is a bit. If
/// lambda_is were 0 the check would give C_ib = (rho - rho_isb)*B_blinding, a discrete-log relation between B and
/// B_blinding for any band whose short value is not 0 (for a band of value 0 the indicator is 0 too and lambda changes
/// neither D nor E). Zero knowledge: rho is drawn uniformly and independently of C's opening, so it reveals only lambda,
/// which the rule makes public anyway. No value is involved, so nothing can wrap mod l.</para>
/// <para>What the rule cannot prove: that the book really was unvaluable (the book is secret). A venue that names a
/// valuable trader only raises its own buffer and tells that trader, whose <c>trader check</c> shows it.</para>
/// </summary>
internal static class ConservativeFlagsRule
{
    /// <summary>The bundle entry for <paramref name="trader"/> from the blindings of its current selection parts.</summary>
    internal static ConservativeFlags Reveal(byte[] trader, TraderSecrets secrets, int bands, int shocks)
    {
        var rho = new Scalar[shocks * bands];
        var rhoZ = new Scalar[secrets.Combined ? 0 : shocks * bands];   // selection.v4 has one point per band
        for (int s = 0; s < shocks; s++)
            for (int b = 0; b < bands; b++)
            {
                rho[s * bands + b] = secrets.Rho![s][b];
                if (!secrets.Combined) rhoZ[s * bands + b] = secrets.Rho[s][bands + b];
            }
        return new ConservativeFlags(trader, rho, rhoZ);
    }

    /// <summary>Checks one entry against the trader's current state; null when it holds, else the reason.</summary>
    public static string? Check(ConservativeFlags e, TraderState st, int bands, int shocks, bool combined = false)
    {
        int n = bands * shocks, nz = combined ? 0 : n;
        if (e.Rho.Count != n || e.IndicatorRho.Count != nz)
            return $"needs {n} rho and {nz} indicator rho ({shocks} shocks x {bands} bands), got {e.Rho.Count} and {e.IndicatorRho.Count}";
        if (st.Selected is null || (!combined && st.SelectedIndicators is null)) return "the trader has no selection parts";
        var g = PedersenGens.Default;
        if (combined)
        {
            // selection.v4: G_sb = (C_b + chi Z_b) + rho_sb B~ shows lambda = 1 (a lambda = 0 part gives a discrete log
            // between B and B~ for any band whose short value is not 0; for one of value 0 the combined base is 0 B + ...)
            var bases = CountWeight.CombinedBases(st.Short, st.ShortZ);
            for (int s = 0; s < shocks; s++)
                for (int b = 0; b < bands; b++)
                    if (st.Selected[s][b] != bases[b] + g.MulBlinding(e.Rho[s * bands + b]))
                        return $"shock {s} band {b}: G is not C + chi Z + rho*B_blinding (the part was not issued with lambda = 1)";
            return null;
        }
        for (int s = 0; s < shocks; s++)
            for (int b = 0; b < bands; b++)
            {
                int j = s * bands + b;
                Scalar rho = e.Rho[j], rhoZ = e.IndicatorRho[j];   // canonical: decoded at the edge
                if (st.Selected[s][b] != st.Short[b] + g.MulBlinding(rho))
                    return $"shock {s} band {b}: D is not C + rho*B_blinding (the part was not issued with lambda = 1)";
                if (st.SelectedIndicators[s][b] != st.ShortZ[b] + g.MulBlinding(rhoZ))
                    return $"shock {s} band {b}: E is not Z + rho'*B_blinding (the part was not issued with lambda = 1)";
            }
        return null;
    }
}
