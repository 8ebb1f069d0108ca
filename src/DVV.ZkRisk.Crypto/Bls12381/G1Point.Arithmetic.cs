using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

// Generic projective arithmetic shared by G1Point and G2Point; the other half of this partial struct holds the
// group-specific parts (generator, endomorphism, subgroup check, serialisation).
public readonly partial struct G1Point : IEquatable<G1Point>
{
    /// <summary>Homogeneous projective coordinates: the affine point is (X/Z, Y/Z); the identity has Z = 0.</summary>
    public readonly Fp X, Y, Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public G1Point(in Fp x, in Fp y, in Fp z) { X = x; Y = y; Z = z; }

    /// <summary>The point at infinity (0 : 1 : 0).</summary>
    public static readonly G1Point Identity = new(Fp.Zero, Fp.One, Fp.Zero);

    public bool IsIdentity => Z.IsZero;

    /// <summary>An affine point (not checked: use <see cref="IsOnCurve"/> / <see cref="IsInSubgroup"/>).</summary>
    public static G1Point FromAffine(in Fp x, in Fp y) => new(x, y, Fp.One);

    /// <summary>Y^2 Z = X^3 + b Z^3 (true for the identity).</summary>
    public bool IsOnCurve
    {
        get
        {
            var lhs = Fp.Mul(Fp.Square(Y), Z);
            var z3 = Fp.Mul(Fp.Square(Z), Z);
            var rhs = Fp.Add(Fp.Mul(Fp.Square(X), X), MulByB(z3));
            return lhs.Equals(rhs) && !(X.IsZero && Y.IsZero && Z.IsZero);
        }
    }

    /// <summary>Affine coordinates (one field inversion). The identity gives (0, 0).</summary>
    public void ToAffine(out Fp x, out Fp y)
    {
        var zi = Fp.Invert(Z);
        x = Fp.Mul(X, zi);
        y = Fp.Mul(Y, zi);
    }

    /// <summary>The same point with Z = 1 (identity stays the canonical identity).</summary>
    public G1Point Normalize()
    {
        if (IsIdentity) return Identity;
        if (Z.IsOne) return this;
        ToAffine(out var x, out var y);
        return new G1Point(x, y, Fp.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp MulByB3(in Fp a)
    {
        var t = MulByB(a);
        return Fp.Add(Fp.Double(t), t);
    }

    /// <summary>Complete addition for a = 0 (Renes-Costello-Batina 2015, algorithm 7): no exceptional cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Point Add(in G1Point p, in G1Point q)
    {
        var t0 = Fp.Mul(p.X, q.X);
        var t1 = Fp.Mul(p.Y, q.Y);
        var t2 = Fp.Mul(p.Z, q.Z);
        var t3 = Fp.Mul(Fp.Add(p.X, p.Y), Fp.Add(q.X, q.Y));
        var t4 = Fp.Add(t0, t1);
        t3 = Fp.Sub(t3, t4);
        t4 = Fp.Mul(Fp.Add(p.Y, p.Z), Fp.Add(q.Y, q.Z));
        var x3 = Fp.Add(t1, t2);
        t4 = Fp.Sub(t4, x3);
        x3 = Fp.Mul(Fp.Add(p.X, p.Z), Fp.Add(q.X, q.Z));
        var y3 = Fp.Add(t0, t2);
        y3 = Fp.Sub(x3, y3);
        x3 = Fp.Double(t0);
        t0 = Fp.Add(x3, t0);
        t2 = MulByB3(t2);
        var z3 = Fp.Add(t1, t2);
        t1 = Fp.Sub(t1, t2);
        y3 = MulByB3(y3);
        x3 = Fp.Mul(t4, y3);
        t2 = Fp.Mul(t3, t1);
        x3 = Fp.Sub(t2, x3);
        y3 = Fp.Mul(y3, t0);
        t1 = Fp.Mul(t1, z3);
        y3 = Fp.Add(t1, y3);
        t0 = Fp.Mul(t0, t3);
        z3 = Fp.Mul(z3, t4);
        z3 = Fp.Add(z3, t0);
        return new G1Point(x3, y3, z3);
    }

    /// <summary>Complete doubling for a = 0 (Renes-Costello-Batina 2015, algorithm 9).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Point Double(in G1Point p)
    {
        var t0 = Fp.Square(p.Y);
        var z3 = Fp.Double(t0);
        z3 = Fp.Double(z3);
        z3 = Fp.Double(z3);
        var t1 = Fp.Mul(p.Y, p.Z);
        var t2 = Fp.Square(p.Z);
        t2 = MulByB3(t2);
        var x3 = Fp.Mul(t2, z3);
        var y3 = Fp.Add(t0, t2);
        z3 = Fp.Mul(t1, z3);
        t1 = Fp.Double(t2);
        t2 = Fp.Add(t1, t2);
        t0 = Fp.Sub(t0, t2);
        y3 = Fp.Mul(t0, y3);
        y3 = Fp.Add(x3, y3);
        t1 = Fp.Mul(p.X, p.Y);
        x3 = Fp.Mul(t0, t1);
        x3 = Fp.Double(x3);
        return new G1Point(x3, y3, z3);
    }

    public static G1Point Negate(in G1Point p) => new(p.X, Fp.Negate(p.Y), p.Z);
    public static G1Point Sub(in G1Point p, in G1Point q) => Add(p, Negate(q));

    public static G1Point operator +(in G1Point p, in G1Point q) => Add(p, q);
    public static G1Point operator -(in G1Point p, in G1Point q) => Sub(p, q);
    public static G1Point operator -(in G1Point p) => Negate(p);
    public static G1Point operator *(in BlsScalar k, in G1Point p) => Multiply(p, k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static G1Point SelectMask(in G1Point a, in G1Point b, ulong m)
        => new(Fp.SelectMask(a.X, b.X, m), Fp.SelectMask(a.Y, b.Y, m), Fp.SelectMask(a.Z, b.Z, m));

    /// <summary>
    /// Constant-time scalar multiplication for secret scalars: 4-bit fixed window over all 256 bits, every table
    /// entry read on every window (masked selection), complete formulas throughout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Point Multiply(in G1Point p, in BlsScalar k)
    {
        Span<ulong> e = stackalloc ulong[4];
        k.GetCanonicalLimbs(e);
        Span<G1Point> table = stackalloc G1Point[16];
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
    public static G1Point MultiplyVartime(in G1Point p, ReadOnlySpan<ulong> e)
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
    public static G1Point MultiplyVartime(in G1Point p, System.Numerics.BigInteger k)
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
    internal static G1Point MultiplyByAbsX(in G1Point p)
    {
        ReadOnlySpan<ulong> absX = [0xd201000000010000UL];
        return MultiplyVartime(p, absX);
    }

    /// <summary>Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.</summary>
    public bool Equals(G1Point q)
    {
        bool a = Fp.Mul(X, q.Z).Equals(Fp.Mul(q.X, Z));
        bool b = Fp.Mul(Y, q.Z).Equals(Fp.Mul(q.Y, Z));
        return a & b;
    }

    public override bool Equals(object? obj) => obj is G1Point q && Equals(q);
    public override int GetHashCode() => HashCode.Combine(ToCompressed().Length, ToCompressedHex());
    public static bool operator ==(in G1Point p, in G1Point q) => p.Equals(q);
    public static bool operator !=(in G1Point p, in G1Point q) => !p.Equals(q);
    public string ToCompressedHex() => Convert.ToHexString(ToCompressed()).ToLowerInvariant();
    public override string ToString() => ToCompressedHex();
}
