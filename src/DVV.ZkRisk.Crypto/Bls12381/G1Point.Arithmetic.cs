using System.Runtime.CompilerServices;
using Ops = DVV.ZkRisk.Crypto.Bls12381.Projective<DVV.ZkRisk.Crypto.Bls12381.G1Point, DVV.ZkRisk.Crypto.Bls12381.Fp>;

namespace DVV.ZkRisk.Crypto.Bls12381;

// The public arithmetic surface of G1Point. The formulas (complete Renes-Costello-Batina addition and doubling,
// constant-time windowed multiplication, ...) are written once, for G1 and G2, in Projective.cs; the other half of
// this partial struct holds the group-specific parts (generator, endomorphism, subgroup check, serialisation).
public readonly partial struct G1Point : IEquatable<G1Point>, IBlsPoint<G1Point, Fp>
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
    public bool IsOnCurve => Ops.IsOnCurve(this);
    /// <summary>Affine coordinates (one field inversion). The identity gives (0, 0).</summary>
    public void ToAffine(out Fp x, out Fp y) => Ops.ToAffine(this, out x, out y);
    /// <summary>The same point with Z = 1 (identity stays the canonical identity).</summary>
    public G1Point Normalize() => Ops.Normalize(this);

    /// <summary>Complete addition (Renes-Costello-Batina 2015, algorithm 7): no exceptional cases.</summary>
    public static G1Point Add(in G1Point p, in G1Point q) => Ops.Add(p, q);
    /// <summary>Complete doubling (Renes-Costello-Batina 2015, algorithm 9).</summary>
    public static G1Point Double(in G1Point p) => Ops.Double(p);
    public static G1Point Negate(in G1Point p) => Ops.Negate(p);
    public static G1Point Sub(in G1Point p, in G1Point q) => Ops.Add(p, Ops.Negate(q));

    public static G1Point operator +(in G1Point p, in G1Point q) => Add(p, q);
    public static G1Point operator -(in G1Point p, in G1Point q) => Sub(p, q);
    public static G1Point operator -(in G1Point p) => Negate(p);
    public static G1Point operator *(in BlsScalar k, in G1Point p) => Multiply(p, k);

    /// <summary>Constant-time scalar multiplication for secret scalars (4-bit fixed window, masked table reads).</summary>
    public static G1Point Multiply(in G1Point p, in BlsScalar k) => Ops.Multiply(p, k);
    /// <summary>Variable-time double-and-add for public scalars given as little-endian 64-bit limbs.</summary>
    public static G1Point MultiplyVartime(in G1Point p, ReadOnlySpan<ulong> e) => Ops.MultiplyVartime(p, e);
    /// <summary>Variable-time multiplication by a public integer (any sign; reduced nowhere, so [r]P is meaningful).</summary>
    public static G1Point MultiplyVartime(in G1Point p, System.Numerics.BigInteger k) => Ops.MultiplyVartime(p, k);
    /// <summary>[|x|]P for the curve parameter |x| = 0xd201000000010000 (public, sparse).</summary>
    internal static G1Point MultiplyByAbsX(in G1Point p) => Ops.MultiplyByAbsX(p);

    /// <summary>Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.</summary>
    public bool Equals(G1Point q) => Ops.Equals(this, q);
    public override bool Equals(object? obj) => obj is G1Point q && Equals(q);
    public override int GetHashCode() => HashCode.Combine(ToCompressed().Length, ToCompressedHex());
    public static bool operator ==(in G1Point p, in G1Point q) => p.Equals(q);
    public static bool operator !=(in G1Point p, in G1Point q) => !p.Equals(q);
    public string ToCompressedHex() => Convert.ToHexString(ToCompressed()).ToLowerInvariant();
    public override string ToString() => ToCompressedHex();

    // IBlsPoint: what Projective<G1Point, Fp> reads.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp IBlsPoint<G1Point, Fp>.X(in G1Point p) => ref p.X;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp IBlsPoint<G1Point, Fp>.Y(in G1Point p) => ref p.Y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref readonly Fp IBlsPoint<G1Point, Fp>.Z(in G1Point p) => ref p.Z;
    static G1Point IBlsPoint<G1Point, Fp>.Identity => Identity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static G1Point IBlsPoint<G1Point, Fp>.Create(in Fp x, in Fp y, in Fp z) => new(x, y, z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Fp IBlsPoint<G1Point, Fp>.MulByB(in Fp a) => MulByB(a);
}
