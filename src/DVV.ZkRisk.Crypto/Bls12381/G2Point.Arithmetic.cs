using System.Runtime.CompilerServices;
using Ops = DVV.ZkRisk.Crypto.Bls12381.Projective<DVV.ZkRisk.Crypto.Bls12381.G2Point, DVV.ZkRisk.Crypto.Bls12381.Fp2>;

namespace DVV.ZkRisk.Crypto.Bls12381;

// The public arithmetic surface of G2Point. The formulas (complete Renes-Costello-Batina addition and doubling,
// constant-time windowed multiplication, ...) are written once, for G1 and G2, in Projective.cs; the other half of
// this partial struct holds the group-specific parts (generator, endomorphism, subgroup check, serialisation).
public readonly partial struct G2Point : IEquatable<G2Point>, IBlsPoint<G2Point, Fp2>
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
    public bool IsOnCurve => Ops.IsOnCurve(this);
    /// <summary>Affine coordinates (one field inversion). The identity gives (0, 0).</summary>
    public void ToAffine(out Fp2 x, out Fp2 y) => Ops.ToAffine(this, out x, out y);
    /// <summary>The same point with Z = 1 (identity stays the canonical identity).</summary>
    public G2Point Normalize() => Ops.Normalize(this);

    /// <summary>Complete addition (Renes-Costello-Batina 2015, algorithm 7): no exceptional cases.</summary>
    public static G2Point Add(in G2Point p, in G2Point q) => Ops.Add(p, q);
    /// <summary>Complete doubling (Renes-Costello-Batina 2015, algorithm 9).</summary>
    public static G2Point Double(in G2Point p) => Ops.Double(p);
    public static G2Point Negate(in G2Point p) => Ops.Negate(p);
    public static G2Point Sub(in G2Point p, in G2Point q) => Ops.Add(p, Ops.Negate(q));

    public static G2Point operator +(in G2Point p, in G2Point q) => Add(p, q);
    public static G2Point operator -(in G2Point p, in G2Point q) => Sub(p, q);
    public static G2Point operator -(in G2Point p) => Negate(p);
    public static G2Point operator *(in BlsScalar k, in G2Point p) => Multiply(p, k);

    /// <summary>Constant-time scalar multiplication for secret scalars (4-bit fixed window, masked table reads).</summary>
    public static G2Point Multiply(in G2Point p, in BlsScalar k) => Ops.Multiply(p, k);
    /// <summary>Variable-time double-and-add for public scalars given as little-endian 64-bit limbs.</summary>
    public static G2Point MultiplyVartime(in G2Point p, ReadOnlySpan<ulong> e) => Ops.MultiplyVartime(p, e);
    /// <summary>Variable-time multiplication by a public integer (any sign; reduced nowhere, so [r]P is meaningful).</summary>
    public static G2Point MultiplyVartime(in G2Point p, System.Numerics.BigInteger k) => Ops.MultiplyVartime(p, k);
    /// <summary>[|x|]P for the curve parameter |x| = 0xd201000000010000 (public, sparse).</summary>
    internal static G2Point MultiplyByAbsX(in G2Point p) => Ops.MultiplyByAbsX(p);

    /// <summary>Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.</summary>
    public bool Equals(G2Point q) => Ops.Equals(this, q);
    public override bool Equals(object? obj) => obj is G2Point q && Equals(q);
    public override int GetHashCode() => HashCode.Combine(ToCompressed().Length, ToCompressedHex());
    public static bool operator ==(in G2Point p, in G2Point q) => p.Equals(q);
    public static bool operator !=(in G2Point p, in G2Point q) => !p.Equals(q);
    public string ToCompressedHex() => Convert.ToHexString(ToCompressed()).ToLowerInvariant();
    public override string ToString() => ToCompressedHex();

    // IBlsPoint: what Projective<G2Point, Fp2> reads.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp2 IBlsPoint<G2Point, Fp2>.X(in G2Point p) => ref p.X;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp2 IBlsPoint<G2Point, Fp2>.Y(in G2Point p) => ref p.Y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp2 IBlsPoint<G2Point, Fp2>.Z(in G2Point p) => ref p.Z;
    static G2Point IBlsPoint<G2Point, Fp2>.Identity => Identity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static G2Point IBlsPoint<G2Point, Fp2>.Create(in Fp2 x, in Fp2 y, in Fp2 z) => new(x, y, z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Fp2 IBlsPoint<G2Point, Fp2>.MulByB(in Fp2 a) => MulByB(a);
}
