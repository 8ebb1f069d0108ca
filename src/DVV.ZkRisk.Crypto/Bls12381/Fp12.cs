using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// GF(p^12) = GF(p^6)[w]/(w^2 - v). Element c0 + c1*w. The pairing target group GT is the order-r subgroup of its
/// multiplicative group.
/// </summary>
public readonly struct Fp12 : IEquatable<Fp12>
{
    public readonly Fp6 C0, C1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp12(in Fp6 c0, in Fp6 c1) { C0 = c0; C1 = c1; }

    public static readonly Fp12 Zero = default;
    public static readonly Fp12 One = new(Fp6.One, Fp6.Zero);

    public bool IsOne => Equals(One);

    public static Fp12 Add(in Fp12 a, in Fp12 b) => new(Fp6.Add(a.C0, b.C0), Fp6.Add(a.C1, b.C1));
    public static Fp12 Sub(in Fp12 a, in Fp12 b) => new(Fp6.Sub(a.C0, b.C0), Fp6.Sub(a.C1, b.C1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Mul(in Fp12 a, in Fp12 b)
    {
        var t0 = Fp6.Mul(a.C0, b.C0);
        var t1 = Fp6.Mul(a.C1, b.C1);
        var c1 = Fp6.Sub(Fp6.Sub(Fp6.Mul(Fp6.Add(a.C0, a.C1), Fp6.Add(b.C0, b.C1)), t0), t1);
        return new Fp12(Fp6.Add(t0, Fp6.MulByNonResidue(t1)), c1);
    }

    /// <summary>Complex squaring: 2 GF(p^6) multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Square(in Fp12 a)
    {
        var ab = Fp6.Mul(a.C0, a.C1);
        var t = Fp6.Mul(Fp6.Add(a.C0, a.C1), Fp6.Add(a.C0, Fp6.MulByNonResidue(a.C1)));
        var c0 = Fp6.Sub(Fp6.Sub(t, ab), Fp6.MulByNonResidue(ab));
        return new Fp12(c0, Fp6.Double(ab));
    }

    /// <summary>
    /// Multiplication by a sparse line value l0 + l1*v + l4*v*w (coefficients in slots 0, 1 and 4 of the
    /// w-basis 1, v, v^2, w, vw, v^2w), as produced by the Miller loop on the M-type twist.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 MulBy014(in Fp12 f, in Fp2 l0, in Fp2 l1, in Fp2 l4)
    {
        var t0 = Fp6.MulBy01(f.C0, l0, l1);
        var t1 = Fp6.MulBy1(f.C1, l4);
        var c1 = Fp6.Sub(Fp6.Sub(Fp6.MulBy01(Fp6.Add(f.C0, f.C1), l0, Fp2.Add(l1, l4)), t0), t1);
        return new Fp12(Fp6.Add(t0, Fp6.MulByNonResidue(t1)), c1);
    }

    /// <summary>c0 - c1 w: the p^6-power Frobenius, and the inverse on the cyclotomic subgroup.</summary>
    public static Fp12 Conjugate(in Fp12 a) => new(a.C0, Fp6.Negate(a.C1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Invert(in Fp12 a)
    {
        var t = Fp6.Invert(Fp6.Sub(Fp6.Square(a.C0), Fp6.MulByNonResidue(Fp6.Square(a.C1))));
        return new Fp12(Fp6.Mul(a.C0, t), Fp6.Negate(Fp6.Mul(a.C1, t)));
    }

    // w^p = xi^((p-1)/6) w
    internal static readonly Fp2 FrobW1 = Fp2.Pow(Tower.Xi, (Fp.Modulus - 1) / 6);

    /// <summary>The p-power Frobenius.</summary>
    public static Fp12 Frobenius(in Fp12 a)
        => new(Fp6.Frobenius(a.C0), Fp6.MulByFp2(Fp6.Frobenius(a.C1), FrobW1));

    public static Fp12 Frobenius(in Fp12 a, int power)
    {
        var r = a;
        for (int i = 0; i < power; i++) r = Frobenius(r);
        return r;
    }

    /// <summary>
    /// Granger-Scott squaring for elements of the cyclotomic subgroup (after the easy part of the final
    /// exponentiation). GF(p^12) is seen as GF(p^4)[w]/(w^3 - t) with GF(p^4) = GF(p^2)[t]/(t^2 - xi), t = w^3;
    /// f = A + B w + C w^2 with A = (c0.c0, c1.c1), B = (c1.c0, c0.c2), C = (c0.c1, c1.c2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 CyclotomicSquare(in Fp12 f)
    {
        // A^2, B^2, C^2 in GF(p^4): (x + y t)^2 = (x^2 + xi y^2) + 2xy t
        Fp4Square(f.C0.C0, f.C1.C1, out var a0, out var a1);
        Fp4Square(f.C1.C0, f.C0.C2, out var b0, out var b1);
        Fp4Square(f.C0.C1, f.C1.C2, out var c0, out var c1);
        // A' = 3A^2 - 2 conj(A)
        var z0 = Fp2.Sub(Triple(a0), Fp2.Double(f.C0.C0));
        var z4 = Fp2.Add(Triple(a1), Fp2.Double(f.C1.C1));
        // B' = 3 t C^2 + 2 conj(B);  t (c0 + c1 t) = xi c1 + c0 t
        var z3 = Fp2.Add(Triple(Fp2.MulByNonResidue(c1)), Fp2.Double(f.C1.C0));
        var z2 = Fp2.Sub(Triple(c0), Fp2.Double(f.C0.C2));
        // C' = 3B^2 - 2 conj(C)
        var z1 = Fp2.Sub(Triple(b0), Fp2.Double(f.C0.C1));
        var z5 = Fp2.Add(Triple(b1), Fp2.Double(f.C1.C2));
        return new Fp12(new Fp6(z0, z1, z2), new Fp6(z3, z4, z5));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp2 Triple(in Fp2 a) => Fp2.Add(Fp2.Double(a), a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fp4Square(in Fp2 x, in Fp2 y, out Fp2 r0, out Fp2 r1)
    {
        var x2 = Fp2.Square(x);
        var y2 = Fp2.Square(y);
        r0 = Fp2.Add(x2, Fp2.MulByNonResidue(y2));
        r1 = Fp2.Sub(Fp2.Sub(Fp2.Square(Fp2.Add(x, y)), x2), y2);
    }

    /// <summary>f^e for an element of the cyclotomic subgroup and a public 64-bit exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 CyclotomicPow(in Fp12 f, ulong e)
    {
        var r = One;
        bool started = false;
        for (int i = 63; i >= 0; i--)
        {
            if (started) r = CyclotomicSquare(r);
            if (((e >> i) & 1) != 0) { r = started ? Mul(r, f) : f; started = true; }
        }
        return r;
    }

    /// <summary>Generic f^e for a public exponent (little-endian limbs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Pow(in Fp12 f, ReadOnlySpan<ulong> e)
    {
        var r = One;
        for (int i = e.Length * 64 - 1; i >= 0; i--)
        {
            r = Square(r);
            if (((e[i >> 6] >> (i & 63)) & 1) != 0) r = Mul(r, f);
        }
        return r;
    }

    /// <summary>576-byte big-endian encoding c0.c0.c0 || c0.c0.c1 || c0.c1.c0 || ... || c1.c2.c1 (noble's Fp12 order).</summary>
    public byte[] ToBytes()
    {
        var o = new byte[576];
        int k = 0;
        foreach (var f6 in new[] { C0, C1 })
            foreach (var f2 in new[] { f6.C0, f6.C1, f6.C2 })
            {
                f2.C0.ToBytes(o.AsSpan(k, 48)); k += 48;
                f2.C1.ToBytes(o.AsSpan(k, 48)); k += 48;
            }
        return o;
    }

    public bool Equals(Fp12 b) => C0.Equals(b.C0) & C1.Equals(b.C1);
    public override bool Equals(object? obj) => obj is Fp12 f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Fp12 a, in Fp12 b) => a.Equals(b);
    public static bool operator !=(in Fp12 a, in Fp12 b) => !a.Equals(b);
}
