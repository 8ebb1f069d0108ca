using System.Runtime.CompilerServices;
using DVV.ZkRisk.Crypto.Field;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// A point of the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates
/// (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z (Hisil, Wong, Carter, Dawson 2008). The group law is
/// complete for a = -1 and non-square d, so no input needs a special case.
/// </summary>
internal readonly struct EdwardsPoint
{
    public readonly FieldElement X, Y, Z, T;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EdwardsPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x; Y = y; Z = z; T = t;
    }

    public static EdwardsPoint Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectiveNielsPoint ToProjectiveNiels()
        => new(Y + X, Y - X, Z, T * FieldConstants.D2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectivePoint ToProjective() => new(X, Y, Z);

    /// <summary>Affine Niels form (y+x, y-x, 2dxy); costs one inversion, so only for precomputed tables.</summary>
    public AffineNielsPoint ToAffineNiels()
    {
        FieldElement zInv = FieldElement.Invert(Z);
        FieldElement x = X * zInv, y = Y * zInv;
        return new AffineNielsPoint(y + x, y - x, x * y * FieldConstants.D2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdwardsPoint Add(in EdwardsPoint p, in ProjectiveNielsPoint q) => CompletedPoint.Add(p, q).ToExtended();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdwardsPoint Sub(in EdwardsPoint p, in ProjectiveNielsPoint q) => CompletedPoint.Sub(p, q).ToExtended();

    public static EdwardsPoint Add(in EdwardsPoint p, in EdwardsPoint q) => Add(p, q.ToProjectiveNiels());

    public static EdwardsPoint Sub(in EdwardsPoint p, in EdwardsPoint q) => Sub(p, q.ToProjectiveNiels());

    public EdwardsPoint Double() => ToProjective().Double().ToExtended();

    /// <summary>[2^k]P with k doublings kept in projective form until the last one.</summary>
    public EdwardsPoint MulByPow2(int k)
    {
        ProjectivePoint r = ToProjective();
        for (int i = 0; i < k - 1; i++) r = r.Double().ToProjective();
        return r.Double().ToExtended();
    }

    public EdwardsPoint Negate() => new(-X, Y, Z, -T);

    public static EdwardsPoint Select(in EdwardsPoint a, in EdwardsPoint b, int choice)
        => new(FieldElement.Select(a.X, b.X, choice), FieldElement.Select(a.Y, b.Y, choice),
               FieldElement.Select(a.Z, b.Z, choice), FieldElement.Select(a.T, b.T, choice));
}

/// <summary>(X:Y:Z) with x = X/Z, y = Y/Z: the cheapest form to double in.</summary>
internal readonly struct ProjectivePoint
{
    public readonly FieldElement X, Y, Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectivePoint(in FieldElement x, in FieldElement y, in FieldElement z) { X = x; Y = y; Z = z; }

    /// <summary>Doubling "dbl-2008-hwcd" for a = -1, output in completed coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CompletedPoint Double()
    {
        FieldElement xx = FieldElement.Square(X);
        FieldElement yy = FieldElement.Square(Y);
        FieldElement zz = FieldElement.Square(Z);
        FieldElement zz2 = zz + zz;
        FieldElement xPlusYSq = FieldElement.Square(X + Y);
        FieldElement yyPlusXx = yy + xx;
        FieldElement yyMinusXx = yy - xx;
        return new CompletedPoint(xPlusYSq - yyPlusXx, yyPlusXx, yyMinusXx, zz2 - yyMinusXx);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EdwardsPoint ToExtended() => new(X * Z, Y * Z, Z * Z, X * Y);
}

/// <summary>((X:Z),(Y:T)) with x = X/Z, y = Y/T: the output of additions and doublings before normalisation.</summary>
internal readonly struct CompletedPoint
{
    public readonly FieldElement X, Y, Z, T;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CompletedPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t) { X = x; Y = y; Z = z; T = t; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EdwardsPoint ToExtended() => new(X * T, Y * Z, Z * T, X * Y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectivePoint ToProjective() => new(X * T, Y * Z, Z * T);

    /// <summary>"add-2008-hwcd-3" (a = -1) with the second point cached as (Y+X, Y-X, Z, 2dT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Add(in EdwardsPoint p, in ProjectiveNielsPoint q)
    {
        FieldElement pp = (p.Y + p.X) * q.YPlusX;
        FieldElement mm = (p.Y - p.X) * q.YMinusX;
        FieldElement tt2d = p.T * q.T2d;
        FieldElement zz = p.Z * q.Z;
        FieldElement zz2 = zz + zz;
        return new CompletedPoint(pp - mm, pp + mm, zz2 + tt2d, zz2 - tt2d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Sub(in EdwardsPoint p, in ProjectiveNielsPoint q)
    {
        FieldElement pp = (p.Y + p.X) * q.YMinusX;
        FieldElement mm = (p.Y - p.X) * q.YPlusX;
        FieldElement tt2d = p.T * q.T2d;
        FieldElement zz = p.Z * q.Z;
        FieldElement zz2 = zz + zz;
        return new CompletedPoint(pp - mm, pp + mm, zz2 - tt2d, zz2 + tt2d);
    }

    /// <summary>Mixed addition with an affine Niels point (Z = 1), "madd-2008-hwcd-3".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompletedPoint Add(in EdwardsPoint p, in AffineNielsPoint q)
    {
        FieldElement pp = (p.Y + p.X) * q.YPlusX;
        FieldElement mm = (p.Y - p.X) * q.YMinusX;
        FieldElement txy2d = p.T * q.XY2d;
        FieldElement z2 = p.Z + p.Z;
        return new CompletedPoint(pp - mm, pp + mm, z2 + txy2d, z2 - txy2d);
    }
}

/// <summary>Cached form (Y+X, Y-X, Z, 2dT) of an extended point, for repeated additions.</summary>
internal readonly struct ProjectiveNielsPoint
{
    public readonly FieldElement YPlusX, YMinusX, Z, T2d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectiveNielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement z, in FieldElement t2d)
    {
        YPlusX = yPlusX; YMinusX = yMinusX; Z = z; T2d = t2d;
    }

    public static ProjectiveNielsPoint Identity => new(FieldElement.One, FieldElement.One, FieldElement.One, FieldElement.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectiveNielsPoint Negate() => new(YMinusX, YPlusX, Z, -T2d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ProjectiveNielsPoint Select(in ProjectiveNielsPoint a, in ProjectiveNielsPoint b, int choice)
        => new(FieldElement.Select(a.YPlusX, b.YPlusX, choice), FieldElement.Select(a.YMinusX, b.YMinusX, choice),
               FieldElement.Select(a.Z, b.Z, choice), FieldElement.Select(a.T2d, b.T2d, choice));

    /// <summary>Negates when choice = 1, without branching: swap the first two coordinates, negate the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProjectiveNielsPoint ConditionalNegate(int choice)
        => new(FieldElement.Select(YPlusX, YMinusX, choice), FieldElement.Select(YMinusX, YPlusX, choice),
               Z, FieldElement.ConditionalNegate(T2d, choice));
}

/// <summary>Cached affine form (y+x, y-x, 2dxy) used in precomputed basepoint tables.</summary>
internal readonly struct AffineNielsPoint
{
    public readonly FieldElement YPlusX, YMinusX, XY2d;

    public AffineNielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement xy2d)
    {
        YPlusX = yPlusX; YMinusX = yMinusX; XY2d = xy2d;
    }

    public static AffineNielsPoint Identity => new(FieldElement.One, FieldElement.One, FieldElement.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AffineNielsPoint Select(in AffineNielsPoint a, in AffineNielsPoint b, int choice)
        => new(FieldElement.Select(a.YPlusX, b.YPlusX, choice), FieldElement.Select(a.YMinusX, b.YMinusX, choice),
               FieldElement.Select(a.XY2d, b.XY2d, choice));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AffineNielsPoint ConditionalNegate(int choice)
        => new(FieldElement.Select(YPlusX, YMinusX, choice), FieldElement.Select(YMinusX, YPlusX, choice),
               FieldElement.ConditionalNegate(XY2d, choice));
}
