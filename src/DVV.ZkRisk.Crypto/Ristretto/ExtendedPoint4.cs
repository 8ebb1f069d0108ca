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
/// are done one limb at a time in registers (the helpers below act on one limb of all four lanes); only the
/// 4-way products and squares go through memory.
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

    /// <summary>One limb of (Y - X, Y + X, T, Z) from (X, Y, Z, T); lane 0 below 3.02 N_i, lane 1 below 2.02 N_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> DiffSumTZ(Vector256<ulong> v, Vector256<ulong> bias)
    {
        Vector256<ulong> lo = Avx2.UnpackLow(v, v);     // (X, X, Z, Z)
        Vector256<ulong> hi = Avx2.UnpackHigh(v, v);    // (Y, Y, T, T)
        Vector256<ulong> r = Blend(hi, hi + bias - lo, Lane0);
        r = Blend(r, hi + lo, Lane1);
        return Blend(r, lo, Lane3);                      // lane 2 stays T (from hi), lane 3 is Z
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
        Vector256<ulong> badc = SwapPairs(abcd);
        Vector256<ulong> ehfg = Blend(badc + bias - abcd, abcd + badc, Lane1 | Lane3);   // (B-A, A+B, D-C, C+D)
        a = Avx2.Permute4x64(ehfg, 0x2C);            // (E, G, F, E): lanes 0, 3, 2, 0
        b = Avx2.Permute4x64(ehfg, 0x76);            // (F, H, G, H): lanes 2, 1, 3, 1
    }

    /// <summary>
    /// P + Q, HWCD 2008 section 3.1 ("add-2008-hwcd-3", a = -1, k = 2d):
    /// A = (Y1 - X1)(Y2 - X2), B = (Y1 + X1)(Y2 + X2), C = T1 2d T2, D = Z1 2 Z2 (one 4-way multiply);
    /// E = B - A, F = D - C, G = D + C, H = B + A; X3 = E F, Y3 = G H, Z3 = F G, T3 = E H (a second one).
    /// Bounds: E, F below 3.02 N_i, G, H below 2.02 N_i, within the multiply's 3.3 N_i.
    /// </summary>
    /// <remarks><paramref name="r"/> may be <paramref name="p"/>; results go through out parameters because the
    /// JIT copies returned 320-byte structs with a helper call.</remarks>
    public static void Add(in ExtendedPoint4 p, in CachedPoint4 q, out ExtendedPoint4 r)
    {
        DiffSumTZ(p.V, out F4 pre);
        F4.Mul(pre, q.V, out F4 abcd);
        F4 a, b;
        AddMid(abcd.L0, F4.Bias0, out a.L0, out b.L0);
        AddMid(abcd.L1, F4.BiasOdd, out a.L1, out b.L1);
        AddMid(abcd.L2, F4.BiasEven, out a.L2, out b.L2);
        AddMid(abcd.L3, F4.BiasOdd, out a.L3, out b.L3);
        AddMid(abcd.L4, F4.BiasEven, out a.L4, out b.L4);
        AddMid(abcd.L5, F4.BiasOdd, out a.L5, out b.L5);
        AddMid(abcd.L6, F4.BiasEven, out a.L6, out b.L6);
        AddMid(abcd.L7, F4.BiasOdd, out a.L7, out b.L7);
        AddMid(abcd.L8, F4.BiasEven, out a.L8, out b.L8);
        AddMid(abcd.L9, F4.BiasOdd, out a.L9, out b.L9);
        F4.Mul(a, b, out r.V);
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
        ref readonly F4 V = ref p.V;
        F4 pre;
        pre.L0 = DoublePre(V.L0);
        pre.L1 = DoublePre(V.L1);
        pre.L2 = DoublePre(V.L2);
        pre.L3 = DoublePre(V.L3);
        pre.L4 = DoublePre(V.L4);
        pre.L5 = DoublePre(V.L5);
        pre.L6 = DoublePre(V.L6);
        pre.L7 = DoublePre(V.L7);
        pre.L8 = DoublePre(V.L8);
        pre.L9 = DoublePre(V.L9);
        F4.Square(pre, out F4 t);
        Vector256<ulong> w0 = DoubleMid1(t.L0, F4.Bias0);
        Vector256<ulong> w1 = DoubleMid1(t.L1, F4.BiasOdd);
        Vector256<ulong> w2 = DoubleMid1(t.L2, F4.BiasEven);
        Vector256<ulong> w3 = DoubleMid1(t.L3, F4.BiasOdd);
        Vector256<ulong> w4 = DoubleMid1(t.L4, F4.BiasEven);
        Vector256<ulong> w5 = DoubleMid1(t.L5, F4.BiasOdd);
        Vector256<ulong> w6 = DoubleMid1(t.L6, F4.BiasEven);
        Vector256<ulong> w7 = DoubleMid1(t.L7, F4.BiasOdd);
        Vector256<ulong> w8 = DoubleMid1(t.L8, F4.BiasEven);
        Vector256<ulong> w9 = DoubleMid1(t.L9, F4.BiasOdd);
        F4.CarryOnceInPlace(ref w0, ref w1, ref w2, ref w3, ref w4, ref w5, ref w6, ref w7, ref w8, ref w9);
        F4 a, b;
        DoubleMid2(w0, F4.Bias0, out a.L0, out b.L0);
        DoubleMid2(w1, F4.BiasOdd, out a.L1, out b.L1);
        DoubleMid2(w2, F4.BiasEven, out a.L2, out b.L2);
        DoubleMid2(w3, F4.BiasOdd, out a.L3, out b.L3);
        DoubleMid2(w4, F4.BiasEven, out a.L4, out b.L4);
        DoubleMid2(w5, F4.BiasOdd, out a.L5, out b.L5);
        DoubleMid2(w6, F4.BiasEven, out a.L6, out b.L6);
        DoubleMid2(w7, F4.BiasOdd, out a.L7, out b.L7);
        DoubleMid2(w8, F4.BiasEven, out a.L8, out b.L8);
        DoubleMid2(w9, F4.BiasOdd, out a.L9, out b.L9);
        F4.Mul(a, b, out r.V);
    }

    public readonly ExtendedPoint4 Double()
    {
        Double(this, out ExtendedPoint4 r);
        return r;
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
