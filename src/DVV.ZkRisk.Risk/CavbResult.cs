namespace DVV.ZkRisk.Risk;

/// <summary>CAVB of one trader or cluster (a struct; the hot path allocates nothing).</summary>
/// <param name="Cavb">CAVB_i = max(0, max_s alpha S0 v_i(s) P(I(s))), USD</param>
/// <param name="BindingShock">the shock s that sets it (-1 when zero)</param>
public readonly record struct CavbResult(double Cavb, int BindingShock);

/// <summary>One shock's terms of the CAVB formula (DESIGN.md 4).</summary>
/// <param name="Index">s</param>
/// <param name="Shock">spot and vol shock</param>
/// <param name="Lambda">lam_is</param>
/// <param name="OwnForcedVolume">v_i(s) = lam_is Sum_b h_b(s) S_ib, coins</param>
/// <param name="ForcedVolume">V(s) = Sum_b h_b(s) LSV_sb, coins</param>
/// <param name="Impact">I(s) = V(s) / D</param>
/// <param name="Multiplier">P(I(s)) = min(P_max, exp(kappa_eff I) - 1)</param>
/// <param name="Cavb">alpha S0 v_i(s) P(I(s)), USD</param>
public sealed record CavbLine(int Index, LsfShock Shock, int Lambda, double OwnForcedVolume, double ForcedVolume, double Impact, double Multiplier, double Cavb);

/// <summary>CAVB with its per-shock terms (allocating; notices, CLI, tests).</summary>
public sealed record CavbBreakdown(CavbResult Result, double KappaEffective, IReadOnlyList<CavbLine> Lines);
