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
        // Decoded points (the verifier's) are already affine, Z = 1 exactly: they take one multiplication and stay
        // out of the product (variable time on public points).
        FieldElement[]? rented = n <= 128 ? null : System.Buffers.ArrayPool<FieldElement>.Shared.Rent(n);
        Span<FieldElement> prefix = rented is null ? stackalloc FieldElement[n] : rented.AsSpan(0, n);
        FieldElement acc = FieldElement.One;
        bool anyProjective = false;
        for (int i = 0; i < n; i++)
        {
            prefix[i] = acc;
            if (!IsOne(src[i].Z)) { acc *= src[i].Z; anyProjective = true; }
        }
        FieldElement inv = anyProjective ? FieldElement.Invert(acc) : FieldElement.One;
        for (int i = n - 1; i >= 0; i--)
        {
            if (IsOne(src[i].Z))
            {
                dst[i] = new AffineNielsPoint(src[i].Y + src[i].X, src[i].Y - src[i].X, src[i].T * FieldConstants.D2);
                continue;
            }
            FieldElement zInv = inv * prefix[i];
            inv *= src[i].Z;
            FieldElement x = src[i].X * zInv, y = src[i].Y * zInv;
            dst[i] = new AffineNielsPoint(y + x, y - x, x * y * FieldConstants.D2);
        }
        if (rented is not null) System.Buffers.ArrayPool<FieldElement>.Shared.Return(rented);
    }

    /// <summary>Exactly the limbs of 1 (public data only: this is a variable-time test).</summary>
    private static bool IsOne(in FieldElement z) => z.L0 == 1 && (z.L1 | z.L2 | z.L3 | z.L4) == 0;

    private static readonly FieldElement Half = FieldElement.Invert(FieldElement.One + FieldElement.One);

    /// <summary>
    /// The extended point (x, y, 1, xy) of an affine Niels q = (y+x, y-x, 2dxy), negated when <paramref name="negate"/>:
    /// x = ((y+x) - (y-x))/2, y = ((y+x) + (y-x))/2; three multiplications instead of an addition to the identity (7).
    /// </summary>
    public static EdwardsPoint ToExtended(in AffineNielsPoint q, bool negate)
    {
        FieldElement x = (q.YPlusX - q.YMinusX) * Half, y = (q.YPlusX + q.YMinusX) * Half;
        if (negate) x = -x;
        return new EdwardsPoint(x, y, FieldElement.One, x * y);
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
