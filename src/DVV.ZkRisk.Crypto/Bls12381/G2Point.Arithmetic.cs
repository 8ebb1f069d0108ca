using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

// Generic projective arithmetic shared by G1Point and G2Point; the other half of this partial struct holds the
// group-specific parts (generator, endomorphism, subgroup check, serialisation).
public readonly partial struct G2Point : IEquatable<G2Point>
{
    /// <summary>Homogeneous projective coordinates: the affine point is (X/Z, Y/Z); the identity has Z = 0.</summary>
    public readonly Fp2 X, Y, Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public G2Point(in Fp2 x, in Fp2 y, in Fp2 z) { X = x; Y = y; Z = z; }

    /// <summary>The point at infinity (0 : 1 : 0).</summary>
    public static readonly G2Point Identity = new(Fp2.Zero, Fp2.One, Fp2.Zero);

    public bool IsIdentity => Z.IsZero;

    /// <summary>An affine point (not checked: use <see cref="IsOnCurve"/> / <see cref="IsInSubgroup"/>).</summary>
    public static G2Point FromAffine(in Fp2 x, in Fp2 y) => new(x, y, Fp2.One);

    /// <summary>Y^2 Z = X^3 + b Z^3 (true for the identity).</summary>
    public bool IsOnCurve
    {
        get
        {
            var lhs = Fp2.Mul(Fp2.Square(Y), Z);
            var z3 = Fp2.Mul(Fp2.Square(Z), Z);
            var rhs = Fp2.Add(Fp2.Mul(Fp2.Square(X), X), MulByB(z3));
            return lhs.Equals(rhs) && !(X.IsZero && Y.IsZero && Z.IsZero);
        }
    }

    /// <summary>Affine coordinates (one field inversion). The identity gives (0, 0).</summary>
    public void ToAffine(out Fp2 x, out Fp2 y)
    {
        var zi = Fp2.Invert(Z);
        x = Fp2.Mul(X, zi);
        y = Fp2.Mul(Y, zi);
    }

    /// <summary>The same point with Z = 1 (identity stays the canonical identity).</summary>
    public G2Point Normalize()
    {
        if (IsIdentity) return Identity;
        if (Z.IsOne) return this;
        ToAffine(out var x, out var y);
        return new G2Point(x, y, Fp2.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp2 MulByB3(in Fp2 a)
    {
        var t = MulByB(a);
        return Fp2.Add(Fp2.Double(t), t);
    }

    /// <summary>Complete addition for a = 0 (Renes-Costello-Batina 2015, algorithm 7): no exceptional cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Point Add(in G2Point p, in G2Point q)
    {
        var t0 = Fp2.Mul(p.X, q.X);
        var t1 = Fp2.Mul(p.Y, q.Y);
        var t2 = Fp2.Mul(p.Z, q.Z);
        var t3 = Fp2.Mul(Fp2.Add(p.X, p.Y), Fp2.Add(q.X, q.Y));
        var t4 = Fp2.Add(t0, t1);
        t3 = Fp2.Sub(t3, t4);
        t4 = Fp2.Mul(Fp2.Add(p.Y, p.Z), Fp2.Add(q.Y, q.Z));
        var x3 = Fp2.Add(t1, t2);
        t4 = Fp2.Sub(t4, x3);
        x3 = Fp2.Mul(Fp2.Add(p.X, p.Z), Fp2.Add(q.X, q.Z));
        var y3 = Fp2.Add(t0, t2);
        y3 = Fp2.Sub(x3, y3);
        x3 = Fp2.Double(t0);
        t0 = Fp2.Add(x3, t0);
        t2 = MulByB3(t2);
        var z3 = Fp2.Add(t1, t2);
        t1 = Fp2.Sub(t1, t2);
        y3 = MulByB3(y3);
        x3 = Fp2.Mul(t4, y3);
        t2 = Fp2.Mul(t3, t1);
        x3 = Fp2.Sub(t2, x3);
        y3 = Fp2.Mul(y3, t0);
        t1 = Fp2.Mul(t1, z3);
        y3 = Fp2.Add(t1, y3);
        t0 = Fp2.Mul(t0, t3);
        z3 = Fp2.Mul(z3, t4);
        z3 = Fp2.Add(z3, t0);
        return new G2Point(x3, y3, z3);
    }

    /// <summary>Complete doubling for a = 0 (Renes-Costello-Batina 2015, algorithm 9).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Point Double(in G2Point p)
    {
        var t0 = Fp2.Square(p.Y);
        var z3 = Fp2.Double(t0);
        z3 = Fp2.Double(z3);
        z3 = Fp2.Double(z3);
        var t1 = Fp2.Mul(p.Y, p.Z);
        var t2 = Fp2.Square(p.Z);
        t2 = MulByB3(t2);
        var x3 = Fp2.Mul(t2, z3);
        var y3 = Fp2.Add(t0, t2);
        z3 = Fp2.Mul(t1, z3);
        t1 = Fp2.Double(t2);
        t2 = Fp2.Add(t1, t2);
        t0 = Fp2.Sub(t0, t2);
        y3 = Fp2.Mul(t0, y3);
        y3 = Fp2.Add(x3, y3);
        t1 = Fp2.Mul(p.X, p.Y);
        x3 = Fp2.Mul(t0, t1);
        x3 = Fp2.Double(x3);
        return new G2Point(x3, y3, z3);
    }

    public static G2Point Negate(in G2Point p) => new(p.X, Fp2.Negate(p.Y), p.Z);
    public static G2Point Sub(in G2Point p, in G2Point q) => Add(p, Negate(q));

    public static G2Point operator +(in G2Point p, in G2Point q) => Add(p, q);
    public static G2Point operator -(in G2Point p, in G2Point q) => Sub(p, q);
    public static G2Point operator -(in G2Point p) => Negate(p);
    public static G2Point operator *(in BlsScalar k, in G2Point p) => Multiply(p, k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static G2Point SelectMask(in G2Point a, in G2Point b, ulong m)
        => new(Fp2.SelectMask(a.X, b.X, m), Fp2.SelectMask(a.Y, b.Y, m), Fp2.SelectMask(a.Z, b.Z, m));

    /// <summary>
    /// Constant-time scalar multiplication for secret scalars: 4-bit fixed window over all 256 bits, every table
    /// entry read on every window (masked selection), complete formulas throughout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Point Multiply(in G2Point p, in BlsScalar k)
    {
        Span<ulong> e = stackalloc ulong[4];
        k.GetCanonicalLimbs(e);
        Span<G2Point> table = stackalloc G2Point[16];
        table[0] = Identity;
        table[1] = p;
        for (int i = 2; i < 16; i++) table[i] = (i & 1) == 0 ? Double(table[i >> 1]) : Add(table[i - 1], p);
        var r = Identity;
        for (int w = 63; w >= 0; w--)
        {
            r = Double(r); r = Double(r); r = Double(r); r = Double(r);
            ulong d = (e[w >> 4] >> ((w & 15) * 4)) & 15;
            var t = table[0];
            for (int i = 1; i < 16; i++)
            {
                ulong eq = (((ulong)i ^ d) - 1) >> 63; // 1 when i == d
                t = SelectMask(t, table[i], 0UL - eq);
            }
            r = Add(r, t);
        }
        e.Clear();
        table.Clear();
        return r;
    }

    /// <summary>Variable-time double-and-add for public scalars given as little-endian 64-bit limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Point MultiplyVartime(in G2Point p, ReadOnlySpan<ulong> e)
    {
        var r = Identity;
        bool started = false;
        for (int i = e.Length * 64 - 1; i >= 0; i--)
        {
            if (started) r = Double(r);
            if (((e[i >> 6] >> (i & 63)) & 1) != 0) { r = started ? Add(r, p) : p; started = true; }
        }
        return r;
    }

    /// <summary>Variable-time multiplication by a public integer (any sign; reduced nowhere, so [r]P is meaningful).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Point MultiplyVartime(in G2Point p, System.Numerics.BigInteger k)
    {
        bool neg = k.Sign < 0;
        if (neg) k = -k;
        var bytes = k.ToByteArray(isUnsigned: true, isBigEndian: false);
        var limbs = new ulong[(bytes.Length + 7) / 8];
        for (int i = 0; i < bytes.Length; i++) limbs[i / 8] |= (ulong)bytes[i] << (8 * (i % 8));
        var r = MultiplyVartime(p, limbs);
        return neg ? Negate(r) : r;
    }

    /// <summary>[|x|]P for the curve parameter |x| = 0xd201000000010000 (public, sparse).</summary>
    internal static G2Point MultiplyByAbsX(in G2Point p)
    {
        ReadOnlySpan<ulong> absX = [0xd201000000010000UL];
        return MultiplyVartime(p, absX);
    }

    /// <summary>Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.</summary>
    public bool Equals(G2Point q)
    {
        bool a = Fp2.Mul(X, q.Z).Equals(Fp2.Mul(q.X, Z));
        bool b = Fp2.Mul(Y, q.Z).Equals(Fp2.Mul(q.Y, Z));
        return a & b;
    }

    public override bool Equals(object? obj) => obj is G2Point q && Equals(q);
    public override int GetHashCode() => HashCode.Combine(ToCompressed().Length, ToCompressedHex());
    public static bool operator ==(in G2Point p, in G2Point q) => p.Equals(q);
    public static bool operator !=(in G2Point p, in G2Point q) => !p.Equals(q);
    public string ToCompressedHex() => Convert.ToHexString(ToCompressed()).ToLowerInvariant();
    public override string ToString() => ToCompressedHex();
}
