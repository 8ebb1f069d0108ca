using System.Numerics;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// lam_is for one trader over the LSF shocks, as a bit mask: bit s set when the trader is liquidated
/// under shock s, i.e. equity + PnL_i(s) &lt; MM_i(s) (DESIGN.md 2, step 4). The epoch sealer turns
/// these bits into selection commitments D_isb = lam_is C_ib + rho B_blinding.
/// </summary>
public readonly record struct LiquidationFlags(uint Mask, int ShockCount)
{
    public bool this[int s] => (uint)s < (uint)ShockCount ? ((Mask >> s) & 1) != 0 : throw new ArgumentOutOfRangeException(nameof(s));
    /// <summary>lam_is as 0/1.</summary>
    public int Lambda(int s) => this[s] ? 1 : 0;
    public bool Any => Mask != 0;
    public int Count => BitOperations.PopCount(Mask);
    public static LiquidationFlags None(int shockCount) => new(0, shockCount);
    public static LiquidationFlags All(int shockCount) => new(shockCount >= 32 ? uint.MaxValue : (1u << shockCount) - 1, shockCount);

    /// <summary>Bits in shock order, e.g. "111000000000" (shock 0 first).</summary>
    public override string ToString()
    {
        var c = new char[ShockCount];
        for (int s = 0; s < c.Length; s++) c[s] = ((Mask >> s) & 1) != 0 ? '1' : '0';
        return new string(c);
    }
}
