using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto.Tests.Msm;

/// <summary>
/// The 4-way AVX2 Straus parts (variable-time with generator tables, constant-time with masked table reads)
/// against their serial parts and the naive sum: zero scalars, -1, small scalars, repeated points, the identity,
/// sizes around the parallel thresholds.
/// </summary>
public class StrausAvx2Tests
{
    private static void Inputs(int seed, int nd, int ns, out Scalar[] ds, out RistrettoPoint[] dp, out Scalar[] ss, out RistrettoPoint[] sp)
    {
        var rng = TestRandom.Create(seed);
        ds = new Scalar[nd]; dp = new RistrettoPoint[nd];
        ss = new Scalar[ns]; sp = new RistrettoPoint[ns];
        for (int i = 0; i < nd; i++)
        {
            ds[i] = (i % 7) switch { 0 => Scalar.Zero, 1 => -Scalar.One, 2 => Scalar.FromUInt64((ulong)i + 1), _ => TestRandom.Scalar(rng) };
            dp[i] = (i % 5) switch { 0 => RistrettoPoint.Identity, 1 when i > 0 => dp[i - 1], _ => TestRandom.Point(rng) };
        }
        for (int i = 0; i < ns; i++)
        {
            ss[i] = (i % 6) switch { 0 => Scalar.Zero, 1 => -Scalar.One, 2 => Scalar.FromUInt64(255), _ => TestRandom.Scalar(rng) };
            sp[i] = i % 4 == 1 ? RistrettoPoint.Basepoint : TestRandom.Point(rng);
        }
    }

    private static RistrettoPoint Naive(Scalar[] ds, RistrettoPoint[] dp, Scalar[] ss, RistrettoPoint[] sp)
    {
        var sum = RistrettoPoint.Identity;
        for (int i = 0; i < ds.Length; i++) sum += ds[i] * dp[i];
        for (int i = 0; i < ss.Length; i++) sum += ss[i] * sp[i];
        return sum;
    }

    [Theory]
    [InlineData(0, 0, 8, 1)]
    [InlineData(1, 0, 8, 1)]
    [InlineData(0, 1, 8, 1)]
    [InlineData(16, 130, 8, 1)]      // a verifier's m = 1, n = 64 shape
    [InlineData(5, 3, 5, 8)]         // the prover's folding tables (split comb)
    [InlineData(90, 0, 8, 1)]        // above one worker's minimum cost
    public void Vartime_VectorEqualsSerialAndNaive(int nd, int ns, int width, int splits)
    {
        if (!Avx2.IsSupported) return;
        Inputs(1000 + nd * 31 + ns, nd, ns, out var ds, out var dp, out var ss, out var sp);
        var tables = new GeneratorTable[ns];
        for (int i = 0; i < ns; i++) tables[i] = new GeneratorTable(sp[i].Inner, width, splits);
        var serial = new RistrettoPoint(TabledStraus.SerialPart(ds, dp, ss, tables));
        var vector = new RistrettoPoint(TabledStrausAvx2.Part(ds, dp, ss, tables));
        Assert.Equal(serial, vector);
        Assert.Equal(Naive(ds, dp, ss, sp), vector);
        // The dispatching entry point (possibly split over cores) agrees too.
        Assert.Equal(vector, new RistrettoPoint(TabledStraus.Compute(ds, dp, ss, tables, ns)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(33, 0)]       // an inner-product round's L
    [InlineData(2, 128)]      // the S commitment
    [InlineData(63, 2)]       // around MinPointsPerWorker
    [InlineData(64, 1)]
    public void ConstantTime_VectorEqualsSerialAndNaive(int nd, int ns)
    {
        if (!Avx2.IsSupported) return;
        Inputs(2000 + nd * 31 + ns, nd, ns, out var ds, out var dp, out var ss, out var sp);
        var tables = new CtAffineTable[ns];
        for (int i = 0; i < ns; i++) tables[i] = new CtAffineTable(sp[i].Inner);
        var serial = new RistrettoPoint(ConstantTimeStraus.SerialPart(ds, dp, ss, tables));
        var vector = new RistrettoPoint(ConstantTimeStrausAvx2.Part(ds, dp, ss, tables));
        Assert.Equal(serial, vector);
        Assert.Equal(Naive(ds, dp, ss, sp), vector);
        Assert.Equal(vector, new RistrettoPoint(ConstantTimeStraus.Compute(ds, dp, ss, tables)));
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(5, 8)]
    [InlineData(6, 4)]
    public void GeneratorMulVartime_VectorEqualsSerial(int width, int splits)
    {
        var rng = TestRandom.Create(4000 + width * 10 + splits);
        var p = TestRandom.Point(rng);
        var table = new GeneratorTable(p.Inner, width, splits);
        Scalar[] scalars = [Scalar.Zero, Scalar.One, -Scalar.One, Scalar.FromUInt64(1UL << 40), TestRandom.Scalar(rng), TestRandom.Scalar(rng)];
        foreach (var s in scalars)
        {
            var serial = new RistrettoPoint(table.MulVartimeSerial(s));
            Assert.Equal(s * p, serial);
            Assert.Equal(serial, new RistrettoPoint(table.MulVartime(s)));
        }
    }

    [Fact]
    public void CtSelect4_EveryDigit()
    {
        if (!Avx2.IsSupported) return;
        var p = TestRandom.Point(TestRandom.Create(3000));
        var table = new CtAffineTable(p.Inner);
        for (int d = -8; d <= 8; d++)
        {
            table.Select4(d, out CachedPoint4 e);
            var sum = ExtendedPoint4.Identity.Add(e).ToEdwards();
            Assert.Equal(Scalar.FromUInt64((ulong)Math.Abs(d)) * (d < 0 ? -p : p), new RistrettoPoint(sum));
        }
    }
}
