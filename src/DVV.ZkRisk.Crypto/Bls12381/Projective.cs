using System.Numerics;
using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// What the shared projective arithmetic needs from a point type (<see cref="G1Point"/> over <see cref="Fp"/>,
/// <see cref="G2Point"/> over <see cref="Fp2"/>): its coordinates, a constructor, the curve's b, and the
/// group-specific subgroup test used by the decoder. Internal: the public surface of the point types is unchanged.
/// </summary>
internal interface IBlsPoint<TP, TF>
    where TP : unmanaged, IBlsPoint<TP, TF>
    where TF : unmanaged, IBlsField<TF>
{
    // Coordinates by reference: no copy of the (up to 96-byte) field elements on the way into the field operations.
    static abstract ref readonly TF X(in TP p);
    static abstract ref readonly TF Y(in TP p);
    static abstract ref readonly TF Z(in TP p);
    static abstract TP Create(in TF x, in TF y, in TF z);
    /// <summary>The point at infinity (0 : 1 : 0).</summary>
    static abstract TP Identity { get; }
    /// <summary>a * b for the curve equation y^2 = x^3 + b.</summary>
    static abstract TF MulByB(in TF a);
    bool IsInSubgroup { get; }
}

/// <summary>
/// Homogeneous projective arithmetic on y^2 = x^3 + b (a = 0), written once for G1 and G2: the affine point is
/// (X/Z, Y/Z) and the identity has Z = 0. The JIT specialises every method for each (point, field) pair of structs,
/// so the field operations are direct, inlinable calls as in hand-written per-group code.
/// </summary>
internal static class Projective<TP, TF>
    where TP : unmanaged, IBlsPoint<TP, TF>
    where TF : unmanaged, IBlsField<TF>
{
    /// <summary>Y^2 Z = X^3 + b Z^3 (true for the identity).</summary>
    public static bool IsOnCurve(in TP p)
    {
        ref readonly var x = ref TP.X(p); ref readonly var y = ref TP.Y(p); ref readonly var z = ref TP.Z(p);
        var lhs = TF.Mul(TF.Square(y), z);
        var z3 = TF.Mul(TF.Square(z), z);
        var rhs = TF.Add(TF.Mul(TF.Square(x), x), TP.MulByB(z3));
        return lhs.Equals(rhs) && !(x.IsZero && y.IsZero && z.IsZero);
    }

    /// <summary>Affine coordinates (one field inversion). The identity gives (0, 0).</summary>
    public static void ToAffine(in TP p, out TF x, out TF y)
    {
        var zi = TF.Invert(TP.Z(p));
        x = TF.Mul(TP.X(p), zi);
        y = TF.Mul(TP.Y(p), zi);
    }

    /// <summary>The same point with Z = 1 (identity stays the canonical identity).</summary>
    public static TP Normalize(in TP p)
    {
        if (TP.Z(p).IsZero) return TP.Identity;
        if (TP.Z(p).IsOne) return p;
        ToAffine(p, out var x, out var y);
        return TP.Create(x, y, TF.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF MulByB3(in TF a)
    {
        var t = TP.MulByB(a);
        return TF.Add(TF.Double(t), t);
    }

    /// <summary>Complete addition for a = 0 (Renes-Costello-Batina 2015, algorithm 7): no exceptional cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TP Add(in TP p, in TP q)
    {
        var t0 = TF.Mul(TP.X(p), TP.X(q));
        var t1 = TF.Mul(TP.Y(p), TP.Y(q));
        var t2 = TF.Mul(TP.Z(p), TP.Z(q));
        var t3 = TF.Mul(TF.Add(TP.X(p), TP.Y(p)), TF.Add(TP.X(q), TP.Y(q)));
        var t4 = TF.Add(t0, t1);
        t3 = TF.Sub(t3, t4);
        t4 = TF.Mul(TF.Add(TP.Y(p), TP.Z(p)), TF.Add(TP.Y(q), TP.Z(q)));
        var x3 = TF.Add(t1, t2);
        t4 = TF.Sub(t4, x3);
        x3 = TF.Mul(TF.Add(TP.X(p), TP.Z(p)), TF.Add(TP.X(q), TP.Z(q)));
        var y3 = TF.Add(t0, t2);
        y3 = TF.Sub(x3, y3);
        x3 = TF.Double(t0);
        t0 = TF.Add(x3, t0);
        t2 = MulByB3(t2);
        var z3 = TF.Add(t1, t2);
        t1 = TF.Sub(t1, t2);
        y3 = MulByB3(y3);
        x3 = TF.Mul(t4, y3);
        t2 = TF.Mul(t3, t1);
        x3 = TF.Sub(t2, x3);
        y3 = TF.Mul(y3, t0);
        t1 = TF.Mul(t1, z3);
        y3 = TF.Add(t1, y3);
        t0 = TF.Mul(t0, t3);
        z3 = TF.Mul(z3, t4);
        z3 = TF.Add(z3, t0);
        return TP.Create(x3, y3, z3);
    }

    /// <summary>Complete doubling for a = 0 (Renes-Costello-Batina 2015, algorithm 9).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TP Double(in TP p)
    {
        var t0 = TF.Square(TP.Y(p));
        var z3 = TF.Double(t0);
        z3 = TF.Double(z3);
        z3 = TF.Double(z3);
        var t1 = TF.Mul(TP.Y(p), TP.Z(p));
        var t2 = TF.Square(TP.Z(p));
        t2 = MulByB3(t2);
        var x3 = TF.Mul(t2, z3);
        var y3 = TF.Add(t0, t2);
        z3 = TF.Mul(t1, z3);
        t1 = TF.Double(t2);
        t2 = TF.Add(t1, t2);
        t0 = TF.Sub(t0, t2);
        y3 = TF.Mul(t0, y3);
        y3 = TF.Add(x3, y3);
        t1 = TF.Mul(TP.X(p), TP.Y(p));
        x3 = TF.Mul(t0, t1);
        x3 = TF.Double(x3);
        return TP.Create(x3, y3, z3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TP Negate(in TP p) => TP.Create(TP.X(p), TF.Negate(TP.Y(p)), TP.Z(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TP SelectMask(in TP a, in TP b, ulong m)
        => TP.Create(TF.SelectMask(TP.X(a), TP.X(b), m), TF.SelectMask(TP.Y(a), TP.Y(b), m), TF.SelectMask(TP.Z(a), TP.Z(b), m));

    /// <summary>
    /// Constant-time scalar multiplication for secret scalars: 4-bit fixed window over all 256 bits, every table
    /// entry read on every window (masked selection), complete formulas throughout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TP Multiply(in TP p, in BlsScalar k)
    {
        Span<ulong> e = stackalloc ulong[4];
        k.GetCanonicalLimbs(e);
        Span<TP> table = stackalloc TP[16];
        table[0] = TP.Identity;
        table[1] = p;
        for (int i = 2; i < 16; i++) table[i] = (i & 1) == 0 ? Double(table[i >> 1]) : Add(table[i - 1], p);
        var r = TP.Identity;
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
    public static TP MultiplyVartime(in TP p, ReadOnlySpan<ulong> e)
    {
        var r = TP.Identity;
        bool started = false;
        for (int i = e.Length * 64 - 1; i >= 0; i--)
        {
            if (started) r = Double(r);
            if (((e[i >> 6] >> (i & 63)) & 1) != 0) { r = started ? Add(r, p) : p; started = true; }
        }
        return r;
    }

    /// <summary>Variable-time multiplication by a public integer (any sign; reduced nowhere, so [r]P is meaningful).</summary>
    public static TP MultiplyVartime(in TP p, BigInteger k)
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
    public static TP MultiplyByAbsX(in TP p)
    {
        ReadOnlySpan<ulong> absX = [0xd201000000010000UL];
        return MultiplyVartime(p, absX);
    }

    /// <summary>Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.</summary>
    public static bool Equals(in TP p, in TP q)
    {
        bool a = TF.Mul(TP.X(p), TP.Z(q)).Equals(TF.Mul(TP.X(q), TP.Z(p)));
        bool b = TF.Mul(TP.Y(p), TP.Z(q)).Equals(TF.Mul(TP.Y(q), TP.Z(p)));
        return a & b;
    }

    // ---------------------------------------------------------------- ZCash serialisation

    private static int CompressedSize => TF.EncodedLength;

    /// <summary>Compressed encoding: x with flags 0x80 (compressed), 0x40 (infinity), 0x20 (y is the larger root).</summary>
    public static byte[] ToCompressed(in TP p)
    {
        var o = new byte[CompressedSize];
        if (TP.Z(p).IsZero) { o[0] = 0xC0; return o; }
        ToAffine(p, out var x, out var y);
        TF.WriteZcash(x, o);
        o[0] |= 0x80;
        if (y.IsLexicographicallyLargest) o[0] |= 0x20;
        return o;
    }

    /// <summary>Uncompressed encoding x || y (flag 0x40 alone for infinity).</summary>
    public static byte[] ToUncompressed(in TP p)
    {
        var o = new byte[2 * CompressedSize];
        if (TP.Z(p).IsZero) { o[0] = 0x40; return o; }
        ToAffine(p, out var x, out var y);
        TF.WriteZcash(x, o.AsSpan(0, CompressedSize));
        TF.WriteZcash(y, o.AsSpan(CompressedSize, CompressedSize));
        return o;
    }

    /// <summary>Decodes a compressed or uncompressed point, checking canonical form, curve and (optionally) subgroup.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, bool checkSubgroup, out TP point, out BlsEncodingError error)
    {
        int n = CompressedSize;
        point = TP.Identity;
        if (bytes.Length != n && bytes.Length != 2 * n) { error = BlsEncodingError.WrongLength; return false; }
        bool compressed = bytes.Length == n;
        byte flags = bytes[0];
        bool cFlag = (flags & 0x80) != 0, inf = (flags & 0x40) != 0, sort = (flags & 0x20) != 0;
        if (cFlag != compressed) { error = BlsEncodingError.CompressionFlagMismatch; return false; }
        if (inf)
        {
            if (sort || (flags & 0x1F) != 0) { error = BlsEncodingError.InvalidInfinityEncoding; return false; }
            for (int i = 1; i < bytes.Length; i++) if (bytes[i] != 0) { error = BlsEncodingError.InvalidInfinityEncoding; return false; }
            error = default; return true;
        }
        if (!compressed && sort) { error = BlsEncodingError.UnexpectedSortFlag; return false; }
        Span<byte> xb = stackalloc byte[n];
        bytes.Slice(0, n).CopyTo(xb);
        xb[0] &= 0x1F;
        if (!TF.TryReadZcash(xb, out var x)) { error = BlsEncodingError.NonCanonicalCoordinate; return false; }
        TF y;
        if (compressed)
        {
            var rhs = TF.Add(TF.Mul(TF.Square(x), x), TP.MulByB(TF.One));
            if (!TF.TrySqrt(rhs, out y)) { error = BlsEncodingError.NotOnCurve; return false; }
            if (y.IsLexicographicallyLargest != sort) y = TF.Negate(y);
        }
        else if (!TF.TryReadZcash(bytes.Slice(n, n), out y)) { error = BlsEncodingError.NonCanonicalCoordinate; return false; }
        var p = TP.Create(x, y, TF.One);
        if (!IsOnCurve(p)) { error = BlsEncodingError.NotOnCurve; return false; }
        if (checkSubgroup && !p.IsInSubgroup) { error = BlsEncodingError.NotInSubgroup; return false; }
        point = p; error = default; return true;
    }
}
