using System.Runtime.CompilerServices;
namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// The optimal ate pairing e: G1 x G2 -> GT on BLS12-381. Miller loop over |x| = 0xd201000000010000 with line
/// functions evaluated in homogeneous projective coordinates on the twist and multiplied in sparsely
/// (<see cref="Fp12.MulBy014"/>); several pairs share one loop and one final exponentiation. The final
/// exponentiation computes the exact power (p^12 - 1)/r: easy part (p^6 - 1)(p^2 + 1), hard part
/// (p^4 - p^2 + 1)/r = l0 + l1 p + l2 p^2 + l3 p^3 with l3 = (x-1)^2/3, l2 = l3 x, l1 = l2 x - l3,
/// l0 = l1 x + 1 (Hayashida-Hayasaka-Teruya decomposition), using Granger-Scott cyclotomic squaring.
/// Variable time: pairings only ever see public points here.
/// </summary>
public static class Pairing
{
    private const ulong AbsX = 0xd201000000010000UL;
    /// <summary>(|x| + 1) / 3, so that (x - 1)/3 = -(|x| + 1)/3.</summary>
    private const ulong AbsXPlus1Over3 = 0x460055555555aaabUL;

    /// <summary>e(P, Q).</summary>
    public static Fp12 Pair(in G1Point p, in G2Point q)
        => FinalExponentiation(MillerLoop(new[] { (p, q) }));

    /// <summary>Product of e(P_i, Q_i) with one shared Miller loop and one final exponentiation.</summary>
    public static Fp12 MultiPair(ReadOnlySpan<(G1Point P, G2Point Q)> pairs)
        => FinalExponentiation(MillerLoop(pairs));

    /// <summary>True when the product of e(P_i, Q_i) is 1 (the form every BLS verification takes).</summary>
    public static bool PairingProductIsOne(ReadOnlySpan<(G1Point P, G2Point Q)> pairs)
        => FinalExponentiation(MillerLoop(pairs)).IsOne;

    /// <summary>The Miller loop f_{|x|,Q}(P) for each pair, multiplied together, conjugated because x is negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 MillerLoop(ReadOnlySpan<(G1Point P, G2Point Q)> pairs)
    {
        int n = 0;
        var px = new Fp[pairs.Length];
        var py = new Fp[pairs.Length];
        var qx = new Fp2[pairs.Length];
        var qy = new Fp2[pairs.Length];
        var t = new G2Point[pairs.Length];
        foreach (var (p, q) in pairs)
        {
            if (p.IsIdentity || q.IsIdentity) continue; // e(O, Q) = e(P, O) = 1
            var pa = p.Normalize(); var qa = q.Normalize(); // no inversion when already affine (Z = 1)
            px[n] = pa.X; py[n] = pa.Y;
            qx[n] = qa.X; qy[n] = qa.Y;
            t[n] = G2Point.FromAffine(qx[n], qy[n]);
            n++;
        }
        var f = Fp12.One;
        if (n == 0) return f;
        for (int i = 62; i >= 0; i--)
        {
            if (i != 62) f = Fp12.Square(f);
            for (int j = 0; j < n; j++)
            {
                DoublingStep(ref t[j], out var l0, out var l1, out var l4);
                f = Fp12.MulBy014(f, l0, Fp2.MulByFp(l1, px[j]), Fp2.MulByFp(l4, py[j]));
            }
            if (((AbsX >> i) & 1) != 0)
            {
                for (int j = 0; j < n; j++)
                {
                    AdditionStep(ref t[j], qx[j], qy[j], out var l0, out var l1, out var l4);
                    f = Fp12.MulBy014(f, l0, Fp2.MulByFp(l1, px[j]), Fp2.MulByFp(l4, py[j]));
                }
            }
        }
        // The first iteration (bit 63) only sets T = Q and f = 1; we skipped squaring 1 at i = 62.
        return Fp12.Conjugate(f);
    }

    /// <summary>
    /// T <- 2T and the tangent line at T, scaled so that it reads l0 + (l1 xP) v + (l4 yP) v w:
    /// l0 = Y^2 - 3b'Z^2, l1 = -3X^2, l4 = 2YZ. The point formulas are those of T's affine doubling with the
    /// curve equation substituted, scaled by 4: X' = 2XY(Y^2 - 9b'Z^2), Y' = (Y^2 + 9b'Z^2)^2 - 108 b'^2 Z^4,
    /// Z' = 8Y^3 Z.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DoublingStep(ref G2Point t, out Fp2 l0, out Fp2 l1, out Fp2 l4)
    {
        var X = t.X; var Y = t.Y; var Z = t.Z;
        var a = Fp2.Mul(X, Y);
        var b = Fp2.Square(Y);
        var c = Fp2.Square(Z);
        var e = Mul3B(c);                                           // 3b' Z^2
        var e3 = Fp2.Add(Fp2.Double(e), e);                         // 9b' Z^2
        var yz2 = Fp2.Sub(Fp2.Sub(Fp2.Square(Fp2.Add(Y, Z)), b), c); // 2YZ
        var x2 = Fp2.Square(X);
        var nx = Fp2.Double(Fp2.Mul(a, Fp2.Sub(b, e3)));
        var s = Fp2.Add(b, e3);
        var e2 = Fp2.Square(e);
        var ny = Fp2.Sub(Fp2.Square(s), Fp2.Double(Fp2.Add(Fp2.Double(Fp2.Double(e2)), Fp2.Double(e2)))); // s^2 - 12 e^2
        var nz = Fp2.Double(Fp2.Double(Fp2.Mul(b, yz2)));           // 4 * Y^2 * 2YZ = 8 Y^3 Z
        t = new G2Point(nx, ny, nz);
        l0 = Fp2.Sub(b, e);
        l1 = Fp2.Negate(Fp2.Add(Fp2.Double(x2), x2));
        l4 = yz2;
    }

    /// <summary>
    /// T <- T + Q (Q affine, T != +-Q inside the loop) and the chord through them:
    /// theta = Y - yQ Z, lambda = X - xQ Z, l0 = theta xQ - lambda yQ, l1 = -theta, l4 = lambda.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AdditionStep(ref G2Point t, in Fp2 qx, in Fp2 qy, out Fp2 l0, out Fp2 l1, out Fp2 l4)
    {
        var X = t.X; var Y = t.Y; var Z = t.Z;
        var theta = Fp2.Sub(Y, Fp2.Mul(qy, Z));
        var lambda = Fp2.Sub(X, Fp2.Mul(qx, Z));
        var c = Fp2.Square(theta);
        var d = Fp2.Square(lambda);
        var e = Fp2.Mul(d, lambda);
        var f = Fp2.Mul(Z, c);
        var g = Fp2.Mul(X, d);
        var h = Fp2.Sub(Fp2.Add(e, f), Fp2.Double(g));
        var nx = Fp2.Mul(lambda, h);
        var ny = Fp2.Sub(Fp2.Mul(theta, Fp2.Sub(g, h)), Fp2.Mul(Y, e));
        var nz = Fp2.Mul(Z, e);
        t = new G2Point(nx, ny, nz);
        l0 = Fp2.Sub(Fp2.Mul(theta, qx), Fp2.Mul(lambda, qy));
        l1 = Fp2.Negate(theta);
        l4 = lambda;
    }

    /// <summary>3b' a with b' = 4(1 + u): 12 (a0 - a1) + 12 (a0 + a1) u.</summary>
    private static Fp2 Mul3B(in Fp2 a)
    {
        var t = Fp2.MulByNonResidue(a);
        var t4 = Fp2.Double(Fp2.Double(t));
        return Fp2.Add(Fp2.Double(t4), t4);
    }

    /// <summary>f^((p^12 - 1)/r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        // easy part: f^(p^6 - 1) then ^(p^2 + 1); the result lies in the cyclotomic subgroup
        var t = Fp12.Mul(Fp12.Conjugate(f), Fp12.Invert(f));
        t = Fp12.Mul(Fp12.Frobenius(t, 2), t);
        // hard part
        var g = Fp12.Conjugate(Fp12.CyclotomicPow(t, AbsXPlus1Over3));   // t^((x-1)/3)
        var a = Fp12.Mul(ExpByX(g), Fp12.Conjugate(g));                  // t^l3, l3 = (x-1)^2/3
        var b = ExpByX(a);                                                // t^l2
        var c = Fp12.Mul(ExpByX(b), Fp12.Conjugate(a));                  // t^l1
        var d = Fp12.Mul(ExpByX(c), t);                                   // t^l0
        var r = Fp12.Mul(d, Fp12.Frobenius(c));
        r = Fp12.Mul(r, Fp12.Frobenius(b, 2));
        r = Fp12.Mul(r, Fp12.Frobenius(a, 3));
        return r;
    }

    /// <summary>f^x for x = -|x| on the cyclotomic subgroup (inverse = conjugate).</summary>
    private static Fp12 ExpByX(in Fp12 f) => Fp12.Conjugate(Fp12.CyclotomicPow(f, AbsX));
}
