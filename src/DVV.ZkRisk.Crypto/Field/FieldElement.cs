using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Field;

/// <summary>
/// An element of GF(2^255 - 19) in radix 2^51: five 64-bit limbs, products accumulated in UInt128.
/// Limbs are kept below 2^52 after every reducing operation; <see cref="Add"/> does not reduce, so a
/// sum of a few reduced elements (limbs below 2^54) is still a valid input to <see cref="Mul"/>.
/// Every operation here is constant time: no branch or memory index depends on limb values.
/// </summary>
public readonly struct FieldElement
{
    internal const ulong Mask51 = (1UL << 51) - 1;

    internal readonly ulong L0, L1, L2, L3, L4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4;
    }

    public static FieldElement Zero => default;
    public static FieldElement One => new(1, 0, 0, 0, 0);
    public static FieldElement MinusOne => Negate(One);

    /// <summary>Decodes 32 little-endian bytes, ignoring the top bit (RFC 7748 convention). Canonicity is checked by callers that need it.</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> b)
    {
        if (b.Length != 32) throw new InvalidEncodingException("field element must be 32 bytes");
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(b);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(b[24..]);
        return new FieldElement(
            w0 & Mask51,
            ((w0 >> 51) | (w1 << 13)) & Mask51,
            ((w1 >> 38) | (w2 << 26)) & Mask51,
            ((w2 >> 25) | (w3 << 39)) & Mask51,
            (w3 >> 12) & Mask51);
    }

    /// <summary>Writes the unique representative in [0, p) as 32 little-endian bytes.</summary>
    public void WriteTo(Span<byte> dst)
    {
        if (dst.Length < 32) throw new ArgumentException("need 32 bytes", nameof(dst));
        // Weak reduction first: limbs below 2^51 + 2^13*19.
        FieldElement r = Reduce(L0, L1, L2, L3, L4);
        ulong l0 = r.L0, l1 = r.L1, l2 = r.L2, l3 = r.L3, l4 = r.L4;
        // q = 1 exactly when the value is >= p: propagate the carry of (h + 19).
        ulong q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;
        // h - q*p = h + 19q - q*2^255: add 19q and drop bit 255.
        l0 += 19 * q;
        l1 += l0 >> 51; l0 &= Mask51;
        l2 += l1 >> 51; l1 &= Mask51;
        l3 += l2 >> 51; l2 &= Mask51;
        l4 += l3 >> 51; l3 &= Mask51;
        l4 &= Mask51;
        BinaryPrimitives.WriteUInt64LittleEndian(dst, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(dst[24..], (l3 >> 39) | (l4 << 12));
    }

    public byte[] ToBytes()
    {
        var b = new byte[32];
        WriteTo(b);
        return b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        ulong c0 = l0 >> 51, c1 = l1 >> 51, c2 = l2 >> 51, c3 = l3 >> 51, c4 = l4 >> 51;
        return new FieldElement(
            (l0 & Mask51) + c4 * 19,
            (l1 & Mask51) + c0,
            (l2 & Mask51) + c1,
            (l3 & Mask51) + c2,
            (l4 & Mask51) + c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Add(in FieldElement a, in FieldElement b)
        => new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4);

    /// <summary>a - b computed as a + 16p - b so no limb underflows for inputs with limbs below 2^54.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Sub(in FieldElement a, in FieldElement b)
        => Reduce(
            a.L0 + 36028797018963664UL - b.L0,
            a.L1 + 36028797018963952UL - b.L1,
            a.L2 + 36028797018963952UL - b.L2,
            a.L3 + 36028797018963952UL - b.L3,
            a.L4 + 36028797018963952UL - b.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Negate(in FieldElement a) => Sub(Zero, a);

    /// <summary>
    /// A 128-bit accumulator kept as two ulongs: the JIT turns Math.BigMul into one mul/mulx and the
    /// carry into a compare-and-add, which is markedly faster than the general UInt128 operators.
    /// </summary>
    private struct Acc
    {
        public ulong Lo, Hi;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Acc Mul(ulong a, ulong b)
        {
            Acc r;
            r.Hi = MulFull(a, b, out r.Lo);
            return r;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void MulAdd(ulong a, ulong b)
        {
            ulong hi = MulFull(a, b, out ulong lo);
            Lo += lo;
            Hi += hi + (Lo < lo ? 1UL : 0UL);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ulong x)
        {
            Lo += x;
            Hi += Lo < x ? 1UL : 0UL;
        }

        /// <summary>
        /// a*b as (high word returned, low word out). .NET 10 compiles Math.BigMul's UInt128 result to one MULX
        /// with both halves in registers; measured per squaring of the inversion chain (with the two-round carry
        /// below) this is about 12% faster than a separate IMUL for the low word plus MULX for the high word,
        /// the form used before: one multiply-port instruction per product instead of two.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong MulFull(ulong a, ulong b, out ulong lo)
        {
            UInt128 p = Math.BigMul(a, b);
            lo = (ulong)p;
            return (ulong)(p >> 64);
        }

        /// <summary>The bits above 51 (they fit in 64 bits for every sum formed here).</summary>
        public readonly ulong Shr51 => (Lo >> 51) | (Hi << 13);
    }

    /// <summary>Schoolbook 5x5 product; limbs above 2^255 fold back times 19 since 2^255 = 19 (mod p).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FieldElement Mul(in FieldElement a, in FieldElement b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;
        ulong b1_19 = b1 * 19, b2_19 = b2 * 19, b3_19 = b3 * 19, b4_19 = b4 * 19;

        Acc c0 = Acc.Mul(a0, b0); c0.MulAdd(a4, b1_19); c0.MulAdd(a3, b2_19); c0.MulAdd(a2, b3_19); c0.MulAdd(a1, b4_19);
        Acc c1 = Acc.Mul(a1, b0); c1.MulAdd(a0, b1); c1.MulAdd(a4, b2_19); c1.MulAdd(a3, b3_19); c1.MulAdd(a2, b4_19);
        Acc c2 = Acc.Mul(a2, b0); c2.MulAdd(a1, b1); c2.MulAdd(a0, b2); c2.MulAdd(a4, b3_19); c2.MulAdd(a3, b4_19);
        Acc c3 = Acc.Mul(a3, b0); c3.MulAdd(a2, b1); c3.MulAdd(a1, b2); c3.MulAdd(a0, b3); c3.MulAdd(a4, b4_19);
        Acc c4 = Acc.Mul(a4, b0); c4.MulAdd(a3, b1); c4.MulAdd(a2, b2); c4.MulAdd(a1, b3); c4.MulAdd(a0, b4);
        return Carry(ref c0, ref c1, ref c2, ref c3, ref c4);
    }

    /// <summary>
    /// Two rounds in which every column passes its bits above 51 to the next at once (column 4's times 19
    /// to column 0), instead of one carry chain through all five: the chain is what the latency of a squaring
    /// in the inversion chain waits on. Bounds, for inputs with limbs below 2^54: column k is below
    /// 5 * 19 * 2^108 &lt; 2^115 (column 4, which has no factor 19, below 2^110.4), so the round-one carries
    /// fit 64 bits, 19 times column 4's carry is below 2^63.6, and every round-one limb is below 2^63.7;
    /// the round-two carries are below 2^13, so the result limbs are below 2^51 + 19 * 2^13 &lt; 2^52.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Carry(ref Acc c0, ref Acc c1, ref Acc c2, ref Acc c3, ref Acc c4)
    {
        ulong r0 = (c0.Lo & Mask51) + c4.Shr51 * 19;
        ulong r1 = (c1.Lo & Mask51) + c0.Shr51;
        ulong r2 = (c2.Lo & Mask51) + c1.Shr51;
        ulong r3 = (c3.Lo & Mask51) + c2.Shr51;
        ulong r4 = (c4.Lo & Mask51) + c3.Shr51;
        return new FieldElement(
            (r0 & Mask51) + (r4 >> 51) * 19,
            (r1 & Mask51) + (r0 >> 51),
            (r2 & Mask51) + (r1 >> 51),
            (r3 & Mask51) + (r2 >> 51),
            (r4 & Mask51) + (r3 >> 51));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FieldElement Square(in FieldElement a) => SquareCore(a.L0, a.L1, a.L2, a.L3, a.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement SquareCore(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        ulong a3_19 = a3 * 19, a4_19 = a4 * 19;
        ulong d0 = a0 * 2, d1 = a1 * 2, d2 = a2 * 2, d4 = a4 * 2;

        Acc c0 = Acc.Mul(a0, a0); c0.MulAdd(d1, a4_19); c0.MulAdd(d2, a3_19);
        Acc c1 = Acc.Mul(a3, a3_19); c1.MulAdd(d0, a1); c1.MulAdd(d2, a4_19);
        Acc c2 = Acc.Mul(a1, a1); c2.MulAdd(d0, a2); c2.MulAdd(d4, a3_19);
        Acc c3 = Acc.Mul(a4, a4_19); c3.MulAdd(d0, a3); c3.MulAdd(d1, a2);
        Acc c4 = Acc.Mul(a2, a2); c4.MulAdd(d0, a4); c4.MulAdd(d1, a3);
        return Carry(ref c0, ref c1, ref c2, ref c3, ref c4);
    }

    /// <summary>
    /// a^(2^k), k >= 1. The squaring is inlined into the loop so the limbs stay in registers across the
    /// (up to 100) squarings of a step of the inversion chain, instead of a call and a struct round trip each.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FieldElement SquareTimes(in FieldElement a, int k)
    {
        FieldElement r = a;
        for (int i = 0; i < k; i++) r = SquareCore(r.L0, r.L1, r.L2, r.L3, r.L4);
        return r;
    }

    /// <summary>Returns (x^(2^250 - 1), x^11): the shared prefix of the inversion and square-root chains.</summary>
    private static (FieldElement, FieldElement) Pow22501(in FieldElement x)
    {
        FieldElement t0 = Square(x);                 // 2
        FieldElement t1 = SquareTimes(t0, 2);        // 8
        FieldElement t2 = Mul(x, t1);                // 9
        FieldElement t3 = Mul(t0, t2);               // 11
        FieldElement t4 = Square(t3);                // 22
        FieldElement t5 = Mul(t2, t4);               // 2^5 - 1
        FieldElement t6 = SquareTimes(t5, 5);
        FieldElement t7 = Mul(t6, t5);               // 2^10 - 1
        FieldElement t8 = SquareTimes(t7, 10);
        FieldElement t9 = Mul(t8, t7);               // 2^20 - 1
        FieldElement t10 = SquareTimes(t9, 20);
        FieldElement t11 = Mul(t10, t9);             // 2^40 - 1
        FieldElement t12 = SquareTimes(t11, 10);
        FieldElement t13 = Mul(t12, t7);             // 2^50 - 1
        FieldElement t14 = SquareTimes(t13, 50);
        FieldElement t15 = Mul(t14, t13);            // 2^100 - 1
        FieldElement t16 = SquareTimes(t15, 100);
        FieldElement t17 = Mul(t16, t15);            // 2^200 - 1
        FieldElement t18 = SquareTimes(t17, 50);
        FieldElement t19 = Mul(t18, t13);            // 2^250 - 1
        return (t19, t3);
    }

    /// <summary>x^(p-2) = x^(2^255 - 21) (Fermat); the inverse of zero is zero.</summary>
    public static FieldElement Invert(in FieldElement x)
    {
        var (t19, t3) = Pow22501(x);
        return Mul(SquareTimes(t19, 5), t3);
    }

    /// <summary>x^((p-5)/8) = x^(2^252 - 3), the exponent of the square-root ratio (RFC 9496 section 4.2).</summary>
    public static FieldElement PowP58(in FieldElement x)
    {
        var (t19, _) = Pow22501(x);
        return Mul(SquareTimes(t19, 2), x);
    }

    /// <summary>Constant-time: 1 when the canonical encoding is odd (RFC 9496 IS_NEGATIVE).</summary>
    public int IsNegative()
    {
        Span<byte> b = stackalloc byte[32];
        WriteTo(b);
        return b[0] & 1;
    }

    /// <summary>Constant-time: 1 when the element is zero mod p.</summary>
    public int IsZero()
    {
        Span<byte> b = stackalloc byte[32];
        WriteTo(b);
        int acc = 0;
        for (int i = 0; i < 32; i++) acc |= b[i];
        return ((acc - 1) >> 31) & 1;
    }

    /// <summary>Constant-time equality of the canonical encodings (1 or 0).</summary>
    public static int CtEquals(in FieldElement a, in FieldElement b) => Sub(a, b).IsZero();

    /// <summary>choice ? b : a, without branching. choice must be 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Select(in FieldElement a, in FieldElement b, int choice)
    {
        ulong m = 0UL - (ulong)(uint)choice;
        return new FieldElement(
            a.L0 ^ (m & (a.L0 ^ b.L0)),
            a.L1 ^ (m & (a.L1 ^ b.L1)),
            a.L2 ^ (m & (a.L2 ^ b.L2)),
            a.L3 ^ (m & (a.L3 ^ b.L3)),
            a.L4 ^ (m & (a.L4 ^ b.L4)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement ConditionalNegate(in FieldElement a, int choice) => Select(a, Negate(a), choice);

    /// <summary>RFC 9496 CT_ABS: the non-negative (even) one of a and -a.</summary>
    public static FieldElement Abs(in FieldElement a) => ConditionalNegate(a, a.IsNegative());

    /// <summary>
    /// RFC 9496 section 4.2 SQRT_RATIO_M1(u, v): (1, +sqrt(u/v)) when u/v is square, (1, 0) when u = 0,
    /// (0, 0) when v = 0 and u != 0, else (0, +sqrt(i*u/v)).
    /// </summary>
    public static (int wasSquare, FieldElement r) SqrtRatioM1(in FieldElement u, in FieldElement v)
    {
        FieldElement v3 = Mul(Square(v), v);
        FieldElement v7 = Mul(Square(v3), v);
        return SqrtRatioM1Finish(u, v, v3, PowP58(Mul(u, v7)));
    }

    /// <summary>
    /// <see cref="SqrtRatioM1"/> after its exponentiation: <paramref name="pow"/> = (u v^7)^((p-5)/8), computed by the
    /// caller (one lane of a 4-way chain for batches), <paramref name="v3"/> = v^3.
    /// </summary>
    internal static (int wasSquare, FieldElement r) SqrtRatioM1Finish(in FieldElement u, in FieldElement v, in FieldElement v3, in FieldElement pow)
    {
        FieldElement r = Mul(Mul(u, v3), pow);
        FieldElement check = Mul(v, Square(r));

        FieldElement negU = Negate(u);
        int correctSign = CtEquals(check, u);
        int flippedSign = CtEquals(check, negU);
        int flippedSignI = CtEquals(check, Mul(negU, FieldConstants.SqrtM1));

        FieldElement rPrime = Mul(FieldConstants.SqrtM1, r);
        r = Select(r, rPrime, flippedSign | flippedSignI);
        r = Abs(r);
        return (correctSign | flippedSign, r);
    }

    public static FieldElement operator +(in FieldElement a, in FieldElement b) => Add(a, b);
    public static FieldElement operator -(in FieldElement a, in FieldElement b) => Sub(a, b);
    public static FieldElement operator -(in FieldElement a) => Negate(a);
    public static FieldElement operator *(in FieldElement a, in FieldElement b) => Mul(a, b);
}
