using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;
using F4 = DVV.ZkRisk.Crypto.Field.FieldElement2625x4;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// An extended twisted Edwards point (X:Y:Z:T) held as one <see cref="FieldElement2625x4"/>, lanes
/// (X, Y, Z, T), so that the four multiplications of each step of the group law run as one 4-way multiply.
/// This is the parallel evaluation of Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited"
/// (Asiacrypt 2008): section 3.1 (a = -1 addition, 8M with k = 2d) and section 3.3 (doubling, 4M + 4S),
/// split into rounds of four independent multiplications as in their section 4 (four processors).
/// Coordinates are always reduced (outputs of <see cref="F4.Mul"/>). Requires AVX2.
///
/// The linear steps between the multiplications (lane shuffles, additions, subtractions with the 2p bias)
/// are done one limb at a time in registers (the helpers below act on one limb of all four lanes), inside the
/// multiplication kernels of each round (DoubleRound1/2, AddRound1/2), so only round results go through memory.
/// </summary>
[SkipLocalsInit]
internal struct ExtendedPoint4
{
    internal F4 V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ExtendedPoint4(in F4 v) { V = v; }

    public static ExtendedPoint4 FromEdwards(in EdwardsPoint p) => new(F4.FromFieldElements(p.X, p.Y, p.Z, p.T));

    public readonly EdwardsPoint ToEdwards()
    {
        V.Split(out var x, out var y, out var z, out var t);
        return new EdwardsPoint(x, y, z, t);
    }

    /// <summary>(0 : 1 : 1 : 0).</summary>
    public static ExtendedPoint4 Identity
    {
        get
        {
            var r = new ExtendedPoint4();
            r.V.L0 = Vector256.Create(0UL, 1UL, 1UL, 0UL);
            return r;
        }
    }

    // Lane-shuffle controls (VPERMQ: lane k of the result is lane (c >> 2k) & 3 of the input; VPBLENDD: bits
    // 2k, 2k+1 take 64-bit lane k from the second operand).
    private const byte Lane0 = 0x03, Lane1 = 0x0C, Lane2 = 0x30, Lane3 = 0xC0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Blend(Vector256<ulong> a, Vector256<ulong> b, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte c)
        => Avx2.Blend(a.AsUInt32(), b.AsUInt32(), c).AsUInt64();

    /// <summary>Swaps lanes 0,1 and lanes 2,3 (in-lane VPSHUFD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> SwapPairs(Vector256<ulong> a) => Avx2.Shuffle(a.AsUInt32(), 0x4E).AsUInt64();

    /// <summary>One limb of (Y - X, Y + X, T, Z) from (X, Y, Z, T); lane 0 below 3.05 N_i, lane 1 below 2.1 N_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> DiffSumTZ(Vector256<ulong> v, Vector256<ulong> bias)
    {
        // (Y, X, T, Z) + (2p - X, X, 0, 0)
        Vector256<ulong> m = Blend(v, bias - v, Lane0) & Vector256.Create(ulong.MaxValue, ulong.MaxValue, 0UL, 0UL);
        return SwapPairs(v) + m;
    }

    /// <summary>(Y - X, Y + X, T, Z): the first operand of the addition's multiplication round.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DiffSumTZ(in F4 V, out F4 r)
    {
        r.L0 = DiffSumTZ(V.L0, F4.Bias0);
        r.L1 = DiffSumTZ(V.L1, F4.BiasOdd);
        r.L2 = DiffSumTZ(V.L2, F4.BiasEven);
        r.L3 = DiffSumTZ(V.L3, F4.BiasOdd);
        r.L4 = DiffSumTZ(V.L4, F4.BiasEven);
        r.L5 = DiffSumTZ(V.L5, F4.BiasOdd);
        r.L6 = DiffSumTZ(V.L6, F4.BiasEven);
        r.L7 = DiffSumTZ(V.L7, F4.BiasOdd);
        r.L8 = DiffSumTZ(V.L8, F4.BiasEven);
        r.L9 = DiffSumTZ(V.L9, F4.BiasOdd);
    }

    /// <summary>Cached form (Y - X, Y + X, 2d T, 2 Z): one 4-way multiplication by (1, 1, 2d, 2).</summary>
    public readonly CachedPoint4 ToCached()
    {
        DiffSumTZ(V, out F4 pre);
        CachedPoint4 r;
        F4.Mul(pre, CachedPoint4.CachingFactors, out r.V);
        return r;
    }

    /// <summary>
    /// One limb of the middle of the addition: from (A, B, C, D) form E = B - A, F = D - C, G = D + C,
    /// H = B + A, and return the operands (E, G, F, E) and (F, H, G, H) of the last multiplication round.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddMid(Vector256<ulong> abcd, Vector256<ulong> bias, out Vector256<ulong> a, out Vector256<ulong> b)
    {
        // (B, A, D, C) + (2p - A, B, 2p - C, D) = (B - A, A + B, D - C, C + D) = (E, H, F, G)
        Vector256<ulong> ehfg = SwapPairs(abcd) + Blend(bias - abcd, abcd, Lane1 | Lane3);
        a = Avx2.Permute4x64(ehfg, 0x2C);            // (E, G, F, E): lanes 0, 3, 2, 0
        b = Avx2.Permute4x64(ehfg, 0x76);            // (F, H, G, H): lanes 2, 1, 3, 1
    }

    /// <summary>
    /// P + Q, HWCD 2008 section 3.1 ("add-2008-hwcd-3", a = -1, k = 2d):
    /// A = (Y1 - X1)(Y2 - X2), B = (Y1 + X1)(Y2 + X2), C = T1 2d T2, D = Z1 2 Z2 (one 4-way multiply);
    /// E = B - A, F = D - C, G = D + C, H = B + A; X3 = E F, Y3 = G H, Z3 = F G, T3 = E H (a second one).
    /// Bounds: E, F below 3.05 N_i, G, H below 2.1 N_i, within the multiply's 3.3 N_i.
    /// </summary>
    /// <remarks><paramref name="r"/> may be <paramref name="p"/>; results go through out parameters because the
    /// JIT copies returned 320-byte structs with a helper call.</remarks>
    public static void Add(in ExtendedPoint4 p, in CachedPoint4 q, out ExtendedPoint4 r)
    {
        AddRound1(p.V, q.V, out F4 abcd);
        AddRound2(abcd, out r.V);
    }

    public readonly ExtendedPoint4 Add(in CachedPoint4 q)
    {
        Add(this, q, out ExtendedPoint4 r);
        return r;
    }

    /// <summary>One limb of (X, Y, Z, X + Y) from (X, Y, Z, T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> DoublePre(Vector256<ulong> v)
        => Blend(v, Avx2.Permute4x64(v + SwapPairs(v), 0x00), Lane3);

    /// <summary>One limb of (H, G, C, S) = (A + B, B - A, 2 Z^2, S) from the squares (A, B, Z^2, S).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> DoubleMid1(Vector256<ulong> t, Vector256<ulong> bias)
    {
        Vector256<ulong> sw = SwapPairs(t);                             // (B, A, S, Z^2)
        Vector256<ulong> u = Blend(sw, bias - sw, Lane1);               // (B, 2p - A, S, Z^2)
        u = Blend(u, t, Lane2) & Vector256.Create(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 0UL);   // (B, 2p - A, Z^2, 0)
        return t + u;                                                   // (A + B, B - A, 2 Z^2, S)
    }

    /// <summary>
    /// One limb of the operands of the last multiplication round from reduced (H, G, C, S), with E = S - H and
    /// F = C - G. The four products E F, G H, F G, E H may take their factors in either order, and the order
    /// (E, G, G, H) * (F, H, F, E) needs one cross-lane permute fewer than (E, G, F, E) * (F, H, G, H).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DoubleMid2(Vector256<ulong> w, Vector256<ulong> bias, out Vector256<ulong> a, out Vector256<ulong> b)
    {
        Vector256<ulong> rev = Avx2.Permute4x64(w, 0x1B);               // (S, C, G, H)
        Vector256<ulong> d = rev + bias - w;                            // (S - H, C - G, ., .) = (E, F, ., .)
        a = Blend(Blend(rev, d, Lane0), w, Lane1);                       // (E, G, G, H)
        b = Avx2.Permute4x64(Blend(d, rev, Lane3), 0x1D);                // (E, F, ., H) -> lanes 1, 3, 1, 0: (F, H, F, E)
    }

    /// <summary>
    /// [2]P, HWCD 2008 section 3.3 ("dbl-2008-hwcd", a = -1): A = X^2, B = Y^2, C = 2 Z^2, S = (X + Y)^2 (one
    /// 4-way square); H = A + B, G = B - A, E = S - H, F = C - G; X3 = E F, Y3 = G H, Z3 = F G, T3 = E H (one
    /// 4-way multiply, (E, G, G, H) * (F, H, F, E)). Signs as in the serial <see cref="ProjectivePoint.Double"/> (the paper's E, F, G, H for
    /// a = -1 are the negatives of these, which gives the same projective point). (H, G, C, S) has limbs up to
    /// 3.05 N_i, so it gets one carry round before the subtractions that form E and F.
    /// </summary>
    /// <remarks><paramref name="r"/> may be <paramref name="p"/>.</remarks>
    public static void Double(in ExtendedPoint4 p, out ExtendedPoint4 r)
    {
        DoubleRound1(p.V, out F4 w);
        DoubleRound2(w, out r.V);
    }

    public readonly ExtendedPoint4 Double()
    {
        Double(this, out ExtendedPoint4 r);
        return r;
    }

    // The four multiplication rounds of the group law as fused kernels: each one forms its operands from the
    // previous round's output limb by limb in registers (the linear steps above), multiplies or squares them
    // (the product sums of F4.Mul and F4.Square, same index rules) and carries. Fusing saves storing and
    // reloading the operands between the linear steps and the products.

    /// <summary>VPMULUDQ, as in <see cref="F4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M(Vector256<ulong> x, Vector256<ulong> y) => Avx2.Multiply(x.AsUInt32(), y.AsUInt32());

    /// <summary>Doubling, first round: square (X, Y, Z, X + Y), then (H, G, C, S) reduced (one carry round).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DoubleRound1(in F4 V, out F4 w)
    {
        Vector256<ulong> a0 = DoublePre(V.L0);
        Vector256<ulong> a1 = DoublePre(V.L1);
        Vector256<ulong> a2 = DoublePre(V.L2);
        Vector256<ulong> a3 = DoublePre(V.L3);
        Vector256<ulong> a4 = DoublePre(V.L4);
        Vector256<ulong> a5 = DoublePre(V.L5);
        Vector256<ulong> a6 = DoublePre(V.L6);
        Vector256<ulong> a7 = DoublePre(V.L7);
        Vector256<ulong> a8 = DoublePre(V.L8);
        Vector256<ulong> a9 = DoublePre(V.L9);
        Vector256<ulong> c19 = Vector256.Create(19UL), c38 = Vector256.Create(38UL);
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
        Vector256<ulong> a7_19 = M(a7, c19);
        Vector256<ulong> a8_19 = M(a8, c19);
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
        F4.CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        z0 = DoubleMid1(z0, F4.Bias0);
        z1 = DoubleMid1(z1, F4.BiasOdd);
        z2 = DoubleMid1(z2, F4.BiasEven);
        z3 = DoubleMid1(z3, F4.BiasOdd);
        z4 = DoubleMid1(z4, F4.BiasEven);
        z5 = DoubleMid1(z5, F4.BiasOdd);
        z6 = DoubleMid1(z6, F4.BiasEven);
        z7 = DoubleMid1(z7, F4.BiasOdd);
        z8 = DoubleMid1(z8, F4.BiasEven);
        z9 = DoubleMid1(z9, F4.BiasOdd);
        F4.CarryOnceInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        w.L0 = z0;
        w.L1 = z1;
        w.L2 = z2;
        w.L3 = z3;
        w.L4 = z4;
        w.L5 = z5;
        w.L6 = z6;
        w.L7 = z7;
        w.L8 = z8;
        w.L9 = z9;
    }

    /// <summary>Doubling, second round: (E, G, G, H) * (F, H, F, E) from reduced (H, G, C, S).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DoubleRound2(in F4 w, out F4 r)
    {
        DoubleMid2(w.L0, F4.Bias0, out Vector256<ulong> a0, out Vector256<ulong> b0);
        DoubleMid2(w.L1, F4.BiasOdd, out Vector256<ulong> a1, out Vector256<ulong> b1);
        DoubleMid2(w.L2, F4.BiasEven, out Vector256<ulong> a2, out Vector256<ulong> b2);
        DoubleMid2(w.L3, F4.BiasOdd, out Vector256<ulong> a3, out Vector256<ulong> b3);
        DoubleMid2(w.L4, F4.BiasEven, out Vector256<ulong> a4, out Vector256<ulong> b4);
        DoubleMid2(w.L5, F4.BiasOdd, out Vector256<ulong> a5, out Vector256<ulong> b5);
        DoubleMid2(w.L6, F4.BiasEven, out Vector256<ulong> a6, out Vector256<ulong> b6);
        DoubleMid2(w.L7, F4.BiasOdd, out Vector256<ulong> a7, out Vector256<ulong> b7);
        DoubleMid2(w.L8, F4.BiasEven, out Vector256<ulong> a8, out Vector256<ulong> b8);
        DoubleMid2(w.L9, F4.BiasOdd, out Vector256<ulong> a9, out Vector256<ulong> b9);
        Vector256<ulong> c19 = Vector256.Create(19UL);
        Vector256<ulong> b1_19 = M(b1, c19);
        Vector256<ulong> b2_19 = M(b2, c19);
        Vector256<ulong> b3_19 = M(b3, c19);
        Vector256<ulong> b4_19 = M(b4, c19);
        Vector256<ulong> b5_19 = M(b5, c19);
        Vector256<ulong> b6_19 = M(b6, c19);
        Vector256<ulong> b7_19 = M(b7, c19);
        Vector256<ulong> b8_19 = M(b8, c19);
        Vector256<ulong> b9_19 = M(b9, c19);
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
        F4.CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        r.L0 = z0;
        r.L1 = z1;
        r.L2 = z2;
        r.L3 = z3;
        r.L4 = z4;
        r.L5 = z5;
        r.L6 = z6;
        r.L7 = z7;
        r.L8 = z8;
        r.L9 = z9;
    }

    /// <summary>Addition, first round: (Y1 - X1, Y1 + X1, T1, Z1) * (Y2 - X2, Y2 + X2, 2d T2, 2 Z2) = (A, B, C, D).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRound1(in F4 P, in F4 Q, out F4 r)
    {
        Vector256<ulong> a0 = DiffSumTZ(P.L0, F4.Bias0);
        Vector256<ulong> a1 = DiffSumTZ(P.L1, F4.BiasOdd);
        Vector256<ulong> a2 = DiffSumTZ(P.L2, F4.BiasEven);
        Vector256<ulong> a3 = DiffSumTZ(P.L3, F4.BiasOdd);
        Vector256<ulong> a4 = DiffSumTZ(P.L4, F4.BiasEven);
        Vector256<ulong> a5 = DiffSumTZ(P.L5, F4.BiasOdd);
        Vector256<ulong> a6 = DiffSumTZ(P.L6, F4.BiasEven);
        Vector256<ulong> a7 = DiffSumTZ(P.L7, F4.BiasOdd);
        Vector256<ulong> a8 = DiffSumTZ(P.L8, F4.BiasEven);
        Vector256<ulong> a9 = DiffSumTZ(P.L9, F4.BiasOdd);
        Vector256<ulong> b0 = Q.L0;
        Vector256<ulong> b1 = Q.L1;
        Vector256<ulong> b2 = Q.L2;
        Vector256<ulong> b3 = Q.L3;
        Vector256<ulong> b4 = Q.L4;
        Vector256<ulong> b5 = Q.L5;
        Vector256<ulong> b6 = Q.L6;
        Vector256<ulong> b7 = Q.L7;
        Vector256<ulong> b8 = Q.L8;
        Vector256<ulong> b9 = Q.L9;
        Vector256<ulong> c19 = Vector256.Create(19UL);
        Vector256<ulong> b1_19 = M(b1, c19);
        Vector256<ulong> b2_19 = M(b2, c19);
        Vector256<ulong> b3_19 = M(b3, c19);
        Vector256<ulong> b4_19 = M(b4, c19);
        Vector256<ulong> b5_19 = M(b5, c19);
        Vector256<ulong> b6_19 = M(b6, c19);
        Vector256<ulong> b7_19 = M(b7, c19);
        Vector256<ulong> b8_19 = M(b8, c19);
        Vector256<ulong> b9_19 = M(b9, c19);
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
        F4.CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        r.L0 = z0;
        r.L1 = z1;
        r.L2 = z2;
        r.L3 = z3;
        r.L4 = z4;
        r.L5 = z5;
        r.L6 = z6;
        r.L7 = z7;
        r.L8 = z8;
        r.L9 = z9;
    }

    /// <summary>Addition, second round: (E, G, F, E) * (F, H, G, H) from (A, B, C, D).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRound2(in F4 t, out F4 r)
    {
        AddMid(t.L0, F4.Bias0, out Vector256<ulong> a0, out Vector256<ulong> b0);
        AddMid(t.L1, F4.BiasOdd, out Vector256<ulong> a1, out Vector256<ulong> b1);
        AddMid(t.L2, F4.BiasEven, out Vector256<ulong> a2, out Vector256<ulong> b2);
        AddMid(t.L3, F4.BiasOdd, out Vector256<ulong> a3, out Vector256<ulong> b3);
        AddMid(t.L4, F4.BiasEven, out Vector256<ulong> a4, out Vector256<ulong> b4);
        AddMid(t.L5, F4.BiasOdd, out Vector256<ulong> a5, out Vector256<ulong> b5);
        AddMid(t.L6, F4.BiasEven, out Vector256<ulong> a6, out Vector256<ulong> b6);
        AddMid(t.L7, F4.BiasOdd, out Vector256<ulong> a7, out Vector256<ulong> b7);
        AddMid(t.L8, F4.BiasEven, out Vector256<ulong> a8, out Vector256<ulong> b8);
        AddMid(t.L9, F4.BiasOdd, out Vector256<ulong> a9, out Vector256<ulong> b9);
        Vector256<ulong> c19 = Vector256.Create(19UL);
        Vector256<ulong> b1_19 = M(b1, c19);
        Vector256<ulong> b2_19 = M(b2, c19);
        Vector256<ulong> b3_19 = M(b3, c19);
        Vector256<ulong> b4_19 = M(b4, c19);
        Vector256<ulong> b5_19 = M(b5, c19);
        Vector256<ulong> b6_19 = M(b6, c19);
        Vector256<ulong> b7_19 = M(b7, c19);
        Vector256<ulong> b8_19 = M(b8, c19);
        Vector256<ulong> b9_19 = M(b9, c19);
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
        F4.CarryInPlace(ref z0, ref z1, ref z2, ref z3, ref z4, ref z5, ref z6, ref z7, ref z8, ref z9);
        r.L0 = z0;
        r.L1 = z1;
        r.L2 = z2;
        r.L3 = z3;
        r.L4 = z4;
        r.L5 = z5;
        r.L6 = z6;
        r.L7 = z7;
        r.L8 = z8;
        r.L9 = z9;
    }

    /// <summary>[2^k]P, k >= 1.</summary>
    public readonly ExtendedPoint4 MulByPow2(int k)
    {
        Double(this, out ExtendedPoint4 r);
        for (int i = 1; i < k; i++) Double(r, out r);
        return r;
    }
}

/// <summary>
/// A point in the cached form (Y - X, Y + X, 2d T, 2 Z) of <see cref="ExtendedPoint4.Add"/>'s second operand,
/// limbs reduced (after a conditional negation lane 2 is 2p - 2dT, below 2 N_i).
/// </summary>
[SkipLocalsInit]
internal struct CachedPoint4
{
    internal F4 V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CachedPoint4(in F4 v) { V = v; }

    /// <summary>(1, 1, 2d, 2): multiplying (Y - X, Y + X, T, Z) by these gives the cached form.</summary>
    internal static readonly F4 CachingFactors = F4.FromFieldElements(FieldElement.One, FieldElement.One, FieldConstants.D2, FieldElement.One + FieldElement.One);

    /// <summary>The identity (0 : 1 : 1 : 0) cached: (1, 1, 0, 2).</summary>
    public static CachedPoint4 Identity
    {
        get
        {
            var r = new CachedPoint4();
            r.V.L0 = Vector256.Create(1UL, 1UL, 0UL, 2UL);
            return r;
        }
    }

    /// <summary>One limb of -Q = (Y + X, Y - X, 2p - 2d T, 2 Z) when negMask is all ones, else of Q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> NegateLimb(Vector256<ulong> v, Vector256<ulong> bias, Vector256<ulong> negMask)
    {
        Vector256<ulong> swapped = Avx2.Shuffle(v.AsUInt32(), 0x4E).AsUInt64();
        Vector256<ulong> n = Avx2.Blend(swapped.AsUInt32(), (bias - v).AsUInt32(), 0x30).AsUInt64();
        n = Avx2.Blend(n.AsUInt32(), v.AsUInt32(), 0xC0).AsUInt64();
        return Vector256.ConditionalSelect(negMask, n, v);
    }

    /// <summary>-Q when the lanes of negMask are all ones, else Q (constant time: both are computed). In place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ConditionalNegateInPlace(Vector256<ulong> negMask)
    {
        ref F4 n = ref V;
        n.L0 = NegateLimb(n.L0, F4.Bias0, negMask);
        n.L1 = NegateLimb(n.L1, F4.BiasOdd, negMask);
        n.L2 = NegateLimb(n.L2, F4.BiasEven, negMask);
        n.L3 = NegateLimb(n.L3, F4.BiasOdd, negMask);
        n.L4 = NegateLimb(n.L4, F4.BiasEven, negMask);
        n.L5 = NegateLimb(n.L5, F4.BiasOdd, negMask);
        n.L6 = NegateLimb(n.L6, F4.BiasEven, negMask);
        n.L7 = NegateLimb(n.L7, F4.BiasOdd, negMask);
        n.L8 = NegateLimb(n.L8, F4.BiasEven, negMask);
        n.L9 = NegateLimb(n.L9, F4.BiasOdd, negMask);
    }

    public readonly CachedPoint4 ConditionalNegate(Vector256<ulong> negMask)
    {
        CachedPoint4 r = this;
        r.ConditionalNegateInPlace(negMask);
        return r;
    }
}
