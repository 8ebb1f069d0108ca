using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>GF(p^6) = GF(p^2)[v]/(v^3 - xi), xi = 1 + u. Element c0 + c1*v + c2*v^2.</summary>
public readonly struct Fp6 : IEquatable<Fp6>
{
    public readonly Fp2 C0, C1, C2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    public static readonly Fp6 Zero = default;
    public static readonly Fp6 One = new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Fp6 Add(in Fp6 a, in Fp6 b) => new(Fp2.Add(a.C0, b.C0), Fp2.Add(a.C1, b.C1), Fp2.Add(a.C2, b.C2));
    public static Fp6 Sub(in Fp6 a, in Fp6 b) => new(Fp2.Sub(a.C0, b.C0), Fp2.Sub(a.C1, b.C1), Fp2.Sub(a.C2, b.C2));
    public static Fp6 Double(in Fp6 a) => new(Fp2.Double(a.C0), Fp2.Double(a.C1), Fp2.Double(a.C2));
    public static Fp6 Negate(in Fp6 a) => new(Fp2.Negate(a.C0), Fp2.Negate(a.C1), Fp2.Negate(a.C2));

    /// <summary>Karatsuba-style product: 6 GF(p^2) multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Mul(in Fp6 a, in Fp6 b)
    {
        var t0 = Fp2.Mul(a.C0, b.C0);
        var t1 = Fp2.Mul(a.C1, b.C1);
        var t2 = Fp2.Mul(a.C2, b.C2);
        var c0 = Fp2.Add(Fp2.MulByNonResidue(Fp2.Sub(Fp2.Sub(Fp2.Mul(Fp2.Add(a.C1, a.C2), Fp2.Add(b.C1, b.C2)), t1), t2)), t0);
        var c1 = Fp2.Add(Fp2.Sub(Fp2.Sub(Fp2.Mul(Fp2.Add(a.C0, a.C1), Fp2.Add(b.C0, b.C1)), t0), t1), Fp2.MulByNonResidue(t2));
        var c2 = Fp2.Add(Fp2.Sub(Fp2.Sub(Fp2.Mul(Fp2.Add(a.C0, a.C2), Fp2.Add(b.C0, b.C2)), t0), t2), t1);
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Chung-Hasan SQR2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Square(in Fp6 a)
    {
        var s0 = Fp2.Square(a.C0);
        var ab = Fp2.Mul(a.C0, a.C1);
        var s1 = Fp2.Double(ab);
        var s2 = Fp2.Square(Fp2.Add(Fp2.Sub(a.C0, a.C1), a.C2));
        var bc = Fp2.Mul(a.C1, a.C2);
        var s3 = Fp2.Double(bc);
        var s4 = Fp2.Square(a.C2);
        var c0 = Fp2.Add(s0, Fp2.MulByNonResidue(s3));
        var c1 = Fp2.Add(s1, Fp2.MulByNonResidue(s4));
        var c2 = Fp2.Sub(Fp2.Sub(Fp2.Add(Fp2.Add(s1, s2), s3), s0), s4);
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Multiplication by v: (c0, c1, c2) -> (xi*c2, c0, c1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp6 MulByNonResidue(in Fp6 a) => new(Fp2.MulByNonResidue(a.C2), a.C0, a.C1);

    /// <summary>a * (b0 + b1 v): 5 GF(p^2) multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulBy01(in Fp6 a, in Fp2 b0, in Fp2 b1)
    {
        var t0 = Fp2.Mul(a.C0, b0);
        var t1 = Fp2.Mul(a.C1, b1);
        var c0 = Fp2.Add(t0, Fp2.MulByNonResidue(Fp2.Mul(a.C2, b1)));
        var c1 = Fp2.Sub(Fp2.Sub(Fp2.Mul(Fp2.Add(a.C0, a.C1), Fp2.Add(b0, b1)), t0), t1);
        var c2 = Fp2.Add(Fp2.Mul(a.C2, b0), t1);
        return new Fp6(c0, c1, c2);
    }

    /// <summary>a * (b1 v): 3 GF(p^2) multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulBy1(in Fp6 a, in Fp2 b1)
        => new(Fp2.MulByNonResidue(Fp2.Mul(a.C2, b1)), Fp2.Mul(a.C0, b1), Fp2.Mul(a.C1, b1));

    public static Fp6 MulByFp2(in Fp6 a, in Fp2 b) => new(Fp2.Mul(a.C0, b), Fp2.Mul(a.C1, b), Fp2.Mul(a.C2, b));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Invert(in Fp6 a)
    {
        var t0 = Fp2.Sub(Fp2.Square(a.C0), Fp2.MulByNonResidue(Fp2.Mul(a.C1, a.C2)));
        var t1 = Fp2.Sub(Fp2.MulByNonResidue(Fp2.Square(a.C2)), Fp2.Mul(a.C0, a.C1));
        var t2 = Fp2.Sub(Fp2.Square(a.C1), Fp2.Mul(a.C0, a.C2));
        var d = Fp2.Add(Fp2.Mul(a.C0, t0), Fp2.MulByNonResidue(Fp2.Add(Fp2.Mul(a.C2, t1), Fp2.Mul(a.C1, t2))));
        var inv = Fp2.Invert(d);
        return new Fp6(Fp2.Mul(t0, inv), Fp2.Mul(t1, inv), Fp2.Mul(t2, inv));
    }

    // v^p = xi^((p-1)/3) v ; (v^2)^p = xi^(2(p-1)/3) v^2
    internal static readonly Fp2 FrobV1 = Fp2.Pow(Tower.Xi, (Fp.Modulus - 1) / 3);
    internal static readonly Fp2 FrobV2 = Fp2.Pow(Tower.Xi, 2 * (Fp.Modulus - 1) / 3);

    /// <summary>The p-power Frobenius.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Frobenius(in Fp6 a)
        => new(Fp2.Conjugate(a.C0), Fp2.Mul(Fp2.Conjugate(a.C1), FrobV1), Fp2.Mul(Fp2.Conjugate(a.C2), FrobV2));

    public bool Equals(Fp6 b) => C0.Equals(b.C0) & C1.Equals(b.C1) & C2.Equals(b.C2);
    public override bool Equals(object? obj) => obj is Fp6 f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}

internal static class Tower
{
    /// <summary>xi = 1 + u, the non-residue defining GF(p^6) and GF(p^12), and the twist.</summary>
    public static readonly Fp2 Xi = new(Fp.One, Fp.One);
}
