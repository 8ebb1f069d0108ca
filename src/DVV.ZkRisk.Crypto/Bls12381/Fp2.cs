using System.Numerics;
using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>GF(p^2) = GF(p)[u]/(u^2 + 1). Element c0 + c1*u.</summary>
public readonly struct Fp2 : IEquatable<Fp2>, IBlsField<Fp2>
{
    public readonly Fp C0, C1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2(in Fp c0, in Fp c1) { C0 = c0; C1 = c1; }

    public static readonly Fp2 Zero = default;
    public static readonly Fp2 One = new(Fp.One, Fp.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero;
    public bool IsOne => C0.IsOne && C1.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Add(in Fp2 a, in Fp2 b) => new(Fp.Add(a.C0, b.C0), Fp.Add(a.C1, b.C1));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Sub(in Fp2 a, in Fp2 b) => new(Fp.Sub(a.C0, b.C0), Fp.Sub(a.C1, b.C1));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Double(in Fp2 a) => new(Fp.Add(a.C0, a.C0), Fp.Add(a.C1, a.C1));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Negate(in Fp2 a) => new(Fp.Negate(a.C0), Fp.Negate(a.C1));
    /// <summary>Conjugate c0 - c1*u, which is also the p-power Frobenius.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Conjugate(in Fp2 a) => new(a.C0, Fp.Negate(a.C1));

    /// <summary>Karatsuba: 3 base-field multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Mul(in Fp2 a, in Fp2 b)
    {
        var v0 = Fp.Mul(a.C0, b.C0);
        var v1 = Fp.Mul(a.C1, b.C1);
        var s = Fp.Mul(Fp.Add(a.C0, a.C1), Fp.Add(b.C0, b.C1));
        return new Fp2(Fp.Sub(v0, v1), Fp.Sub(Fp.Sub(s, v0), v1));
    }

    /// <summary>(a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Square(in Fp2 a)
    {
        var c0 = Fp.Mul(Fp.Add(a.C0, a.C1), Fp.Sub(a.C0, a.C1));
        var m = Fp.Mul(a.C0, a.C1);
        return new Fp2(c0, Fp.Add(m, m));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 MulByFp(in Fp2 a, in Fp b) => new(Fp.Mul(a.C0, b), Fp.Mul(a.C1, b));

    /// <summary>Multiplication by the sextic non-residue xi = 1 + u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 MulByNonResidue(in Fp2 a) => new(Fp.Sub(a.C0, a.C1), Fp.Add(a.C0, a.C1));

    public static Fp2 operator +(in Fp2 a, in Fp2 b) => Add(a, b);
    public static Fp2 operator -(in Fp2 a, in Fp2 b) => Sub(a, b);
    public static Fp2 operator -(in Fp2 a) => Negate(a);
    public static Fp2 operator *(in Fp2 a, in Fp2 b) => Mul(a, b);

    /// <summary>Norm a0^2 + a1^2 in GF(p).</summary>
    public static Fp Norm(in Fp2 a) => Fp.Add(Fp.Square(a.C0), Fp.Square(a.C1));

    /// <summary>Inverse (zero maps to zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Invert(in Fp2 a)
    {
        var t = Fp.Invert(Norm(a));
        return new Fp2(Fp.Mul(a.C0, t), Fp.Negate(Fp.Mul(a.C1, t)));
    }

    /// <summary>a^e for a public non-negative exponent (square and multiply; used for constants).</summary>
    public static Fp2 Pow(in Fp2 a, BigInteger e) => BlsField.PowVartime(a, e);

    /// <summary>True when a is a square in GF(p^2): exactly when its norm is a square in GF(p).</summary>
    public static bool IsSquare(in Fp2 a) => Fp.IsSquare(Norm(a));

    /// <summary>A square root of a, if any (variable time: only used on public values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySqrt(in Fp2 a, out Fp2 root)
    {
        if (a.C1.IsZero)
        {
            if (Fp.TrySqrt(a.C0, out var r0)) { root = new Fp2(r0, Fp.Zero); return true; }
            // -1 is not a square mod p, so -a0 is: sqrt(a0) = sqrt(-a0) * u
            if (Fp.TrySqrt(Fp.Negate(a.C0), out var r1)) { root = new Fp2(Fp.Zero, r1); return true; }
            root = Zero; return false;
        }
        if (!Fp.TrySqrt(Norm(a), out var s)) { root = Zero; return false; }
        var half = HalfOne;
        // x0^2 = (a0 +- s)/2 and x1 = a1 / (2 x0). With t = w^((p-3)/4) for w = x0^2: x0 = t w and 1/x0 = t,
        // so one exponentiation gives both the root and its inverse.
        var w = Fp.Mul(Fp.Add(a.C0, s), half);
        Fp.InvSqrtCandidate(w, out var x0, out var invX0);
        if (!Fp.Square(x0).Equals(w))
        {
            w = Fp.Mul(Fp.Sub(a.C0, s), half);
            Fp.InvSqrtCandidate(w, out x0, out invX0);
            if (!Fp.Square(x0).Equals(w)) { root = Zero; return false; }
        }
        var x1 = Fp.Mul(Fp.Mul(a.C1, invX0), half);
        root = new Fp2(x0, x1);
        return Square(root).Equals(a);
    }

    private static readonly Fp HalfOne = Fp.Invert(Fp.FromUInt64(2));

    /// <summary>sgn0 of RFC 9380 section 4.1 for m = 2.</summary>
    public bool Sgn0
    {
        get
        {
            bool sign0 = C0.Sgn0, zero0 = C0.IsZero, sign1 = C1.Sgn0;
            return sign0 | (zero0 & sign1);
        }
    }

    /// <summary>ZCash serialisation order: compare c1 first, then c0, against (p-1)/2.</summary>
    public bool IsLexicographicallyLargest => C1.IsLexicographicallyLargest || (C1.IsZero && C0.IsLexicographicallyLargest);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(Fp2 b) => C0.Equals(b.C0) & C1.Equals(b.C1);
    public override bool Equals(object? obj) => obj is Fp2 f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Fp2 a, in Fp2 b) => a.Equals(b);
    public static bool operator !=(in Fp2 a, in Fp2 b) => !a.Equals(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 Select(in Fp2 a, in Fp2 b, bool choice) => new(Fp.Select(a.C0, b.C0, choice), Fp.Select(a.C1, b.C1, choice));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 SelectMask(in Fp2 a, in Fp2 b, ulong m) => new(Fp.SelectMask(a.C0, b.C0, m), Fp.SelectMask(a.C1, b.C1, m));

    /// <summary>Parses "c0,c1" as two hex numbers (test-vector notation).</summary>
    public static Fp2 FromHex(string c0, string c1) => new(Fp.FromHex(c0), Fp.FromHex(c1));

    public override string ToString() => $"({C0} + {C1}*u)";

    // ---------------------------------------------------------------- IBlsField (the curve code's view; public surface unchanged)

    static Fp2 IBlsField<Fp2>.Zero => Zero;
    static Fp2 IBlsField<Fp2>.One => One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Fp2 IBlsField<Fp2>.SelectMask(in Fp2 a, in Fp2 b, ulong m) => SelectMask(a, b, m);
    /// <summary>ZCash order: c1 then c0, 48 bytes each.</summary>
    static int IBlsField<Fp2>.EncodedLength => 2 * Fp.ByteLength;
    static void IBlsField<Fp2>.WriteZcash(in Fp2 a, Span<byte> dest)
    {
        a.C1.ToBytes(dest.Slice(0, Fp.ByteLength));
        a.C0.ToBytes(dest.Slice(Fp.ByteLength, Fp.ByteLength));
    }
    static bool IBlsField<Fp2>.TryReadZcash(ReadOnlySpan<byte> src, out Fp2 value)
    {
        if (!Fp.TryFromBytes(src.Slice(0, Fp.ByteLength), out var c1) || !Fp.TryFromBytes(src.Slice(Fp.ByteLength, Fp.ByteLength), out var c0))
        { value = Zero; return false; }
        value = new Fp2(c0, c1);
        return true;
    }
}
