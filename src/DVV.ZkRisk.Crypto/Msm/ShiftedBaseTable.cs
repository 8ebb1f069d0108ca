using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The shifted copies 2^(w k) G of a fixed generator G for k = 0..Positions-1 (w = <see cref="Window"/>), in affine
/// Niels form, for <see cref="FixedBasePippenger"/>: with them, digit k of a scalar's signed radix-2^w expansion can
/// be added into a shared bucket directly, so one bucket pass (no doublings, one bucket combination) serves every
/// digit position. Memory: 23 * 96 bytes = 2.2 KiB per generator.
/// </summary>
internal sealed class ShiftedBaseTable
{
    /// <summary>Window of the signed digits; 2^(w-1) = 2048 buckets (320 KiB of extended points) stay in the per-core cache.</summary>
    public const int Window = 12;
    /// <summary>ceil(256 / w) digits plus the possible final carry of the signed recoding.</summary>
    public const int Positions = (256 + Window - 1) / Window + 1;

    public readonly AffineNielsPoint[] Shifted = new AffineNielsPoint[Positions];

    public ShiftedBaseTable(in EdwardsPoint g)
    {
        Span<EdwardsPoint> ext = stackalloc EdwardsPoint[Positions];
        ext[0] = g;
        for (int k = 1; k < Positions; k++) ext[k] = ext[k - 1].MulByPow2(Window);
        AffineBatch.ToAffineNiels(ext, Shifted);
    }
}
