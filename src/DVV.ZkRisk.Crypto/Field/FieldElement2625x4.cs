using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DVV.ZkRisk.Crypto.Field;

/// <summary>
/// Four elements of GF(2^255 - 19) processed lane-wise with AVX2: limb i of all four elements sits in one
/// <see cref="Vector256{T}"/> of ulong (lane k = element k). Radix 2^25.5: ten limbs of alternately 26 and
/// 25 bits, value = sum of L_i * 2^ceil(25.5 i), so every limb product fits the 32x32->64 bit multiply
/// VPMULUDQ (<see cref="Avx2.Multiply(Vector256{uint}, Vector256{uint})"/>) that .NET exposes, and the
/// four lanes run in parallel. This is the representation of the parallel Edwards formulas of
/// Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited" (Asiacrypt 2008), section 4, whose
/// 4-way split of the point operations this backend follows (see <c>ExtendedPoint4</c>).
///
/// Limb bounds (N_i = 2^26 for even i, 2^25 for odd i; all are checked by the tests at their edges):
/// <list type="bullet">
/// <item>reduced: output of <see cref="Mul"/>, <see cref="Square"/>, <see cref="Reduce"/>: L_i &lt; 1.05 N_i (see <see cref="CarryInPlace"/>).</item>
/// <item><see cref="Add"/> of two reduced: &lt; 2.1 N_i. <see cref="Sub"/>(a, b) = a + 2p - b needs b_i &lt;= 2p_i,
///   which every reduced b satisfies (2p_i is 2 N_i - 2, 2 N_0 - 38 for limb 0); for reduced a the result is &lt; 3.05 N_i.</item>
/// <item>operands of <see cref="Mul"/>/<see cref="Square"/>: L_i &lt; 3.3 N_i. Then 19 L_j and 38 L_j (odd j) stay below
///   2^32, the VPMULUDQ operand width, and each column sum is below 172 * 3.3^2 * 2^52 &lt; 2^63 (at most nine of
///   the ten terms carry the factor 19, each term is at most 3.3^2 * 2^52), so no 64-bit lane overflows.</item>
/// </list>
/// Everything is constant time: no branch or memory index depends on limb values.
/// Most of the per-limb code is mechanical; it was generated from the index rules stated in the comments.
/// </summary>
[SkipLocalsInit]
internal struct FieldElement2625x4
{
    internal Vector256<ulong> L0, L1, L2, L3, L4, L5, L6, L7, L8, L9;

    private const ulong Mask26 = (1UL << 26) - 1, Mask25 = (1UL << 25) - 1;

    // 2p in this radix: p = (2^26 - 19, 2^25 - 1, 2^26 - 1, 2^25 - 1, ...).
    internal static Vector256<ulong> Bias0 => Vector256.Create((1UL << 27) - 38);
    internal static Vector256<ulong> BiasEven => Vector256.Create((1UL << 27) - 2);
    internal static Vector256<ulong> BiasOdd => Vector256.Create((1UL << 26) - 2);

    /// <summary>VPMULUDQ: the low 32 bits of each 64-bit lane multiplied, full 64-bit products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M(Vector256<ulong> x, Vector256<ulong> y) => Avx2.Multiply(x.AsUInt32(), y.AsUInt32());

    /// <summary>Packs four serial elements (limbs below 2^54) into the lanes, reduced.</summary>
    public static FieldElement2625x4 FromFieldElements(in FieldElement a, in FieldElement b, in FieldElement c, in FieldElement d)
    {
        // Limb k of radix 2^51 is 2^26 * (high part) + (low 26 bits) at weight 2^(51k) = 2^ceil(25.5 * 2k).
        FieldElement2625x4 r;
        r.L0 = Vector256.Create(a.L0 & Mask26, b.L0 & Mask26, c.L0 & Mask26, d.L0 & Mask26);
        r.L1 = Vector256.Create(a.L0 >> 26, b.L0 >> 26, c.L0 >> 26, d.L0 >> 26);
        r.L2 = Vector256.Create(a.L1 & Mask26, b.L1 & Mask26, c.L1 & Mask26, d.L1 & Mask26);
        r.L3 = Vector256.Create(a.L1 >> 26, b.L1 >> 26, c.L1 >> 26, d.L1 >> 26);
        r.L4 = Vector256.Create(a.L2 & Mask26, b.L2 & Mask26, c.L2 & Mask26, d.L2 & Mask26);
        r.L5 = Vector256.Create(a.L2 >> 26, b.L2 >> 26, c.L2 >> 26, d.L2 >> 26);
        r.L6 = Vector256.Create(a.L3 & Mask26, b.L3 & Mask26, c.L3 & Mask26, d.L3 & Mask26);
        r.L7 = Vector256.Create(a.L3 >> 26, b.L3 >> 26, c.L3 >> 26, d.L3 >> 26);
        r.L8 = Vector256.Create(a.L4 & Mask26, b.L4 & Mask26, c.L4 & Mask26, d.L4 & Mask26);
        r.L9 = Vector256.Create(a.L4 >> 26, b.L4 >> 26, c.L4 >> 26, d.L4 >> 26);
        return Reduce(r);
    }

    /// <summary>Lane <paramref name="lane"/> (0..3) as a serial element; limbs below 2^52 (from reduced limbs).</summary>
    public readonly FieldElement Lane(int lane)
    {
        FieldElement2625x4 r = Reduce(this);
        return new FieldElement(r.L0.GetElement(lane) + (r.L1.GetElement(lane) << 26), r.L2.GetElement(lane) + (r.L3.GetElement(lane) << 26), r.L4.GetElement(lane) + (r.L5.GetElement(lane) << 26), r.L6.GetElement(lane) + (r.L7.GetElement(lane) << 26), r.L8.GetElement(lane) + (r.L9.GetElement(lane) << 26));
    }

    public readonly void Split(out FieldElement a, out FieldElement b, out FieldElement c, out FieldElement d)
    {
        a = Lane(0); b = Lane(1); c = Lane(2); d = Lane(3);
    }

    /// <summary>Lane-wise sum, not reduced (two reduced inputs give limbs below 2.1 N_i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Add(in FieldElement2625x4 a, in FieldElement2625x4 b)
    {
        FieldElement2625x4 r;
        r.L0 = a.L0 + b.L0;
        r.L1 = a.L1 + b.L1;
        r.L2 = a.L2 + b.L2;
        r.L3 = a.L3 + b.L3;
        r.L4 = a.L4 + b.L4;
        r.L5 = a.L5 + b.L5;
        r.L6 = a.L6 + b.L6;
        r.L7 = a.L7 + b.L7;
        r.L8 = a.L8 + b.L8;
        r.L9 = a.L9 + b.L9;
        return r;
    }

    /// <summary>Lane-wise a + 2p - b, not reduced; b must be reduced (limbs at most 2p_i) so no lane goes negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Sub(in FieldElement2625x4 a, in FieldElement2625x4 b)
    {
        FieldElement2625x4 r;
        r.L0 = a.L0 + Bias0 - b.L0;
        r.L1 = a.L1 + BiasOdd - b.L1;
        r.L2 = a.L2 + BiasEven - b.L2;
        r.L3 = a.L3 + BiasOdd - b.L3;
        r.L4 = a.L4 + BiasEven - b.L4;
        r.L5 = a.L5 + BiasOdd - b.L5;
        r.L6 = a.L6 + BiasEven - b.L6;
        r.L7 = a.L7 + BiasOdd - b.L7;
        r.L8 = a.L8 + BiasEven - b.L8;
        r.L9 = a.L9 + BiasOdd - b.L9;
        return r;
    }

    /// <summary>Lane-wise 2p - a, not reduced; a must have limbs at most 2p_i (every reduced a does); result limbs below 2 N_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Negate(in FieldElement2625x4 a)
    {
        FieldElement2625x4 r;
        r.L0 = Bias0 - a.L0;
        r.L1 = BiasOdd - a.L1;
        r.L2 = BiasEven - a.L2;
        r.L3 = BiasOdd - a.L3;
        r.L4 = BiasEven - a.L4;
        r.L5 = BiasOdd - a.L5;
        r.L6 = BiasEven - a.L6;
        r.L7 = BiasOdd - a.L7;
        r.L8 = BiasEven - a.L8;
        r.L9 = BiasOdd - a.L9;
        return r;
    }

    /// <summary>
    /// Lane-wise product. Column k collects a_i b_j with i + j = k (mod 10): the weight of a_i b_j is
    /// 2^(ceil(25.5 i) + ceil(25.5 j)), which is 2^ceil(25.5 (i + j)) times 2 exactly when i and j are both
    /// odd (so a_i is doubled), and columns at or above 10 fold back times 19 because 2^255 = 19 (mod p)
    /// (so b_j is taken times 19). This is the ref10 schoolbook product, four lanes at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Mul(in FieldElement2625x4 a, in FieldElement2625x4 b)
    {
        Mul(a, b, out FieldElement2625x4 r);
        return r;
    }

    /// <summary>
    /// <see cref="Mul(in FieldElement2625x4, in FieldElement2625x4)"/> into <paramref name="r"/>, which may alias
    /// an input (every limb is read before the first write). Writing through the out parameter avoids copying
    /// the 320-byte result, which the JIT does with a helper call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Mul(in FieldElement2625x4 a, in FieldElement2625x4 b, out FieldElement2625x4 r)
    {
        Vector256<ulong> c19 = Vector256.Create(19UL);
        Vector256<ulong> b0 = b.L0;
        Vector256<ulong> b1 = b.L1;
        Vector256<ulong> b2 = b.L2;
        Vector256<ulong> b3 = b.L3;
        Vector256<ulong> b4 = b.L4;
        Vector256<ulong> b5 = b.L5;
        Vector256<ulong> b6 = b.L6;
        Vector256<ulong> b7 = b.L7;
        Vector256<ulong> b8 = b.L8;
        Vector256<ulong> b9 = b.L9;
        Vector256<ulong> b1_19 = M(b1, c19);
        Vector256<ulong> b2_19 = M(b2, c19);
        Vector256<ulong> b3_19 = M(b3, c19);
        Vector256<ulong> b4_19 = M(b4, c19);
        Vector256<ulong> b5_19 = M(b5, c19);
        Vector256<ulong> b6_19 = M(b6, c19);
        Vector256<ulong> b7_19 = M(b7, c19);
        Vector256<ulong> b8_19 = M(b8, c19);
        Vector256<ulong> b9_19 = M(b9, c19);
        Vector256<ulong> a0 = a.L0;
        Vector256<ulong> a1 = a.L1;
        Vector256<ulong> a2 = a.L2;
        Vector256<ulong> a3 = a.L3;
        Vector256<ulong> a4 = a.L4;
        Vector256<ulong> a5 = a.L5;
        Vector256<ulong> a6 = a.L6;
        Vector256<ulong> a7 = a.L7;
        Vector256<ulong> a8 = a.L8;
        Vector256<ulong> a9 = a.L9;
        Vector256<ulong> a1_2 = a1 + a1;
        Vector256<ulong> a3_2 = a3 + a3;
        Vector256<ulong> a5_2 = a5 + a5;
        Vector256<ulong> a7_2 = a7 + a7;
        Vector256<ulong> a9_2 = a9 + a9;
        Vector256<ulong> z0 = (((M(a0, b0) + M(a1_2, b9_19)) + (M(a2, b8_19) + M(a3_2, b7_19))) + ((M(a4, b6_19) + M(a5_2, b5_19)) + (M(a6, b4_19) + M(a7_2, b3_19)))) + (M(a8, b2_19) + M(a9_2, b1_19));
        Vector256<ulong> z1 = (((M(a0, b1) + M(a1, b0)) + (M(a2, b9_19) + M(a3, b8_19))) + ((M(a4, b7_19) + M(a5, b6_19)) + (M(a6, b5_19) + M(a7, b4_19)))) + (M(a8, b3_19) + M(a9, b2_19));
        Vector256<ulong> z2 = (((M(a0, b2) + M(a1_2, b1)) + (M(a2, b0) + M(a3_2, b9_19))) + ((M(a4, b8_19) + M(a5_2, b7_19)) + (M(a6, b6_19) + M(a7_2, b5_19)))) + (M(a8, b4_19) + M(a9_2, b3_19));
        Vector256<ulong> z3 = (((M(a0, b3) + M(a1, b2)) + (M(a2, b1) + M(a3, b0))) + ((M(a4, b9_19) + M(a5, b8_19)) + (M(a6, b7_19) + M(a7, b6_19)))) + (M(a8, b5_19) + M(a9, b4_19));
        Vector256<ulong> z4 = (((M(a0, b4) + M(a1_2, b3)) + (M(a2, b2) + M(a3_2, b1))) + ((M(a4, b0) + M(a5_2, b9_19)) + (M(a6, b8_19) + M(a7_2, b7_19)))) + (M(a8, b6_19) + M(a9_2, b5_19));
        Vector256<ulong> z5 = (((M(a0, b5) + M(a1, b4)) + (M(a2, b3) + M(a3, b2))) + ((M(a4, b1) + M(a5, b0)) + (M(a6, b9_19) + M(a7, b8_19)))) + (M(a8, b7_19) + M(a9, b6_19));
        Vector256<ulong> z6 = (((M(a0, b6) + M(a1_2, b5)) + (M(a2, b4) + M(a3_2, b3))) + ((M(a4, b2) + M(a5_2, b1)) + (M(a6, b0) + M(a7_2, b9_19)))) + (M(a8, b8_19) + M(a9_2, b7_19));
        Vector256<ulong> z7 = (((M(a0, b7) + M(a1, b6)) + (M(a2, b5) + M(a3, b4))) + ((M(a4, b3) + M(a5, b2)) + (M(a6, b1) + M(a7, b0)))) + (M(a8, b9_19) + M(a9, b8_19));
        Vector256<ulong> z8 = (((M(a0, b8) + M(a1_2, b7)) + (M(a2, b6) + M(a3_2, b5))) + ((M(a4, b4) + M(a5_2, b3)) + (M(a6, b2) + M(a7_2, b1)))) + (M(a8, b0) + M(a9_2, b9_19));
        Vector256<ulong> z9 = (((M(a0, b9) + M(a1, b8)) + (M(a2, b7) + M(a3, b6))) + ((M(a4, b5) + M(a5, b4)) + (M(a6, b3) + M(a7, b2)))) + (M(a8, b1) + M(a9, b0));
        CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        r.L0 = z0; r.L1 = z1; r.L2 = z2; r.L3 = z3; r.L4 = z4;
        r.L5 = z5; r.L6 = z6; r.L7 = z7; r.L8 = z8; r.L9 = z9;
    }

    /// <summary>
    /// Lane-wise square: the pairs i &lt; j of <see cref="Mul"/> appear twice, so column k holds
    /// a_i^2 (i = j) and 2 a_i a_j (i &lt; j) with the same factors 2 (both odd) and 19 (i + j &gt;= 10).
    /// The factor 2 of i &lt; j goes on a_i, the others on a_j, so every operand stays below 2^32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Square(in FieldElement2625x4 a)
    {
        Square(a, out FieldElement2625x4 r);
        return r;
    }

    /// <summary><see cref="Square(in FieldElement2625x4)"/> into <paramref name="r"/> (may alias a).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Square(in FieldElement2625x4 a, out FieldElement2625x4 r)
    {
        Vector256<ulong> c19 = Vector256.Create(19UL), c38 = Vector256.Create(38UL);
        Vector256<ulong> a0 = a.L0;
        Vector256<ulong> a1 = a.L1;
        Vector256<ulong> a2 = a.L2;
        Vector256<ulong> a3 = a.L3;
        Vector256<ulong> a4 = a.L4;
        Vector256<ulong> a5 = a.L5;
        Vector256<ulong> a6 = a.L6;
        Vector256<ulong> a7 = a.L7;
        Vector256<ulong> a8 = a.L8;
        Vector256<ulong> a9 = a.L9;
        Vector256<ulong> a0_2 = a0 + a0;
        Vector256<ulong> a1_2 = a1 + a1;
        Vector256<ulong> a2_2 = a2 + a2;
        Vector256<ulong> a3_2 = a3 + a3;
        Vector256<ulong> a4_2 = a4 + a4;
        Vector256<ulong> a5_2 = a5 + a5;
        Vector256<ulong> a6_2 = a6 + a6;
        Vector256<ulong> a7_2 = a7 + a7;
        Vector256<ulong> a8_2 = a8 + a8;
        Vector256<ulong> a6_19 = M(a6, c19);
        Vector256<ulong> a8_19 = M(a8, c19);
        Vector256<ulong> a7_19 = M(a7, c19);
        Vector256<ulong> a9_19 = M(a9, c19);
        Vector256<ulong> a7_38 = a7_19 + a7_19;
        Vector256<ulong> a9_38 = a9_19 + a9_19;
        Vector256<ulong> a5_38 = M(a5, c38);
        Vector256<ulong> z0 = ((M(a0, a0) + M(a1_2, a9_38)) + (M(a2_2, a8_19) + M(a3_2, a7_38))) + (M(a4_2, a6_19) + M(a5, a5_38));
        Vector256<ulong> z1 = ((M(a0_2, a1) + M(a2_2, a9_19)) + (M(a3_2, a8_19) + M(a4_2, a7_19))) + M(a5_2, a6_19);
        Vector256<ulong> z2 = ((M(a0_2, a2) + M(a1, a1_2)) + (M(a3_2, a9_38) + M(a4_2, a8_19))) + (M(a5_2, a7_38) + M(a6, a6_19));
        Vector256<ulong> z3 = ((M(a0_2, a3) + M(a1_2, a2)) + (M(a4_2, a9_19) + M(a5_2, a8_19))) + M(a6_2, a7_19);
        Vector256<ulong> z4 = ((M(a0_2, a4) + M(a1_2, a3_2)) + (M(a2, a2) + M(a5_2, a9_38))) + (M(a6_2, a8_19) + M(a7, a7_38));
        Vector256<ulong> z5 = ((M(a0_2, a5) + M(a1_2, a4)) + (M(a2_2, a3) + M(a6_2, a9_19))) + M(a7_2, a8_19);
        Vector256<ulong> z6 = ((M(a0_2, a6) + M(a1_2, a5_2)) + (M(a2_2, a4) + M(a3, a3_2))) + (M(a7_2, a9_38) + M(a8, a8_19));
        Vector256<ulong> z7 = ((M(a0_2, a7) + M(a1_2, a6)) + (M(a2_2, a5) + M(a3_2, a4))) + M(a8_2, a9_19);
        Vector256<ulong> z8 = ((M(a0_2, a8) + M(a1_2, a7_2)) + (M(a2_2, a6) + M(a3_2, a5_2))) + (M(a4, a4) + M(a9, a9_38));
        Vector256<ulong> z9 = ((M(a0_2, a9) + M(a1_2, a8)) + (M(a2_2, a7) + M(a3_2, a6))) + M(a4_2, a5);
        CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        r.L0 = z0; r.L1 = z1; r.L2 = z2; r.L3 = z3; r.L4 = z4;
        r.L5 = z5; r.L6 = z6; r.L7 = z7; r.L8 = z8; r.L9 = z9;
    }

    /// <summary>Lane l times the small constant c_l (c_l below 2^32), reduced.</summary>
    public static FieldElement2625x4 MulSmall(in FieldElement2625x4 a, Vector256<ulong> c)
    {
        Vector256<ulong> z0 = M(a.L0, c);
        Vector256<ulong> z1 = M(a.L1, c);
        Vector256<ulong> z2 = M(a.L2, c);
        Vector256<ulong> z3 = M(a.L3, c);
        Vector256<ulong> z4 = M(a.L4, c);
        Vector256<ulong> z5 = M(a.L5, c);
        Vector256<ulong> z6 = M(a.L6, c);
        Vector256<ulong> z7 = M(a.L7, c);
        Vector256<ulong> z8 = M(a.L8, c);
        Vector256<ulong> z9 = M(a.L9, c);
        return Carry(z0, z1, z2, z3, z4, z5, z6, z7, z8, z9);
    }

    /// <summary>Carries every limb down to its width (lanes below 2^63 in, reduced out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Reduce(in FieldElement2625x4 a) => Carry(a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, a.L7, a.L8, a.L9);

    /// <summary>
    /// Two rounds of carries in which every limb passes its excess to the next at once (limb 9's times 19 to
    /// limb 0, as 2^255 = 19 mod p). A sequential carry chain is twelve dependent steps; this is two, which
    /// matters because the point formulas chain multiplications back to back. For lanes below 2^63 (every
    /// column sum of <see cref="Mul"/> and <see cref="Square"/>, see the bound above): after round one each limb is
    /// below N_i + 19 * 2^38 &lt; 2^42.4, after round two below N_i + 2^17.4, and limb 0 below N_0 + 19 * 2^17.4
    /// &lt; 1.05 N_0. So "reduced" means below 1.05 N_i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CarryInPlace(ref Vector256<ulong> z0, ref Vector256<ulong> z1, ref Vector256<ulong> z2, ref Vector256<ulong> z3, ref Vector256<ulong> z4, ref Vector256<ulong> z5, ref Vector256<ulong> z6, ref Vector256<ulong> z7, ref Vector256<ulong> z8, ref Vector256<ulong> z9)
    {
        Vector256<ulong> m26 = Vector256.Create(Mask26), m25 = Vector256.Create(Mask25);
        Vector256<ulong> c0, c1, c2, c3, c4, c5, c6, c7, c8, c9;
        c0 = Vector256.ShiftRightLogical(z0, 26);
        c1 = Vector256.ShiftRightLogical(z1, 25);
        c2 = Vector256.ShiftRightLogical(z2, 26);
        c3 = Vector256.ShiftRightLogical(z3, 25);
        c4 = Vector256.ShiftRightLogical(z4, 26);
        c5 = Vector256.ShiftRightLogical(z5, 25);
        c6 = Vector256.ShiftRightLogical(z6, 26);
        c7 = Vector256.ShiftRightLogical(z7, 25);
        c8 = Vector256.ShiftRightLogical(z8, 26);
        c9 = Vector256.ShiftRightLogical(z9, 25);
        // 19 c9 = 16 c9 + 2 c9 + c9 by shifts: c9 can exceed 32 bits, beyond VPMULUDQ's operand width.
        z0 = (z0 & m26) + c9 + Vector256.ShiftLeft(c9, 1) + Vector256.ShiftLeft(c9, 4);
        z1 = (z1 & m25) + c0;
        z2 = (z2 & m26) + c1;
        z3 = (z3 & m25) + c2;
        z4 = (z4 & m26) + c3;
        z5 = (z5 & m25) + c4;
        z6 = (z6 & m26) + c5;
        z7 = (z7 & m25) + c6;
        z8 = (z8 & m26) + c7;
        z9 = (z9 & m25) + c8;
        c0 = Vector256.ShiftRightLogical(z0, 26);
        c1 = Vector256.ShiftRightLogical(z1, 25);
        c2 = Vector256.ShiftRightLogical(z2, 26);
        c3 = Vector256.ShiftRightLogical(z3, 25);
        c4 = Vector256.ShiftRightLogical(z4, 26);
        c5 = Vector256.ShiftRightLogical(z5, 25);
        c6 = Vector256.ShiftRightLogical(z6, 26);
        c7 = Vector256.ShiftRightLogical(z7, 25);
        c8 = Vector256.ShiftRightLogical(z8, 26);
        c9 = Vector256.ShiftRightLogical(z9, 25);
        // 19 c9 = 16 c9 + 2 c9 + c9 by shifts: c9 can exceed 32 bits, beyond VPMULUDQ's operand width.
        z0 = (z0 & m26) + c9 + Vector256.ShiftLeft(c9, 1) + Vector256.ShiftLeft(c9, 4);
        z1 = (z1 & m25) + c0;
        z2 = (z2 & m26) + c1;
        z3 = (z3 & m25) + c2;
        z4 = (z4 & m26) + c3;
        z5 = (z5 & m25) + c4;
        z6 = (z6 & m26) + c5;
        z7 = (z7 & m25) + c6;
        z8 = (z8 & m26) + c7;
        z9 = (z9 & m25) + c8;
    }

    /// <summary>
    /// One round of <see cref="CarryInPlace"/>, enough for lanes below 2^38 (sums and biased differences of a
    /// few reduced elements): the carries are then below 2^13, so afterwards limb 0 is below N_0 + 19 * 2^13 and
    /// the others below N_i + 2^13, which is reduced.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CarryOnceInPlace(ref Vector256<ulong> z0, ref Vector256<ulong> z1, ref Vector256<ulong> z2, ref Vector256<ulong> z3, ref Vector256<ulong> z4, ref Vector256<ulong> z5, ref Vector256<ulong> z6, ref Vector256<ulong> z7, ref Vector256<ulong> z8, ref Vector256<ulong> z9)
    {
        Vector256<ulong> m26 = Vector256.Create(Mask26), m25 = Vector256.Create(Mask25);
        Vector256<ulong> c0, c1, c2, c3, c4, c5, c6, c7, c8, c9;
        c0 = Vector256.ShiftRightLogical(z0, 26);
        c1 = Vector256.ShiftRightLogical(z1, 25);
        c2 = Vector256.ShiftRightLogical(z2, 26);
        c3 = Vector256.ShiftRightLogical(z3, 25);
        c4 = Vector256.ShiftRightLogical(z4, 26);
        c5 = Vector256.ShiftRightLogical(z5, 25);
        c6 = Vector256.ShiftRightLogical(z6, 26);
        c7 = Vector256.ShiftRightLogical(z7, 25);
        c8 = Vector256.ShiftRightLogical(z8, 26);
        c9 = Vector256.ShiftRightLogical(z9, 25);
        // 19 c9 = 16 c9 + 2 c9 + c9 by shifts: c9 can exceed 32 bits, beyond VPMULUDQ's operand width.
        z0 = (z0 & m26) + c9 + Vector256.ShiftLeft(c9, 1) + Vector256.ShiftLeft(c9, 4);
        z1 = (z1 & m25) + c0;
        z2 = (z2 & m26) + c1;
        z3 = (z3 & m25) + c2;
        z4 = (z4 & m26) + c3;
        z5 = (z5 & m25) + c4;
        z6 = (z6 & m26) + c5;
        z7 = (z7 & m25) + c6;
        z8 = (z8 & m26) + c7;
        z9 = (z9 & m25) + c8;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement2625x4 Carry(Vector256<ulong> z0, Vector256<ulong> z1, Vector256<ulong> z2, Vector256<ulong> z3, Vector256<ulong> z4, Vector256<ulong> z5, Vector256<ulong> z6, Vector256<ulong> z7, Vector256<ulong> z8, Vector256<ulong> z9)
    {
        CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        FieldElement2625x4 r;
        r.L0 = z0; r.L1 = z1; r.L2 = z2; r.L3 = z3; r.L4 = z4;
        r.L5 = z5; r.L6 = z6; r.L7 = z7; r.L8 = z8; r.L9 = z9;
        return r;
    }

    /// <summary>Per lane: mask lane all ones ? b : a (constant time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Select(Vector256<ulong> mask, in FieldElement2625x4 a, in FieldElement2625x4 b)
    {
        FieldElement2625x4 r;
        r.L0 = Vector256.ConditionalSelect(mask, b.L0, a.L0);
        r.L1 = Vector256.ConditionalSelect(mask, b.L1, a.L1);
        r.L2 = Vector256.ConditionalSelect(mask, b.L2, a.L2);
        r.L3 = Vector256.ConditionalSelect(mask, b.L3, a.L3);
        r.L4 = Vector256.ConditionalSelect(mask, b.L4, a.L4);
        r.L5 = Vector256.ConditionalSelect(mask, b.L5, a.L5);
        r.L6 = Vector256.ConditionalSelect(mask, b.L6, a.L6);
        r.L7 = Vector256.ConditionalSelect(mask, b.L7, a.L7);
        r.L8 = Vector256.ConditionalSelect(mask, b.L8, a.L8);
        r.L9 = Vector256.ConditionalSelect(mask, b.L9, a.L9);
        return r;
    }

    /// <summary>
    /// VPBLENDD per limb: 32-bit lane i from b when bit i of control is set (64-bit lane k is bits 2k, 2k+1:
    /// 0x03, 0x0C, 0x30, 0xC0). control must be a constant at the call site.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Blend(in FieldElement2625x4 a, in FieldElement2625x4 b, [ConstantExpected] byte control)
    {
        FieldElement2625x4 r;
        r.L0 = Avx2.Blend(a.L0.AsUInt32(), b.L0.AsUInt32(), control).AsUInt64();
        r.L1 = Avx2.Blend(a.L1.AsUInt32(), b.L1.AsUInt32(), control).AsUInt64();
        r.L2 = Avx2.Blend(a.L2.AsUInt32(), b.L2.AsUInt32(), control).AsUInt64();
        r.L3 = Avx2.Blend(a.L3.AsUInt32(), b.L3.AsUInt32(), control).AsUInt64();
        r.L4 = Avx2.Blend(a.L4.AsUInt32(), b.L4.AsUInt32(), control).AsUInt64();
        r.L5 = Avx2.Blend(a.L5.AsUInt32(), b.L5.AsUInt32(), control).AsUInt64();
        r.L6 = Avx2.Blend(a.L6.AsUInt32(), b.L6.AsUInt32(), control).AsUInt64();
        r.L7 = Avx2.Blend(a.L7.AsUInt32(), b.L7.AsUInt32(), control).AsUInt64();
        r.L8 = Avx2.Blend(a.L8.AsUInt32(), b.L8.AsUInt32(), control).AsUInt64();
        r.L9 = Avx2.Blend(a.L9.AsUInt32(), b.L9.AsUInt32(), control).AsUInt64();
        return r;
    }

    /// <summary>VPERMQ per limb: lane k of the result is lane (control >> 2k) &amp; 3 of a. control must be a constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 Permute(in FieldElement2625x4 a, [ConstantExpected] byte control)
    {
        FieldElement2625x4 r;
        r.L0 = Avx2.Permute4x64(a.L0, control);
        r.L1 = Avx2.Permute4x64(a.L1, control);
        r.L2 = Avx2.Permute4x64(a.L2, control);
        r.L3 = Avx2.Permute4x64(a.L3, control);
        r.L4 = Avx2.Permute4x64(a.L4, control);
        r.L5 = Avx2.Permute4x64(a.L5, control);
        r.L6 = Avx2.Permute4x64(a.L6, control);
        r.L7 = Avx2.Permute4x64(a.L7, control);
        r.L8 = Avx2.Permute4x64(a.L8, control);
        r.L9 = Avx2.Permute4x64(a.L9, control);
        return r;
    }

    /// <summary>Swaps lanes 0,1 and lanes 2,3 (an in-lane VPSHUFD, cheaper than a cross-lane permute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 SwapPairs(in FieldElement2625x4 a)
    {
        FieldElement2625x4 r;
        r.L0 = Avx2.Shuffle(a.L0.AsUInt32(), 0x4E).AsUInt64();
        r.L1 = Avx2.Shuffle(a.L1.AsUInt32(), 0x4E).AsUInt64();
        r.L2 = Avx2.Shuffle(a.L2.AsUInt32(), 0x4E).AsUInt64();
        r.L3 = Avx2.Shuffle(a.L3.AsUInt32(), 0x4E).AsUInt64();
        r.L4 = Avx2.Shuffle(a.L4.AsUInt32(), 0x4E).AsUInt64();
        r.L5 = Avx2.Shuffle(a.L5.AsUInt32(), 0x4E).AsUInt64();
        r.L6 = Avx2.Shuffle(a.L6.AsUInt32(), 0x4E).AsUInt64();
        r.L7 = Avx2.Shuffle(a.L7.AsUInt32(), 0x4E).AsUInt64();
        r.L8 = Avx2.Shuffle(a.L8.AsUInt32(), 0x4E).AsUInt64();
        r.L9 = Avx2.Shuffle(a.L9.AsUInt32(), 0x4E).AsUInt64();
        return r;
    }

    /// <summary>VPUNPCKLQDQ per limb: (a0, a0, a2, a2), the even lanes duplicated within each 128-bit half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 UnpackLow(in FieldElement2625x4 a)
    {
        FieldElement2625x4 r;
        r.L0 = Avx2.UnpackLow(a.L0, a.L0);
        r.L1 = Avx2.UnpackLow(a.L1, a.L1);
        r.L2 = Avx2.UnpackLow(a.L2, a.L2);
        r.L3 = Avx2.UnpackLow(a.L3, a.L3);
        r.L4 = Avx2.UnpackLow(a.L4, a.L4);
        r.L5 = Avx2.UnpackLow(a.L5, a.L5);
        r.L6 = Avx2.UnpackLow(a.L6, a.L6);
        r.L7 = Avx2.UnpackLow(a.L7, a.L7);
        r.L8 = Avx2.UnpackLow(a.L8, a.L8);
        r.L9 = Avx2.UnpackLow(a.L9, a.L9);
        return r;
    }

    /// <summary>VPUNPCKHQDQ per limb: (a1, a1, a3, a3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement2625x4 UnpackHigh(in FieldElement2625x4 a)
    {
        FieldElement2625x4 r;
        r.L0 = Avx2.UnpackHigh(a.L0, a.L0);
        r.L1 = Avx2.UnpackHigh(a.L1, a.L1);
        r.L2 = Avx2.UnpackHigh(a.L2, a.L2);
        r.L3 = Avx2.UnpackHigh(a.L3, a.L3);
        r.L4 = Avx2.UnpackHigh(a.L4, a.L4);
        r.L5 = Avx2.UnpackHigh(a.L5, a.L5);
        r.L6 = Avx2.UnpackHigh(a.L6, a.L6);
        r.L7 = Avx2.UnpackHigh(a.L7, a.L7);
        r.L8 = Avx2.UnpackHigh(a.L8, a.L8);
        r.L9 = Avx2.UnpackHigh(a.L9, a.L9);
        return r;
    }

    /// <summary>x^(2^252 - 3) lane-wise, the addition chain of <see cref="FieldElement.PowP58"/> (2^250 - 1 first, then two squarings and x).</summary>
    internal static void PowP58(in FieldElement2625x4 x, out FieldElement2625x4 r)
    {
        Square(x, out var t0);                 // 2
        SquareTimes(t0, 2, out var t1);                           // 8
        Mul(x, t1, out var t2);                // 9
        Mul(t0, t2, out var t3);               // 11
        Square(t3, out var t4);                // 22
        Mul(t2, t4, out var t5);               // 2^5 - 1
        SquareTimes(t5, 5, out var t6);
        Mul(t6, t5, out var t7);               // 2^10 - 1
        SquareTimes(t7, 10, out var t8);
        Mul(t8, t7, out var t9);               // 2^20 - 1
        SquareTimes(t9, 20, out var t10);
        Mul(t10, t9, out var t11);             // 2^40 - 1
        SquareTimes(t11, 10, out var t12);
        Mul(t12, t7, out var t13);             // 2^50 - 1
        SquareTimes(t13, 50, out var t14);
        Mul(t14, t13, out var t15);            // 2^100 - 1
        SquareTimes(t15, 100, out var t16);
        Mul(t16, t15, out var t17);            // 2^200 - 1
        SquareTimes(t17, 50, out var t18);
        Mul(t18, t13, out var t19);            // 2^250 - 1
        SquareTimes(t19, 2, out var t20);                         // 2^252 - 4
        Mul(t20, x, out r);                    // 2^252 - 3
    }

    internal static void SquareTimes(in FieldElement2625x4 a, int k, out FieldElement2625x4 r)
    {
        Square(a, out r);
        for (int i = 1; i < k; i++) Square(r, out r);
    }
}
