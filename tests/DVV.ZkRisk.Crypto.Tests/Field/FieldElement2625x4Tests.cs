using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;
using F4 = DVV.ZkRisk.Crypto.Field.FieldElement2625x4;

namespace DVV.ZkRisk.Crypto.Tests.Field;

/// <summary>
/// The 4-way radix-2^25.5 field against the serial <see cref="FieldElement"/> and against BigInteger, on
/// random elements, edge values (0, 1, p - 1, non-canonical encodings up to 2^255 - 1) and limbs set to the
/// largest values the documented bounds allow. Skipped (returns) on CPUs without AVX2.
/// </summary>
public class FieldElement2625x4Tests
{
    private const int Rounds = 3000;
    private static readonly BigInteger P = FieldConstants.P;

    private static FieldElement FromBig(BigInteger x)
    {
        var b = new byte[32];
        x.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return FieldElement.FromBytes(b);
    }

    private static BigInteger Big(in FieldElement a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: false);

    /// <summary>The integer a lane holds: sum of L_i * 2^ceil(25.5 i) (not reduced mod p).</summary>
    private static BigInteger LaneValue(in F4 a, int lane)
    {
        ReadOnlySpan<Vector256<ulong>> limbs = [a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, a.L7, a.L8, a.L9];
        BigInteger v = 0;
        for (int i = 0; i < 10; i++) v += new BigInteger(limbs[i].GetElement(lane)) << (26 * i - i / 2);
        return v;
    }

    private static ulong[] Limbs(in F4 a, int lane) =>
        [a.L0[lane], a.L1[lane], a.L2[lane], a.L3[lane], a.L4[lane], a.L5[lane], a.L6[lane], a.L7[lane], a.L8[lane], a.L9[lane]];

    private static ulong Nominal(int i) => i % 2 == 0 ? 1UL << 26 : 1UL << 25;

    /// <summary>Every limb of every lane below factor * N_i.</summary>
    private static void AssertBound(in F4 a, double factor, string what)
    {
        for (int lane = 0; lane < 4; lane++)
        {
            ulong[] l = Limbs(a, lane);
            for (int i = 0; i < 10; i++)
                Assert.True(l[i] < factor * Nominal(i), $"{what}: lane {lane} limb {i} = {l[i]} not below {factor} N_i");
        }
    }

    private static FieldElement RandomElement(Random rng)
    {
        byte[] b = TestRandom.Bytes(rng, 32);
        return FieldElement.FromBytes(b);   // top bit ignored: values up to 2^255 - 1, so some are >= p
    }

    private static readonly FieldElement[] Edges =
    [
        FieldElement.Zero, FieldElement.One, FromBig(P - 1), FromBig(P - 2), FromBig(2),
        FieldElement.FromBytes(Enumerable.Repeat((byte)0xff, 32).ToArray()),       // 2^255 - 1 = p + 18, non-canonical
        FieldElement.FromBytes(Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")), // p itself
        FromBig(BigInteger.Pow(2, 254)), FromBig(BigInteger.Pow(2, 128) - 1), FromBig((P - 1) / 2),
    ];

    private static FieldElement Pick(Random rng, int i) => i % 5 == 0 ? Edges[rng.Next(Edges.Length)] : RandomElement(rng);

    [Fact]
    public void MulSquareAddSubNegate_MatchSerial()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2625);
        var a = new FieldElement[4];
        var b = new FieldElement[4];
        for (int round = 0; round < Rounds; round++)
        {
            for (int k = 0; k < 4; k++) { a[k] = Pick(rng, round + k); b[k] = Pick(rng, round * 3 + k); }
            F4 va = F4.FromFieldElements(a[0], a[1], a[2], a[3]);
            F4 vb = F4.FromFieldElements(b[0], b[1], b[2], b[3]);
            F4 mul = F4.Mul(va, vb), sq = F4.Square(va);
            F4 sum = F4.Add(va, vb), diff = F4.Sub(va, vb), neg = F4.Negate(va);
            F4 sumSq = F4.Square(sum), diffTimesSum = F4.Mul(diff, sum), negTimesDiff = F4.Mul(neg, diff);
            AssertBound(mul, 1.05, "mul"); AssertBound(sq, 1.05, "square");
            AssertBound(sum, 2.1, "add"); AssertBound(diff, 3.05, "sub");
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(a[k].ToBytes(), va.Lane(k).ToBytes());
                Assert.Equal((a[k] * b[k]).ToBytes(), mul.Lane(k).ToBytes());
                Assert.Equal(FieldElement.Square(a[k]).ToBytes(), sq.Lane(k).ToBytes());
                Assert.Equal((a[k] + b[k]).ToBytes(), sum.Lane(k).ToBytes());
                Assert.Equal((a[k] - b[k]).ToBytes(), diff.Lane(k).ToBytes());
                Assert.Equal((-a[k]).ToBytes(), neg.Lane(k).ToBytes());
                Assert.Equal(FieldElement.Square(a[k] + b[k]).ToBytes(), sumSq.Lane(k).ToBytes());
                Assert.Equal(((a[k] - b[k]) * (a[k] + b[k])).ToBytes(), diffTimesSum.Lane(k).ToBytes());
                Assert.Equal((-a[k] * (a[k] - b[k])).ToBytes(), negTimesDiff.Lane(k).ToBytes());
            }
        }
    }

    [Fact]
    public void LongProductChain_StaysEqualToSerial()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2626);
        FieldElement[] s = [RandomElement(rng), RandomElement(rng), FromBig(P - 1), FieldElement.One];
        FieldElement[] m = [RandomElement(rng), RandomElement(rng), RandomElement(rng), FromBig(P - 1)];
        F4 v = F4.FromFieldElements(s[0], s[1], s[2], s[3]);
        F4 w = F4.FromFieldElements(m[0], m[1], m[2], m[3]);
        for (int i = 0; i < 2000; i++)
        {
            // mixes the lazy forms: a sum and a biased difference both fed to the multiplier
            v = F4.Mul(F4.Sub(F4.Square(v), w), F4.Add(v, w));
            for (int k = 0; k < 4; k++) s[k] = (FieldElement.Square(s[k]) - m[k]) * (s[k] + m[k]);
        }
        for (int k = 0; k < 4; k++) Assert.Equal(s[k].ToBytes(), v.Lane(k).ToBytes());
    }

    /// <summary>Operands with every limb at (or just below) the 3.3 N_i bound the multiplier documents.</summary>
    [Fact]
    public void MulAndSquare_AtMaximalLimbBounds_MatchBigInteger()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2627);
        for (int round = 0; round < Rounds; round++)
        {
            F4 a = MaxLimbs(rng, round), b = MaxLimbs(rng, round + 1);
            F4 prod = F4.Mul(a, b), sq = F4.Square(a);
            AssertBound(prod, 1.05, "mul"); AssertBound(sq, 1.05, "square");
            for (int k = 0; k < 4; k++)
            {
                BigInteger x = LaneValue(a, k), y = LaneValue(b, k);
                Assert.Equal(x * y % P, LaneValue(prod, k) % P);
                Assert.Equal(x * x % P, LaneValue(sq, k) % P);
            }
        }
    }

    /// <summary>Limbs just below 3.3 N_i (first rounds exactly the largest), else random below it.</summary>
    private static F4 MaxLimbs(Random rng, int round)
    {
        var v = new Vector256<ulong>[10];
        for (int i = 0; i < 10; i++)
        {
            ulong max = (ulong)(3.3 * Nominal(i)) - 1;
            var lanes = new ulong[4];
            for (int k = 0; k < 4; k++)
                lanes[k] = round < 4 || rng.Next(3) == 0 ? max - (ulong)rng.Next(4) : (ulong)rng.NextInt64((long)max + 1);
            v[i] = Vector256.Create(lanes[0], lanes[1], lanes[2], lanes[3]);
        }
        F4 r;
        r.L0 = v[0]; r.L1 = v[1]; r.L2 = v[2]; r.L3 = v[3]; r.L4 = v[4];
        r.L5 = v[5]; r.L6 = v[6]; r.L7 = v[7]; r.L8 = v[8]; r.L9 = v[9];
        return r;
    }

    /// <summary>Sub(a, b) stays non-negative and equal mod p for the largest reduced b (limbs 1.05 N_i).</summary>
    [Fact]
    public void Sub_OfLargestReducedValues_IsCorrect()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2628);
        for (int round = 0; round < Rounds; round++)
        {
            F4 a = ReducedMax(rng), b = ReducedMax(rng);
            F4 d = F4.Sub(a, b);
            AssertBound(d, 3.05, "sub");
            for (int k = 0; k < 4; k++)
                Assert.Equal(((LaneValue(a, k) - LaneValue(b, k)) % P + P) % P, LaneValue(d, k) % P);
        }
    }

    private static F4 ReducedMax(Random rng)
    {
        var v = new Vector256<ulong>[10];
        for (int i = 0; i < 10; i++)
        {
            ulong max = (ulong)(1.05 * Nominal(i)) - 1;
            v[i] = Vector256.Create(max - (ulong)rng.Next(2), (ulong)rng.NextInt64((long)max), max, 0UL);
        }
        F4 r;
        r.L0 = v[0]; r.L1 = v[1]; r.L2 = v[2]; r.L3 = v[3]; r.L4 = v[4];
        r.L5 = v[5]; r.L6 = v[6]; r.L7 = v[7]; r.L8 = v[8]; r.L9 = v[9];
        return r;
    }

    [Fact]
    public void Reduce_OfAnyLanesBelow2To63_KeepsTheValue()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2629);
        for (int round = 0; round < Rounds; round++)
        {
            var v = new Vector256<ulong>[10];
            for (int i = 0; i < 10; i++)
                v[i] = Vector256.Create((ulong)rng.NextInt64(), round % 2 == 0 ? (1UL << 63) - 1 : 0UL, (ulong)rng.Next(), (ulong)rng.NextInt64() >> rng.Next(63));
            F4 a;
            a.L0 = v[0]; a.L1 = v[1]; a.L2 = v[2]; a.L3 = v[3]; a.L4 = v[4];
            a.L5 = v[5]; a.L6 = v[6]; a.L7 = v[7]; a.L8 = v[8]; a.L9 = v[9];
            F4 r = F4.Reduce(a);
            AssertBound(r, 1.05, "reduce");
            for (int k = 0; k < 4; k++) Assert.Equal(LaneValue(a, k) % P, LaneValue(r, k) % P);
        }
    }

    /// <summary>The single carry round used inside the doubling, on lanes up to its documented 2^38.</summary>
    [Fact]
    public void CarryOnce_OfLanesBelow2To38_Reduces()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2632);
        for (int round = 0; round < Rounds; round++)
        {
            var v = new Vector256<ulong>[10];
            for (int i = 0; i < 10; i++)
                v[i] = Vector256.Create((1UL << 38) - 1, (ulong)rng.NextInt64(1L << 38), (ulong)(3.05 * Nominal(i)), 0UL);
            F4 a;
            a.L0 = v[0]; a.L1 = v[1]; a.L2 = v[2]; a.L3 = v[3]; a.L4 = v[4];
            a.L5 = v[5]; a.L6 = v[6]; a.L7 = v[7]; a.L8 = v[8]; a.L9 = v[9];
            F4 r = a;
            F4.CarryOnceInPlace(ref r.L0, ref r.L1, ref r.L2, ref r.L3, ref r.L4, ref r.L5, ref r.L6, ref r.L7, ref r.L8, ref r.L9);
            AssertBound(r, 1.05, "carry once");
            for (int k = 0; k < 4; k++) Assert.Equal(LaneValue(a, k) % P, LaneValue(r, k) % P);
        }
    }

    [Fact]
    public void MulSmall_MatchesSerial()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2630);
        for (int round = 0; round < Rounds; round++)
        {
            FieldElement[] a = [Pick(rng, round), Pick(rng, round + 1), Pick(rng, round + 2), Pick(rng, round + 3)];
            uint[] c = [121666, 121665, (uint)rng.Next(), uint.MaxValue];
            F4 r = F4.MulSmall(F4.FromFieldElements(a[0], a[1], a[2], a[3]), Vector256.Create(c[0], c[1], (ulong)c[2], c[3]));
            for (int k = 0; k < 4; k++) Assert.Equal((a[k] * FromBig(c[k])).ToBytes(), r.Lane(k).ToBytes());
        }
    }

    [Fact]
    public void LaneShuffles_MoveWholeElements()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(2631);
        FieldElement[] a = [RandomElement(rng), RandomElement(rng), RandomElement(rng), RandomElement(rng)];
        FieldElement[] b = [RandomElement(rng), RandomElement(rng), RandomElement(rng), RandomElement(rng)];
        F4 va = F4.FromFieldElements(a[0], a[1], a[2], a[3]), vb = F4.FromFieldElements(b[0], b[1], b[2], b[3]);
        void Lanes(in F4 v, params FieldElement[] expected)
        {
            for (int k = 0; k < 4; k++) Assert.Equal(expected[k].ToBytes(), v.Lane(k).ToBytes());
        }
        Lanes(F4.SwapPairs(va), a[1], a[0], a[3], a[2]);
        Lanes(F4.UnpackLow(va), a[0], a[0], a[2], a[2]);
        Lanes(F4.UnpackHigh(va), a[1], a[1], a[3], a[3]);
        Lanes(F4.Permute(va, 0x1B), a[3], a[2], a[1], a[0]);
        Lanes(F4.Permute(va, 0x2C), a[0], a[3], a[2], a[0]);
        Lanes(F4.Blend(va, vb, 0x3C), a[0], b[1], b[2], a[3]);
        Lanes(F4.Select(Vector256.Create(0UL, ulong.MaxValue, 0UL, ulong.MaxValue), va, vb), a[0], b[1], a[2], b[3]);
    }
}
