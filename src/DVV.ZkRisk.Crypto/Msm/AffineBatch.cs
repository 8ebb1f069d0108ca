using System.Runtime.CompilerServices;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>Helpers for affine Niels points in variable-time code (public points only).</summary>
internal static class AffineBatch
{
    /// <summary>
    /// Converts extended points to affine Niels form (y+x, y-x, 2dxy) with one field inversion for the
    /// whole span (Montgomery's trick: prefix products, one inversion, then back-substitution: 3 multiplications
    /// per point instead of an inversion each).
    /// </summary>
    public static void ToAffineNiels(ReadOnlySpan<EdwardsPoint> src, Span<AffineNielsPoint> dst)
    {
        int n = src.Length;
        if (n == 0) return;
        FieldElement[]? rented = n <= 128 ? null : System.Buffers.ArrayPool<FieldElement>.Shared.Rent(n);
        Span<FieldElement> prefix = rented is null ? stackalloc FieldElement[n] : rented.AsSpan(0, n);
        FieldElement acc = FieldElement.One;
        for (int i = 0; i < n; i++) { prefix[i] = acc; acc *= src[i].Z; }
        FieldElement inv = FieldElement.Invert(acc);
        for (int i = n - 1; i >= 0; i--)
        {
            FieldElement zInv = inv * prefix[i];
            inv *= src[i].Z;
            FieldElement x = src[i].X * zInv, y = src[i].Y * zInv;
            dst[i] = new AffineNielsPoint(y + x, y - x, x * y * FieldConstants.D2);
        }
        if (rented is not null) System.Buffers.ArrayPool<FieldElement>.Shared.Return(rented);
    }

    /// <summary>p - q for an affine Niels q ("madd-2008-hwcd-3" with q negated: swap y+x and y-x, negate 2dxy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Sub(in EdwardsPoint p, in AffineNielsPoint q)
    {
        FieldElement pp = (p.Y + p.X) * q.YMinusX;
        FieldElement mm = (p.Y - p.X) * q.YPlusX;
        FieldElement txy2d = p.T * q.XY2d;
        FieldElement z2 = p.Z + p.Z;
        return new CompletedPoint(pp - mm, pp + mm, z2 - txy2d, z2 + txy2d);
    }

    /// <summary>Projective (X:Y:Z) to extended, for returning a Straus chain's result (4 multiplications).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdwardsPoint ToExtended(in ProjectivePoint r) => new(r.X * r.Z, r.Y * r.Z, r.Z * r.Z, r.X * r.Y);
}
