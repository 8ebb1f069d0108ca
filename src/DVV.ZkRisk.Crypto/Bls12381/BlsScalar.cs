using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using static DVV.ZkRisk.Crypto.Bls12381.Limbs;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// An integer modulo the BLS12-381 group order r = 0x73eda753...00000001 (255 bits): secret keys and scalars.
/// Montgomery form on four 64-bit limbs; arithmetic and encoding are branch-free on the value.
/// </summary>
public readonly struct BlsScalar : IEquatable<BlsScalar>
{
    internal readonly ulong l0, l1, l2, l3;

    internal const ulong R0 = 0xffffffff00000001UL, R1 = 0x53bda402fffe5bfeUL, R2c = 0x3339d80809a1d805UL, R3 = 0x73eda753299d7d48UL;
    private const ulong INV = 0xfffffffeffffffffUL;
    /// <summary>The group order r.</summary>
    public static readonly BigInteger Order = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);
    private static readonly BlsScalar MontOne = new(0x00000001fffffffeUL, 0x5884b7fa00034802UL, 0x998c4fefecbc4ff5UL, 0x1824b159acc5056fUL);
    private static readonly BlsScalar MontR2 = new(0xc999e990f3f29c6dUL, 0x2b6cedcb87925c23UL, 0x05d314967254398fUL, 0x0748d9d99f59ff11UL);
    private static readonly BlsScalar MontR3 = new(0xc62c1807439b73afUL, 0x1b3e0d188cf06990UL, 0x73d13c71c7b5f418UL, 0x6e2a5bb9c8db33e9UL);

    public const int ByteLength = 32;
    public static readonly BlsScalar Zero = default;
    public static BlsScalar One => MontOne;

    internal BlsScalar(ulong l0, ulong l1, ulong l2, ulong l3) { this.l0 = l0; this.l1 = l1; this.l2 = l2; this.l3 = l3; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BlsScalar Reduce(ulong t0, ulong t1, ulong t2, ulong t3)
    {
        ulong b = 0;
        ulong d0 = SubB(t0, R0, ref b), d1 = SubB(t1, R1, ref b), d2 = SubB(t2, R2c, ref b), d3 = SubB(t3, R3, ref b);
        ulong keep = 0UL - b;
        return new BlsScalar((t0 & keep) | (d0 & ~keep), (t1 & keep) | (d1 & ~keep), (t2 & keep) | (d2 & ~keep), (t3 & keep) | (d3 & ~keep));
    }

    public static BlsScalar Add(in BlsScalar a, in BlsScalar b)
    {
        ulong c = 0;
        ulong t0 = AddC(a.l0, b.l0, ref c), t1 = AddC(a.l1, b.l1, ref c), t2 = AddC(a.l2, b.l2, ref c), t3 = AddC(a.l3, b.l3, ref c);
        return Reduce(t0, t1, t2, t3);
    }

    public static BlsScalar Negate(in BlsScalar a)
    {
        ulong br = 0;
        ulong t0 = SubB(R0, a.l0, ref br), t1 = SubB(R1, a.l1, ref br), t2 = SubB(R2c, a.l2, ref br), t3 = SubB(R3, a.l3, ref br);
        ulong nz = a.l0 | a.l1 | a.l2 | a.l3;
        ulong m = 0UL - ((nz | (0UL - nz)) >> 63);
        return new BlsScalar(t0 & m, t1 & m, t2 & m, t3 & m);
    }

    public static BlsScalar Sub(in BlsScalar a, in BlsScalar b) => Add(a, Negate(b));

    /// <summary>Montgomery product a*b/R mod r (CIOS without the extra carry word, as in <see cref="Fp.Mul"/>).</summary>
    // NoInlining: with the rounds factored out the IL is small enough for the inliner to pull Mul into its callers
    // (Fp2.Mul, ...), where the inlining budget then runs out and the limb helpers become real calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static BlsScalar Mul(in BlsScalar a, in BlsScalar b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        MontRound(a, b.l0, ref t0, ref t1, ref t2, ref t3);
        MontRound(a, b.l1, ref t0, ref t1, ref t2, ref t3);
        MontRound(a, b.l2, ref t0, ref t1, ref t2, ref t3);
        MontRound(a, b.l3, ref t0, ref t1, ref t2, ref t3);
        return Reduce(t0, t1, t2, t3);
    }

    /// <summary>One CIOS round: t = (t + a*bi + m*r) / 2^64 with m = t0 * (-r^-1) mod 2^64 (inlined into <see cref="Mul"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MontRound(in BlsScalar a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong A = 0;
        t0 = MulAdd(a.l0, bi, t0, ref A);
        t1 = MulAdd(a.l1, bi, t1, ref A);
        t2 = MulAdd(a.l2, bi, t2, ref A);
        t3 = MulAdd(a.l3, bi, t3, ref A);
        ulong m = t0 * INV;
        ulong C = 0;
        MulAdd(m, R0, t0, ref C);
        t0 = MulAdd(m, R1, t1, ref C);
        t1 = MulAdd(m, R2c, t2, ref C);
        t2 = MulAdd(m, R3, t3, ref C);
        t3 = C + A;
    }

    public static BlsScalar operator +(in BlsScalar a, in BlsScalar b) => Add(a, b);
    public static BlsScalar operator -(in BlsScalar a, in BlsScalar b) => Sub(a, b);
    public static BlsScalar operator -(in BlsScalar a) => Negate(a);
    public static BlsScalar operator *(in BlsScalar a, in BlsScalar b) => Mul(a, b);

    public bool IsZero => (l0 | l1 | l2 | l3) == 0;

    /// <summary>Canonical little-endian limbs of the integer (leaves Montgomery form).</summary>
    internal void GetCanonicalLimbs(Span<ulong> dest)
    {
        var c = Mul(this, new BlsScalar(1, 0, 0, 0));
        dest[0] = c.l0; dest[1] = c.l1; dest[2] = c.l2; dest[3] = c.l3;
    }

    /// <summary>Parses a 32-byte big-endian integer; false when it is not below r.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> be, out BlsScalar s)
    {
        if (be.Length != ByteLength) { s = Zero; return false; }
        ulong t3 = ReadBE(be, 0), t2 = ReadBE(be, 8), t1 = ReadBE(be, 16), t0 = ReadBE(be, 24);
        ulong br = 0;
        SubB(t0, R0, ref br); SubB(t1, R1, ref br); SubB(t2, R2c, ref br); SubB(t3, R3, ref br);
        s = Mul(new BlsScalar(t0, t1, t2, t3), MontR2);
        return br == 1;
    }

    /// <summary>
    /// Reduces a big-endian integer of up to 48 bytes modulo r without branching on its value
    /// (used by KeyGen: OS2IP(OKM) mod r).
    /// </summary>
    public static BlsScalar FromBytesWide(ReadOnlySpan<byte> be)
    {
        if (be.Length > 48) throw new ArgumentException("at most 48 bytes", nameof(be));
        Span<byte> buf = stackalloc byte[48];
        buf.Clear();
        be.CopyTo(buf.Slice(48 - be.Length));
        // value = hi * 2^256 + lo, hi < 2^128 < r
        ulong h1 = ReadBE(buf, 0), h0 = ReadBE(buf, 8);
        ulong t3 = ReadBE(buf, 16), t2 = ReadBE(buf, 24), t1 = ReadBE(buf, 32), t0 = ReadBE(buf, 40);
        // lo < 2^256 < 3r: two masked subtractions bring it below r
        var lo = Reduce(t0, t1, t2, t3);
        lo = Reduce(lo.l0, lo.l1, lo.l2, lo.l3);
        var loM = Mul(lo, MontR2);                      // lo * R
        var hiM = Mul(new BlsScalar(h0, h1, 0, 0), MontR3); // hi * R^2 = (hi * 2^256) * R
        CryptographicOperations.ZeroMemory(buf);
        return Add(loM, hiM);
    }

    public void ToBytes(Span<byte> dest)
    {
        Span<ulong> c = stackalloc ulong[4];
        GetCanonicalLimbs(c);
        WriteBE(dest, 0, c[3]); WriteBE(dest, 8, c[2]); WriteBE(dest, 16, c[1]); WriteBE(dest, 24, c[0]);
    }

    public byte[] ToBytes() { var b = new byte[ByteLength]; ToBytes(b); return b; }

    public static BlsScalar FromBigInteger(BigInteger v)
    {
        v %= Order;
        if (v.Sign < 0) v += Order;
        Span<byte> be = stackalloc byte[ByteLength];
        be.Clear();
        int n = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(be.Slice(ByteLength - n), out _, isUnsigned: true, isBigEndian: true);
        TryFromBytes(be, out var s);
        return s;
    }

    public BigInteger ToBigInteger() => new(ToBytes(), isUnsigned: true, isBigEndian: true);

    /// <summary>Uniformly random non-zero scalar from the OS generator (64 bytes reduced would be overkill: 48 bytes as in KeyGen).</summary>
    public static BlsScalar Random()
    {
        Span<byte> b = stackalloc byte[48];
        while (true)
        {
            RandomNumberGenerator.Fill(b);
            var s = FromBytesWide(b);
            if (!s.IsZero) { CryptographicOperations.ZeroMemory(b); return s; }
        }
    }

    private static ulong ReadBE(ReadOnlySpan<byte> s, int o) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(s.Slice(o, 8));
    private static void WriteBE(Span<byte> s, int o, ulong v) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(s.Slice(o, 8), v);

    public bool Equals(BlsScalar b) => ((l0 ^ b.l0) | (l1 ^ b.l1) | (l2 ^ b.l2) | (l3 ^ b.l3)) == 0;
    public override bool Equals(object? obj) => obj is BlsScalar s && Equals(s);
    public override int GetHashCode() => HashCode.Combine(l0, l1, l2, l3);
    public static bool operator ==(in BlsScalar a, in BlsScalar b) => a.Equals(b);
    public static bool operator !=(in BlsScalar a, in BlsScalar b) => !a.Equals(b);
    public override string ToString() => Convert.ToHexString(ToBytes()).ToLowerInvariant();
}
