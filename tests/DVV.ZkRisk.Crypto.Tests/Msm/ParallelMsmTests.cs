using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto.Tests.Msm;

/// <summary>
/// The split (parallel) multiscalar multiplications equal the single-worker ones and the naive sum at sizes on
/// both sides of every split threshold, with zero scalars, l - 1 and repeated points; Pippenger's chunking equals
/// slicing; the fixed-generator tables and the vectorised constant-time table read equal their plain counterparts.
/// </summary>
[Collection(nameof(MsmParallelismCollection))]
public class ParallelMsmTests
{
    private static RistrettoPoint Naive(Scalar[] s, RistrettoPoint[] p)
    {
        RistrettoPoint acc = RistrettoPoint.Identity;
        for (int i = 0; i < s.Length; i++) acc += s[i] * p[i];
        return acc;
    }

    private static (Scalar[] S, RistrettoPoint[] P) Inputs(int n, int seed)
    {
        var rng = TestRandom.Create(seed);
        var s = new Scalar[n];
        var p = new RistrettoPoint[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = (i % 7) switch { 0 => Scalar.Zero, 1 => -Scalar.One, _ => TestRandom.Scalar(rng) };
            p[i] = i % 5 == 4 ? p[i - 1] : TestRandom.Point(rng);
        }
        return (s, p);
    }

    private static T WithWorkers<T>(int workers, Func<T> f)
    {
        int before = MsmParallelism.MaxDegreeOfParallelism;
        MsmParallelism.MaxDegreeOfParallelism = workers;
        try { return f(); }
        finally { MsmParallelism.MaxDegreeOfParallelism = before; }
    }

    public static IEnumerable<object[]> ConstantTimeSizes() =>
        new[] { 1, 63, 64, 127, 128, 129, 130, 191, 192, 193, 257 }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(ConstantTimeSizes))]
    public void ConstantTime_SplitEqualsSerialAndNaive(int n)
    {
        var (s, p) = Inputs(n, 500 + n);
        var expected = Naive(s, p);
        Assert.Equal(expected, WithWorkers(1, () => MultiscalarMul.ConstantTime(s, p)));
        Assert.Equal(expected, WithWorkers(2, () => MultiscalarMul.ConstantTime(s, p)));
        Assert.Equal(expected, WithWorkers(3, () => MultiscalarMul.ConstantTime(s, p)));
    }

    public static IEnumerable<object[]> VartimeSizes() =>
        // Straus splits from about 91 dynamic points (2 * 80 * 29 / 51), Pippenger takes over at 190 and splits from 1024.
        new[] { 2, 45, 90, 91, 92, 100, 189, 190, 191, 1023, 1024, 1025, 1600 }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(VartimeSizes))]
    public void Vartime_SplitEqualsSerialAndNaive(int n)
    {
        var (s, p) = Inputs(n, 900 + n);
        var serial = WithWorkers(1, () => MultiscalarMul.Vartime(s, p));
        if (n <= 1100) Assert.Equal(Naive(s, p), serial);
        else Assert.Equal(WithWorkers(1, () => MultiscalarMul.ConstantTime(s, p)), serial);
        Assert.Equal(serial, WithWorkers(2, () => MultiscalarMul.Vartime(s, p)));
        Assert.Equal(serial, WithWorkers(4, () => MultiscalarMul.Vartime(s, p)));
    }

    [Fact]
    public void Pippenger_ChunkedEqualsSlices()
    {
        // More than two chunks per worker; the reference adds Pippenger over slices that each fit one chunk.
        int n = 2 * Pippenger.ChunkPoints + 1000;
        var (s, p) = Inputs(n, 77);
        var expected = RistrettoPoint.Identity;
        for (int lo = 0; lo < n; lo += 5000)
        {
            int len = Math.Min(5000, n - lo);
            expected += WithWorkers(1, () => MultiscalarMul.Vartime(s.AsSpan(lo, len), p.AsSpan(lo, len)));
        }
        Assert.Equal(expected, WithWorkers(1, () => MultiscalarMul.Vartime(s, p)));
        Assert.Equal(expected, WithWorkers(2, () => MultiscalarMul.Vartime(s, p)));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(1500)]
    public void Pippenger_MixedAffineAndProjectivePoints_EqualsStraus(int n)
    {
        // Decoded points have Z = 1 and skip the batch inversion; sums do not. Mixed in one chunk.
        var (s, p) = Inputs(n, 4000 + n);
        for (int i = 0; i < n; i += 2) p[i] = RistrettoPoint.Decode(p[i].ToBytes());
        var expected = RistrettoPoint.Identity;
        for (int lo = 0; lo < n; lo += 150)
            expected += WithWorkers(1, () => MultiscalarMul.Vartime(s.AsSpan(lo, Math.Min(150, n - lo)), p.AsSpan(lo, Math.Min(150, n - lo))));
        Assert.Equal(expected, WithWorkers(1, () => MultiscalarMul.Vartime(s, p)));
        Assert.Equal(expected, WithWorkers(2, () => MultiscalarMul.Vartime(s, p)));
    }

    [Fact]
    public void Pippenger_WindowIsCapped() => Assert.Equal(Pippenger.MaxWindow, Pippenger.WindowFor(4_000_000));

    [Theory]
    [InlineData(8, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 4)]
    [InlineData(5, 8)]
    [InlineData(7, 2)]
    public void GeneratorTable_MulEqualsScalarMul(int width, int splits)
    {
        var rng = TestRandom.Create(width * 10 + splits);
        var p = TestRandom.Point(rng);
        var table = new GeneratorTable(p.Inner, width, splits);
        Scalar[] scalars = [Scalar.Zero, Scalar.One, -Scalar.One, Scalar.FromUInt64(ulong.MaxValue), TestRandom.Scalar(rng), TestRandom.Scalar(rng)];
        foreach (var s in scalars)
            Assert.Equal(s * p, new RistrettoPoint(table.MulVartime(s)));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 40)]
    [InlineData(19, 130)]
    [InlineData(60, 200)]
    public void TabledStraus_EqualsNaive(int dynamic, int fixedCount)
    {
        var rng = TestRandom.Create(dynamic * 1000 + fixedCount);
        var (ds, dp) = Inputs(dynamic, dynamic + 3);
        var gens = new RistrettoPoint[fixedCount];
        var tables = new GeneratorTable[fixedCount];
        var ss = new Scalar[fixedCount];
        for (int i = 0; i < fixedCount; i++)
        {
            // repeated generators share one table object, as B does across a batch
            gens[i] = i % 9 == 8 ? gens[i - 1] : TestRandom.Point(rng);
            tables[i] = i % 9 == 8 ? tables[i - 1] : new GeneratorTable(gens[i].Inner, i % 2 == 0 ? 8 : 6, i % 3 == 0 ? 1 : 4);
            ss[i] = i % 4 == 0 ? Scalar.Zero : i % 4 == 1 ? -Scalar.One : TestRandom.Scalar(rng);
        }
        var expected = Naive(ds, dp) + Naive(ss, gens);
        Assert.Equal(expected, WithWorkers(1, () => new RistrettoPoint(TabledStraus.Compute(ds, dp, ss, tables, fixedCount))));
        Assert.Equal(expected, WithWorkers(2, () => new RistrettoPoint(TabledStraus.Compute(ds, dp, ss, tables, fixedCount))));
        Assert.Equal(expected, WithWorkers(5, () => new RistrettoPoint(TabledStraus.Compute(ds, dp, ss, tables, fixedCount))));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 64)]
    [InlineData(1, 128)]
    [InlineData(5, 130)]
    [InlineData(40, 200)]
    public void ConstantTimeWithTables_EqualsNaive(int dynamic, int fixedCount)
    {
        var rng = TestRandom.Create(7000 + dynamic * 1000 + fixedCount);
        var (ds, dp) = Inputs(dynamic, dynamic + 11);
        var gens = new RistrettoPoint[fixedCount];
        var tables = new CtAffineTable[fixedCount];
        var ss = new Scalar[fixedCount];
        for (int i = 0; i < fixedCount; i++)
        {
            gens[i] = i % 9 == 8 ? gens[i - 1] : TestRandom.Point(rng);
            tables[i] = i % 9 == 8 ? tables[i - 1] : new CtAffineTable(gens[i].Inner);
            ss[i] = i % 4 == 0 ? Scalar.Zero : i % 4 == 1 ? -Scalar.One : TestRandom.Scalar(rng);
        }
        var expected = Naive(ds, dp) + Naive(ss, gens);
        Assert.Equal(expected, WithWorkers(1, () => MultiscalarMul.ConstantTimeWithTables(ds, dp, ss, tables)));
        Assert.Equal(expected, WithWorkers(2, () => MultiscalarMul.ConstantTimeWithTables(ds, dp, ss, tables)));
        Assert.Equal(expected, WithWorkers(3, () => MultiscalarMul.ConstantTimeWithTables(ds, dp, ss, tables)));
    }

    [Fact]
    public void AffineConstantTimeTable_SelectsEveryMultiple()
    {
        var p = TestRandom.Point(TestRandom.Create(15));
        var table = new CtAffineTable(p.Inner);
        var origin = TestRandom.Point(TestRandom.Create(16));
        for (int d = -8; d <= 8; d++)
        {
            var expected = origin + Scalar.FromUInt64((ulong)Math.Abs(d)) * (d < 0 ? -p : p);
            Assert.Equal(expected, new RistrettoPoint(CompletedPoint.Add(origin.Inner, table.Select(d)).ToExtended()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    public void FixedBasePippenger_EqualsSerialAndStraus(int n)
    {
        var (s, p) = Inputs(n, 3000 + n);
        var tables = new ShiftedBaseTable[n];
        for (int i = 0; i < n; i++) tables[i] = i % 5 == 4 ? tables[i - 1] : new ShiftedBaseTable(p[i].Inner);
        var expected = n <= 100 ? Naive(s, p) : WithWorkers(1, () => MultiscalarMul.Vartime(s, p));
        Assert.Equal(expected, WithWorkers(1, () => new RistrettoPoint(FixedBasePippenger.Compute(s, tables))));
        Assert.Equal(expected, WithWorkers(2, () => new RistrettoPoint(FixedBasePippenger.Compute(s, tables))));
        Assert.Equal(expected, WithWorkers(3, () => new RistrettoPoint(FixedBasePippenger.Compute(s, tables))));
    }

    [Fact]
    public void VectorisedConstantTimeTable_EqualsScalarTable()
    {
        var p = TestRandom.Point(TestRandom.Create(5)).Inner;
        var table = LookupTable8.Create(p);
        var origin = TestRandom.Point(TestRandom.Create(6)).Inner;
        for (int d = -8; d <= 8; d++)
            Assert.Equal(new RistrettoPoint(EdwardsPoint.Add(origin, table.SelectScalar(d))), new RistrettoPoint(EdwardsPoint.Add(origin, table.Select(d))));
    }
}

/// <summary>The tests that change <see cref="MsmParallelism.MaxDegreeOfParallelism"/> run one at a time.</summary>
[CollectionDefinition(nameof(MsmParallelismCollection), DisableParallelization = true)]
public class MsmParallelismCollection;
