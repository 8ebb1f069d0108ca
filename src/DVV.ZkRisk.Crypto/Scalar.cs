using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// An integer modulo the prime group order l = 2^252 + 27742317777372353535851937790883648493,
/// held in Montgomery form: the five 52-bit limbs hold a*R mod l for R = 2^260, fully reduced. A product is
/// then one Montgomery multiplication (aR * bR / R = abR) instead of two (a*b/R, then * R^2 / R); addition,
/// negation, selection and equality are the same in either form, and only decoding, encoding and digit
/// extraction convert. Every operation is constant time (no branch or index depends on the value).
/// Encoding is 32 bytes little-endian; decoding rejects any value >= l.
/// </summary>
public readonly struct Scalar : IEquatable<Scalar>
{
    private const ulong Mask52 = (1UL << 52) - 1;

    internal readonly ulong L0, L1, L2, L3, L4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Scalar(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4;
    }

    public static readonly BigInteger Order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    private static readonly Scalar L = FromBigUnchecked(Order);
    /// <summary>R, R^2 and R^3 mod l for R = 2^260 (Montgomery radix of five 52-bit limbs), as plain limbs.</summary>
    private static readonly Scalar R = FromBigUnchecked(BigInteger.ModPow(2, 260, Order));
    private static readonly Scalar RR = FromBigUnchecked(BigInteger.ModPow(2, 520, Order));
    private static readonly Scalar RRR = FromBigUnchecked(BigInteger.ModPow(2, 780, Order));
    /// <summary>-l^-1 mod 2^52, the Montgomery reduction factor.</summary>
    private static readonly ulong LFactor = (ulong)((BigInteger.Pow(2, 52) - BigInteger.ModPow(Order % BigInteger.Pow(2, 52), BigInteger.Pow(2, 51) - 1, BigInteger.Pow(2, 52))) % BigInteger.Pow(2, 52));

    public static Scalar Zero => default;
    /// <summary>1 in Montgomery form is R mod l.</summary>
    public static Scalar One => R;

    public static Scalar FromUInt64(ulong x) => ToMontgomery(new(x & Mask52, x >> 52, 0, 0, 0));

    /// <summary>Plain limbs (any value below 2^260) to Montgomery form: x * R^2 / R = xR mod l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Scalar ToMontgomery(in Scalar plain) => MontMul(plain, RR);

    /// <summary>Montgomery form to the canonical plain value: xR / R (Montgomery reduction of the limbs alone).</summary>
    private static Scalar FromMontgomery(in Scalar m)
        => MontReduce(m.L0, m.L1, m.L2, m.L3, m.L4, 0, 0, 0, 0);

    /// <summary>Decodes a canonical 32-byte little-endian scalar; throws <see cref="NonCanonicalEncodingException"/> for values >= l.</summary>
    public static Scalar FromCanonical(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new NonCanonicalEncodingException($"scalar must be 32 bytes, got {bytes.Length}");
        if (!TryFromCanonical(bytes, out var s)) throw new NonCanonicalEncodingException("scalar is not canonical (>= group order l)");
        return s;
    }

    public static bool TryFromCanonical(ReadOnlySpan<byte> bytes, out Scalar s)
    {
        s = default;
        if (bytes.Length != 32) return false;
        Scalar raw = Unpack(bytes);
        // raw - l borrows exactly when raw < l; the test runs on every limb, not byte by byte.
        (_, ulong borrow) = SubRaw(raw, L);
        if (borrow == 0) return false;
        s = ToMontgomery(raw);
        return true;
    }

    /// <summary>Reduces 32 little-endian bytes modulo l (dalek's from_bytes_mod_order).</summary>
    public static Scalar FromBytesModOrder(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException("need 32 bytes", nameof(bytes));
        Span<byte> wide = stackalloc byte[64];
        wide.Clear();
        bytes.CopyTo(wide);
        return FromBytesWide(wide);
    }

    /// <summary>Reduces a 512-bit little-endian integer lo + hi*2^260 modulo l, straight into Montgomery form:
    /// lo*R^2/R + hi*R^3/R = (lo + hi R) R.</summary>
    public static Scalar FromBytesWide(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 64) throw new ArgumentException("need 64 bytes", nameof(bytes));
        Span<ulong> w = stackalloc ulong[8];
        for (int i = 0; i < 8; i++) w[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        var lo = new Scalar(
            w[0] & Mask52,
            ((w[0] >> 52) | (w[1] << 12)) & Mask52,
            ((w[1] >> 40) | (w[2] << 24)) & Mask52,
            ((w[2] >> 28) | (w[3] << 36)) & Mask52,
            ((w[3] >> 16) | (w[4] << 48)) & Mask52);
        var hi = new Scalar(
            (w[4] >> 4) & Mask52,
            ((w[4] >> 56) | (w[5] << 8)) & Mask52,
            ((w[5] >> 44) | (w[6] << 20)) & Mask52,
            ((w[6] >> 32) | (w[7] << 32)) & Mask52,
            w[7] >> 20);
        Scalar a = MontMul(lo, RR);
        Scalar b = MontMul(hi, RRR);
        return Add(a, b);
    }

    /// <summary>A uniformly random scalar: 64 bytes from the OS CSPRNG reduced wide (bias below 2^-250).</summary>
    public static Scalar Random()
    {
        Span<byte> buf = stackalloc byte[64];
        RandomNumberGenerator.Fill(buf);
        Scalar s = FromBytesWide(buf);
        CryptographicOperations.ZeroMemory(buf);
        return s;
    }

    private static Scalar Unpack(ReadOnlySpan<byte> bytes)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new Scalar(
            w0 & Mask52,
            ((w0 >> 52) | (w1 << 12)) & Mask52,
            ((w1 >> 40) | (w2 << 24)) & Mask52,
            ((w2 >> 28) | (w3 << 36)) & Mask52,
            w3 >> 16);
    }

    public void WriteTo(Span<byte> dst)
    {
        if (dst.Length < 32) throw new ArgumentException("need 32 bytes", nameof(dst));
        Scalar p = FromMontgomery(this);
        BinaryPrimitives.WriteUInt64LittleEndian(dst, p.L0 | (p.L1 << 52));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[8..], (p.L1 >> 12) | (p.L2 << 40));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[16..], (p.L2 >> 24) | (p.L3 << 28));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[24..], (p.L3 >> 36) | (p.L4 << 16));
    }

    public byte[] ToBytes()
    {
        var b = new byte[32];
        WriteTo(b);
        return b;
    }

    public BigInteger ToBigInteger() => new(ToBytes(), isUnsigned: true, isBigEndian: false);

    /// <summary>Plain limbs of x, for the constants above only (not Montgomery form): x must already be in [0, 2^260).</summary>
    internal static Scalar FromBigUnchecked(BigInteger x)
    {
        var b = new byte[33];
        x.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        Scalar s = Unpack(b.AsSpan(0, 32));
        return new Scalar(s.L0, s.L1, s.L2, s.L3, s.L4 | ((ulong)b[32] << 48));
    }

    /// <summary>Reduces any BigInteger modulo l (test and parameter helper; not constant time).</summary>
    public static Scalar FromBigInteger(BigInteger x)
    {
        x %= Order;
        if (x.Sign < 0) x += Order;
        return ToMontgomery(FromBigUnchecked(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Scalar diff, ulong borrow) SubRaw(in Scalar a, in Scalar b)
    {
        ulong borrow = 0;
        ulong d0 = a.L0 - b.L0 - borrow; borrow = d0 >> 63; d0 &= Mask52;
        ulong d1 = a.L1 - b.L1 - borrow; borrow = d1 >> 63; d1 &= Mask52;
        ulong d2 = a.L2 - b.L2 - borrow; borrow = d2 >> 63; d2 &= Mask52;
        ulong d3 = a.L3 - b.L3 - borrow; borrow = d3 >> 63; d3 &= Mask52;
        ulong d4 = a.L4 - b.L4 - borrow; borrow = d4 >> 63; d4 &= Mask52;
        return (new Scalar(d0, d1, d2, d3, d4), borrow);
    }

    /// <summary>a - b mod l for reduced inputs: subtract, then add l back under a mask when it borrowed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Sub(in Scalar a, in Scalar b)
    {
        var (d, borrow) = SubRaw(a, b);
        ulong m = 0UL - borrow;
        ulong carry = 0;
        ulong r0 = d.L0 + (L.L0 & m) + carry; carry = r0 >> 52; r0 &= Mask52;
        ulong r1 = d.L1 + (L.L1 & m) + carry; carry = r1 >> 52; r1 &= Mask52;
        ulong r2 = d.L2 + (L.L2 & m) + carry; carry = r2 >> 52; r2 &= Mask52;
        ulong r3 = d.L3 + (L.L3 & m) + carry; carry = r3 >> 52; r3 &= Mask52;
        ulong r4 = d.L4 + (L.L4 & m) + carry; r4 &= Mask52;
        return new Scalar(r0, r1, r2, r3, r4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Add(in Scalar a, in Scalar b)
    {
        ulong carry;
        ulong s0 = a.L0 + b.L0; carry = s0 >> 52; s0 &= Mask52;
        ulong s1 = a.L1 + b.L1 + carry; carry = s1 >> 52; s1 &= Mask52;
        ulong s2 = a.L2 + b.L2 + carry; carry = s2 >> 52; s2 &= Mask52;
        ulong s3 = a.L3 + b.L3 + carry; carry = s3 >> 52; s3 &= Mask52;
        ulong s4 = a.L4 + b.L4 + carry; s4 &= Mask52;
        // a + b < 2l < 2^254 fits in the limbs; one conditional subtraction of l reduces it.
        return Sub(new Scalar(s0, s1, s2, s3, s4), L);
    }

    public static Scalar Negate(in Scalar a) => Sub(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 M(ulong a, ulong b)
        => new(System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _), a * b);

    /// <summary>Montgomery multiplication: a*b/R mod l (Montgomery 1985, word-by-word REDC in radix 2^52).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Scalar MontMul(in Scalar a, in Scalar b)
    {
        UInt128 z0 = M(a.L0, b.L0);
        UInt128 z1 = M(a.L0, b.L1) + M(a.L1, b.L0);
        UInt128 z2 = M(a.L0, b.L2) + M(a.L1, b.L1) + M(a.L2, b.L0);
        UInt128 z3 = M(a.L0, b.L3) + M(a.L1, b.L2) + M(a.L2, b.L1) + M(a.L3, b.L0);
        UInt128 z4 = M(a.L0, b.L4) + M(a.L1, b.L3) + M(a.L2, b.L2) + M(a.L3, b.L1) + M(a.L4, b.L0);
        UInt128 z5 = M(a.L1, b.L4) + M(a.L2, b.L3) + M(a.L3, b.L2) + M(a.L4, b.L1);
        UInt128 z6 = M(a.L2, b.L4) + M(a.L3, b.L3) + M(a.L4, b.L2);
        UInt128 z7 = M(a.L3, b.L4) + M(a.L4, b.L3);
        UInt128 z8 = M(a.L4, b.L4);
        return MontReduce(z0, z1, z2, z3, z4, z5, z6, z7, z8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Scalar MontReduce(UInt128 z0, UInt128 z1, UInt128 z2, UInt128 z3, UInt128 z4, UInt128 z5, UInt128 z6, UInt128 z7, UInt128 z8)
    {
        // Each step picks n_i so the running sum is divisible by 2^52, then shifts; l's limb 3 is zero,
        // so the products with it are left out.
        ulong l0 = L.L0, l1 = L.L1, l2 = L.L2, l4 = L.L4;
        UInt128 carry;
        ulong n0 = Part1(z0, l0, out carry);
        ulong n1 = Part1(carry + z1 + M(n0, l1), l0, out carry);
        ulong n2 = Part1(carry + z2 + M(n0, l2) + M(n1, l1), l0, out carry);
        ulong n3 = Part1(carry + z3 + M(n1, l2) + M(n2, l1), l0, out carry);
        ulong n4 = Part1(carry + z4 + M(n0, l4) + M(n2, l2) + M(n3, l1), l0, out carry);
        ulong r0 = Part2(carry + z5 + M(n1, l4) + M(n3, l2) + M(n4, l1), out carry);
        ulong r1 = Part2(carry + z6 + M(n2, l4) + M(n4, l2), out carry);
        ulong r2 = Part2(carry + z7 + M(n3, l4), out carry);
        ulong r3 = Part2(carry + z8 + M(n4, l4), out carry);
        ulong r4 = (ulong)carry;
        // The result is below 2l: one masked subtraction makes it canonical.
        return Sub(new Scalar(r0, r1, r2, r3, r4), L);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Part1(UInt128 sum, ulong l0, out UInt128 carry)
    {
        ulong p = unchecked((ulong)sum * LFactor) & Mask52;
        carry = (sum + M(p, l0)) >> 52;
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Part2(UInt128 sum, out UInt128 carry)
    {
        carry = sum >> 52;
        return (ulong)sum & Mask52;
    }

    /// <summary>a*b mod l: in Montgomery form aR * bR / R = (ab)R, one Montgomery multiplication.</summary>
    public static Scalar Mul(in Scalar a, in Scalar b) => MontMul(a, b);

    public static Scalar Square(in Scalar a) => Mul(a, a);


    /// <summary>a^(l-2) mod l (Fermat). The exponent is public, so its bits may steer the loop; the value may not. Zero maps to zero.</summary>
    public static Scalar Invert(in Scalar a)
    {
        Scalar aM = a;                      // a*R (Montgomery form already)
        Scalar accM = R;                    // 1*R
        BigInteger e = Order - 2;
        int bits = (int)e.GetBitLength();
        byte[] eb = e.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (int i = bits - 1; i >= 0; i--)
        {
            accM = MontMul(accM, accM);
            if (((eb[i >> 3] >> (i & 7)) & 1) == 1) accM = MontMul(accM, aM);
        }
        return accM;                        // a^(l-2) R, Montgomery form
    }

    /// <summary>Montgomery's trick: inverts every element with one inversion and 3(n-1) multiplications. Zeros are not allowed.</summary>
    public static void BatchInvert(Span<Scalar> xs)
    {
        if (xs.Length == 0) return;
        var prefix = xs.Length <= 256 ? stackalloc Scalar[xs.Length] : new Scalar[xs.Length];
        Scalar acc = One;
        for (int i = 0; i < xs.Length; i++)
        {
            prefix[i] = acc;
            acc = Mul(acc, xs[i]);
        }
        if (acc.IsZero()) throw new DivideByZeroException("batch inversion of a zero scalar");
        Scalar inv = Invert(acc);
        for (int i = xs.Length - 1; i >= 0; i--)
        {
            Scalar next = Mul(inv, xs[i]);
            xs[i] = Mul(inv, prefix[i]);
            inv = next;
        }
    }

    public bool IsZero() => (L0 | L1 | L2 | L3 | L4) == 0;

    /// <summary>choice ? b : a without branching; choice is 0 or 1.</summary>
    public static Scalar Select(in Scalar a, in Scalar b, int choice)
    {
        ulong m = 0UL - (ulong)(uint)choice;
        return new Scalar(a.L0 ^ (m & (a.L0 ^ b.L0)), a.L1 ^ (m & (a.L1 ^ b.L1)), a.L2 ^ (m & (a.L2 ^ b.L2)),
            a.L3 ^ (m & (a.L3 ^ b.L3)), a.L4 ^ (m & (a.L4 ^ b.L4)));
    }

    /// <summary>
    /// Signed radix-16 digits d_0..d_63 in [-8, 8) with Sum d_i 16^i = this (requires the top bit clear,
    /// true for every reduced scalar). Computed without branches: it feeds constant-time table lookups.
    /// </summary>
    internal void ToRadix16(Span<sbyte> digits)
    {
        Span<byte> b = stackalloc byte[32];
        WriteTo(b);
        for (int i = 0; i < 32; i++)
        {
            digits[2 * i] = (sbyte)(b[i] & 15);
            digits[2 * i + 1] = (sbyte)((b[i] >> 4) & 15);
        }
        for (int i = 0; i < 63; i++)
        {
            sbyte carry = (sbyte)((digits[i] + 8) >> 4);
            digits[i] -= (sbyte)(carry << 4);
            digits[i + 1] += carry;
        }
    }

    /// <summary>Signed radix-2^w digits (w in 4..15) for the vartime Pippenger buckets; returns the digit count.</summary>
    internal int ToRadix2w(Span<int> digits, int w)
    {
        Span<byte> b = stackalloc byte[40];
        b.Clear();
        WriteTo(b);
        int count = (256 + w - 1) / w;
        int radix = 1 << w, half = radix >> 1;
        int carry = 0;
        for (int i = 0; i < count; i++)
        {
            int bitIndex = i * w;
            int byteIndex = bitIndex >> 3, shift = bitIndex & 7;
            ulong window = (ulong)b[byteIndex] | ((ulong)b[byteIndex + 1] << 8) | ((ulong)b[byteIndex + 2] << 16) | ((ulong)b[byteIndex + 3] << 24);
            int coef = (int)((window >> shift) & (ulong)(radix - 1)) + carry;
            carry = (coef + half) >> w;
            digits[i] = coef - (carry << w);
        }
        if (carry != 0) digits[count++] = carry;
        return count;
    }

    /// <summary>Width-w non-adjacent form (vartime; public scalars only): odd digits below 2^(w-1) in absolute value.</summary>
    internal void ToNaf(Span<sbyte> naf, int w)
    {
        naf[..256].Clear();
        Span<ulong> x = stackalloc ulong[5];
        Span<byte> b = stackalloc byte[32];
        WriteTo(b);
        for (int i = 0; i < 4; i++) x[i] = BinaryPrimitives.ReadUInt64LittleEndian(b[(i * 8)..]);
        x[4] = 0;
        ulong width = 1UL << w, windowMask = width - 1;
        int pos = 0;
        ulong carry = 0;
        while (pos < 256)
        {
            int idx = pos / 64, bit = pos % 64;
            ulong bitBuf = bit < 64 - w ? x[idx] >> bit : (x[idx] >> bit) | (x[idx + 1] << (64 - bit));
            ulong window = carry + (bitBuf & windowMask);
            if ((window & 1) == 0) { pos++; continue; }
            if (window < width / 2) { carry = 0; naf[pos] = (sbyte)window; }
            else { carry = 1; naf[pos] = (sbyte)((long)window - (long)width); }
            pos += w;
        }
    }

    public bool Equals(Scalar other) => ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3) | (L4 ^ other.L4)) == 0;
    public override bool Equals(object? obj) => obj is Scalar s && Equals(s);
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3, L4);
    public override string ToString() => Convert.ToHexStringLower(ToBytes());

    public static Scalar operator +(in Scalar a, in Scalar b) => Add(a, b);
    public static Scalar operator -(in Scalar a, in Scalar b) => Sub(a, b);
    public static Scalar operator -(in Scalar a) => Negate(a);
    public static Scalar operator *(in Scalar a, in Scalar b) => Mul(a, b);
    public static bool operator ==(in Scalar a, in Scalar b) => a.Equals(b);
    public static bool operator !=(in Scalar a, in Scalar b) => !a.Equals(b);
}
