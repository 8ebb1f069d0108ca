using System.Numerics;
using System.Runtime.CompilerServices;
using static DVV.ZkRisk.Crypto.Bls12381.Limbs;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// An element of the BLS12-381 base field GF(p), p = 0x1a0111ea...ffffaaab (381 bits). Stored in Montgomery form
/// (a * 2^384 mod p) on six little-endian 64-bit limbs, always fully reduced. All arithmetic is branch-free on the
/// values (Montgomery CIOS multiplication with Math.BigMul, masked conditional subtraction); exponentiation only
/// branches on the exponent, which is always a public constant here.
/// </summary>
public readonly struct Fp : IEquatable<Fp>, IBlsField<Fp>
{
    internal readonly ulong l0, l1, l2, l3, l4, l5;

    internal const ulong P0 = 0xb9feffffffffaaabUL, P1 = 0x1eabfffeb153ffffUL, P2 = 0x6730d2a0f6b0f624UL,
        P3 = 0x64774b84f38512bfUL, P4 = 0x4b1ba7b6434bacd7UL, P5 = 0x1a0111ea397fe69aUL;
    /// <summary>-p^-1 mod 2^64.</summary>
    private const ulong INV = 0x89f3fffcfffcfffdUL;

    /// <summary>The modulus p.</summary>
    public static readonly BigInteger Modulus = BigInteger.Parse("01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", System.Globalization.NumberStyles.HexNumber);

    public static readonly Fp Zero = default;
    /// <summary>1 in Montgomery form (2^384 mod p).</summary>
    public static readonly Fp One = new(0x760900000002fffdUL, 0xebf4000bc40c0002UL, 0x5f48985753c758baUL, 0x77ce585370525745UL, 0x5c071a97a256ec6dUL, 0x15f65ec3fa80e493UL);
    /// <summary>2^768 mod p, used to enter Montgomery form.</summary>
    private static readonly Fp R2 = new(0xf4df1f341c341746UL, 0x0a76e6a609d104f1UL, 0x8de5476c4c95b6d5UL, 0x67eb88a9939d83c0UL, 0x9a793e85b519952dUL, 0x11988fe592cae3aaUL);

    private static readonly ulong[] ExpPMinus2 = { 0xb9feffffffffaaa9UL, 0x1eabfffeb153ffffUL, 0x6730d2a0f6b0f624UL, 0x64774b84f38512bfUL, 0x4b1ba7b6434bacd7UL, 0x1a0111ea397fe69aUL };
    private static readonly ulong[] ExpPPlus1Over4 = { 0xee7fbfffffffeaabUL, 0x07aaffffac54ffffUL, 0xd9cc34a83dac3d89UL, 0xd91dd2e13ce144afUL, 0x92c6e9ed90d2eb35UL, 0x0680447a8e5ff9a6UL };
    private static readonly ulong[] ExpPMinus1Over2 = { 0xdcff7fffffffd555UL, 0x0f55ffff58a9ffffUL, 0xb39869507b587b12UL, 0xb23ba5c279c2895fUL, 0x258dd3db21a5d66bUL, 0x0d0088f51cbff34dUL };

    /// <summary>Size of the big-endian encoding.</summary>
    public const int ByteLength = 48;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        this.l0 = l0; this.l1 = l1; this.l2 = l2; this.l3 = l3; this.l4 = l4; this.l5 = l5;
    }

    // ---------------------------------------------------------------- arithmetic

    /// <summary>Subtracts p when t >= p (t &lt; 2p). Branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5)
    {
        ulong b = 0;
        ulong d0 = SubB(t0, P0, ref b), d1 = SubB(t1, P1, ref b), d2 = SubB(t2, P2, ref b);
        ulong d3 = SubB(t3, P3, ref b), d4 = SubB(t4, P4, ref b), d5 = SubB(t5, P5, ref b);
        ulong keep = 0UL - b; // all ones when t < p
        return new Fp((t0 & keep) | (d0 & ~keep), (t1 & keep) | (d1 & ~keep), (t2 & keep) | (d2 & ~keep),
                      (t3 & keep) | (d3 & ~keep), (t4 & keep) | (d4 & ~keep), (t5 & keep) | (d5 & ~keep));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Add(in Fp a, in Fp b)
    {
        ulong c = 0;
        ulong t0 = AddC(a.l0, b.l0, ref c), t1 = AddC(a.l1, b.l1, ref c), t2 = AddC(a.l2, b.l2, ref c);
        ulong t3 = AddC(a.l3, b.l3, ref c), t4 = AddC(a.l4, b.l4, ref c), t5 = AddC(a.l5, b.l5, ref c);
        return Reduce(t0, t1, t2, t3, t4, t5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Sub(in Fp a, in Fp b)
    {
        ulong br = 0;
        ulong t0 = SubB(a.l0, b.l0, ref br), t1 = SubB(a.l1, b.l1, ref br), t2 = SubB(a.l2, b.l2, ref br);
        ulong t3 = SubB(a.l3, b.l3, ref br), t4 = SubB(a.l4, b.l4, ref br), t5 = SubB(a.l5, b.l5, ref br);
        ulong m = 0UL - br; // add p back when it borrowed
        ulong c = 0;
        t0 = AddC(t0, P0 & m, ref c); t1 = AddC(t1, P1 & m, ref c); t2 = AddC(t2, P2 & m, ref c);
        t3 = AddC(t3, P3 & m, ref c); t4 = AddC(t4, P4 & m, ref c); t5 = AddC(t5, P5 & m, ref c);
        return new Fp(t0, t1, t2, t3, t4, t5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Double(in Fp a) => Add(a, a);

    public static Fp Negate(in Fp a)
    {
        ulong br = 0;
        ulong t0 = SubB(P0, a.l0, ref br), t1 = SubB(P1, a.l1, ref br), t2 = SubB(P2, a.l2, ref br);
        ulong t3 = SubB(P3, a.l3, ref br), t4 = SubB(P4, a.l4, ref br), t5 = SubB(P5, a.l5, ref br);
        ulong nz = a.l0 | a.l1 | a.l2 | a.l3 | a.l4 | a.l5;
        ulong m = 0UL - ((nz | (0UL - nz)) >> 63); // all ones when a != 0
        return new Fp(t0 & m, t1 & m, t2 & m, t3 & m, t4 & m, t5 & m);
    }

    /// <summary>Montgomery product a*b/R mod p (CIOS without the extra carry word: p's top limb leaves two spare bits).</summary>
    // NoInlining: with the rounds factored out the IL is small enough for the inliner to pull Mul into its callers
    // (Fp2.Mul, ...), where the inlining budget then runs out and the limb helpers become real calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static Fp Mul(in Fp a, in Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
        MontRound(a, b.l0, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        MontRound(a, b.l1, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        MontRound(a, b.l2, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        MontRound(a, b.l3, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        MontRound(a, b.l4, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        MontRound(a, b.l5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        return Reduce(t0, t1, t2, t3, t4, t5);
    }

    /// <summary>
    /// One CIOS round: t = (t + a*bi + m*p) / 2^64, with m = t0 * (-p^-1) mod 2^64 chosen so that the low word
    /// vanishes. Inlined into <see cref="Mul"/>, so the accumulator stays in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MontRound(in Fp a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5)
    {
        ulong A = 0;
        t0 = MulAdd(a.l0, bi, t0, ref A);
        t1 = MulAdd(a.l1, bi, t1, ref A);
        t2 = MulAdd(a.l2, bi, t2, ref A);
        t3 = MulAdd(a.l3, bi, t3, ref A);
        t4 = MulAdd(a.l4, bi, t4, ref A);
        t5 = MulAdd(a.l5, bi, t5, ref A);
        ulong m = t0 * INV;
        ulong C = 0;
        MulAdd(m, P0, t0, ref C);
        t0 = MulAdd(m, P1, t1, ref C);
        t1 = MulAdd(m, P2, t2, ref C);
        t2 = MulAdd(m, P3, t3, ref C);
        t3 = MulAdd(m, P4, t4, ref C);
        t4 = MulAdd(m, P5, t5, ref C);
        t5 = C + A;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Square(in Fp a) => Mul(a, a);

    public static Fp operator +(in Fp a, in Fp b) => Add(a, b);
    public static Fp operator -(in Fp a, in Fp b) => Sub(a, b);
    public static Fp operator -(in Fp a) => Negate(a);
    public static Fp operator *(in Fp a, in Fp b) => Mul(a, b);

    /// <summary>a^e for a public exponent given as little-endian limbs (4-bit fixed window).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Fp Pow(in Fp a, ReadOnlySpan<ulong> e)
    {
        Span<Fp> table = stackalloc Fp[16];
        table[0] = One;
        for (int i = 1; i < 16; i++) table[i] = Mul(table[i - 1], a);
        Fp r = One;
        bool started = false;
        for (int i = e.Length * 16 - 1; i >= 0; i--)
        {
            int d = (int)((e[i >> 4] >> ((i & 15) * 4)) & 15);
            if (started) { r = Square(r); r = Square(r); r = Square(r); r = Square(r); }
            if (d != 0) { r = started ? Mul(r, table[d]) : table[d]; started = true; }
        }
        return r;
    }

    /// <summary>Multiplicative inverse by Fermat (a^(p-2)); the inverse of zero is zero.</summary>
    public static Fp Invert(in Fp a) => Pow(a, ExpPMinus2);

    /// <summary>Square root (p = 3 mod 4: a^((p+1)/4)); returns false when a is not a square.</summary>
    public static bool TrySqrt(in Fp a, out Fp root)
    {
        root = Pow(a, ExpPPlus1Over4);
        return Square(root).Equals(a);
    }

    private static readonly ulong[] ExpPMinus3Over4 = { 0xee7fbfffffffeaaaUL, 0x07aaffffac54ffffUL, 0xd9cc34a83dac3d89UL, 0xd91dd2e13ce144afUL, 0x92c6e9ed90d2eb35UL, 0x0680447a8e5ff9a6UL };

    /// <summary>
    /// t = a^((p-3)/4); root = t a is a square root of a and t its inverse when a is a non-zero square
    /// (callers check root^2 = a). One exponentiation for both.
    /// </summary>
    internal static void InvSqrtCandidate(in Fp a, out Fp root, out Fp invRoot)
    {
        invRoot = Pow(a, ExpPMinus3Over4);
        root = Mul(invRoot, a);
    }

    /// <summary>True when a is a square in GF(p) (zero included), by Euler's criterion.</summary>
    public static bool IsSquare(in Fp a)
    {
        var l = Pow(a, ExpPMinus1Over2);
        return l.IsZero || l.Equals(One);
    }

    // ---------------------------------------------------------------- predicates

    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (l0 | l1 | l2 | l3 | l4 | l5) == 0;
    }

    public bool IsOne => Equals(One);

    /// <summary>Constant-time equality of the (unique, reduced) representations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(Fp b) => ((l0 ^ b.l0) | (l1 ^ b.l1) | (l2 ^ b.l2) | (l3 ^ b.l3) | (l4 ^ b.l4) | (l5 ^ b.l5)) == 0;
    public override bool Equals(object? obj) => obj is Fp f && Equals(f);
    public override int GetHashCode() => HashCode.Combine(l0, l1, l2, l3, l4, l5);
    public static bool operator ==(in Fp a, in Fp b) => a.Equals(b);
    public static bool operator !=(in Fp a, in Fp b) => !a.Equals(b);

    /// <summary>Returns b when choice is true, a otherwise, without branching on choice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Select(in Fp a, in Fp b, bool choice) => SelectMask(a, b, 0UL - (ulong)(choice ? 1 : 0));

    /// <summary>Returns b when mask is all ones, a when mask is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp SelectMask(in Fp a, in Fp b, ulong m)
        => new(a.l0 ^ ((a.l0 ^ b.l0) & m), a.l1 ^ ((a.l1 ^ b.l1) & m), a.l2 ^ ((a.l2 ^ b.l2) & m),
               a.l3 ^ ((a.l3 ^ b.l3) & m), a.l4 ^ ((a.l4 ^ b.l4) & m), a.l5 ^ ((a.l5 ^ b.l5) & m));

    /// <summary>Canonical (non-Montgomery) limbs.</summary>
    private Fp FromMont()
    {
        var one = new Fp(1, 0, 0, 0, 0, 0);
        return Mul(this, one);
    }

    /// <summary>sgn0 of RFC 9380 (parity of the canonical integer).</summary>
    public bool Sgn0 => (FromMont().l0 & 1) == 1;

    /// <summary>True when the canonical value is greater than (p-1)/2 (the ZCash "sort" flag convention).</summary>
    public bool IsLexicographicallyLargest
    {
        get
        {
            var c = FromMont();
            // c > (p-1)/2  <=>  (p-1)/2 - c borrows
            ulong br = 0;
            SubB(ExpPMinus1Over2[0], c.l0, ref br); SubB(ExpPMinus1Over2[1], c.l1, ref br); SubB(ExpPMinus1Over2[2], c.l2, ref br);
            SubB(ExpPMinus1Over2[3], c.l3, ref br); SubB(ExpPMinus1Over2[4], c.l4, ref br); SubB(ExpPMinus1Over2[5], c.l5, ref br);
            return br == 1;
        }
    }

    // ---------------------------------------------------------------- conversions

    /// <summary>Builds the element from small non-negative integer.</summary>
    public static Fp FromUInt64(ulong v) => Mul(new Fp(v, 0, 0, 0, 0, 0), R2);

    /// <summary>Reduces an arbitrary integer modulo p.</summary>
    public static Fp FromBigInteger(BigInteger v)
    {
        v %= Modulus;
        if (v.Sign < 0) v += Modulus;
        Span<byte> be = stackalloc byte[ByteLength];
        be.Clear();
        int n = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(be.Slice(ByteLength - n), out _, isUnsigned: true, isBigEndian: true);
        TryFromBytes(be, out var f);
        return f;
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> be = stackalloc byte[ByteLength];
        ToBytes(be);
        return new BigInteger(be, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Parses a 48-byte big-endian canonical encoding; false when the value is not below p.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> be, out Fp value)
    {
        if (be.Length != ByteLength) throw new ArgumentException("an Fp encoding is 48 bytes", nameof(be));
        ulong t5 = ReadBE(be, 0), t4 = ReadBE(be, 8), t3 = ReadBE(be, 16), t2 = ReadBE(be, 24), t1 = ReadBE(be, 32), t0 = ReadBE(be, 40);
        ulong br = 0;
        SubB(t0, P0, ref br); SubB(t1, P1, ref br); SubB(t2, P2, ref br); SubB(t3, P3, ref br); SubB(t4, P4, ref br); SubB(t5, P5, ref br);
        bool canonical = br == 1;
        value = Mul(new Fp(t0, t1, t2, t3, t4, t5), R2);
        return canonical;
    }

    /// <summary>48-byte big-endian canonical encoding.</summary>
    public void ToBytes(Span<byte> dest)
    {
        if (dest.Length < ByteLength) throw new ArgumentException("need 48 bytes", nameof(dest));
        var c = FromMont();
        WriteBE(dest, 0, c.l5); WriteBE(dest, 8, c.l4); WriteBE(dest, 16, c.l3);
        WriteBE(dest, 24, c.l2); WriteBE(dest, 32, c.l1); WriteBE(dest, 40, c.l0);
    }

    public byte[] ToBytes() { var b = new byte[ByteLength]; ToBytes(b); return b; }

    private static ulong ReadBE(ReadOnlySpan<byte> s, int o) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(s.Slice(o, 8));
    private static void WriteBE(Span<byte> s, int o, ulong v) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(s.Slice(o, 8), v);

    /// <summary>Parses a hex string (optional 0x prefix, up to 96 digits) as a canonical element.</summary>
    public static Fp FromHex(string hex)
    {
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        hex = hex.PadLeft(2 * ByteLength, '0');
        if (!TryFromBytes(Convert.FromHexString(hex), out var f)) throw new ArgumentException("value is not below p", nameof(hex));
        return f;
    }

    public string ToHex() => Convert.ToHexString(ToBytes()).ToLowerInvariant();
    public override string ToString() => "0x" + ToHex();

    // ---------------------------------------------------------------- IBlsField (the curve code's view; public surface unchanged)

    static Fp IBlsField<Fp>.Zero => Zero;
    static Fp IBlsField<Fp>.One => One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Fp IBlsField<Fp>.SelectMask(in Fp a, in Fp b, ulong m) => SelectMask(a, b, m);
    static int IBlsField<Fp>.EncodedLength => ByteLength;
    static void IBlsField<Fp>.WriteZcash(in Fp a, Span<byte> dest) => a.ToBytes(dest);
    static bool IBlsField<Fp>.TryReadZcash(ReadOnlySpan<byte> src, out Fp value) => TryFromBytes(src, out value);
}
