using System.Runtime.Intrinsics.X86;

namespace DVV.ZkRisk.Crypto.Tests.Msm;

/// <summary>The 4-way AVX2 Pippenger part against the serial part and against the naive sum.</summary>
public class PippengerAvx2Tests
{
    [Theory]
    [InlineData(1)]
    [InlineData(190)]
    [InlineData(777)]
    [InlineData(5000)]
    [InlineData(20000)]   // more than one 16k-point chunk
    public void VectorPart_EqualsSerialPart(int n)
    {
        if (!Avx2.IsSupported) return;   // the serial part is the only path then; nothing to compare
        var rng = TestRandom.Create(900 + n);
        var scalars = new Scalar[n];
        var points = new RistrettoPoint[n];
        for (int i = 0; i < n; i++)
        {
            // zero scalars, small and negative-digit-heavy scalars, repeated and identity points
            scalars[i] = (i % 11) switch { 0 => Scalar.Zero, 1 => -Scalar.One, 2 => Scalar.FromUInt64((ulong)i), _ => TestRandom.Scalar(rng) };
            points[i] = (i % 13) switch { 0 => RistrettoPoint.Identity, 1 when i > 0 => points[i - 1], 2 => points[0], _ => TestRandom.Point(rng) };
        }
        var serial = new RistrettoPoint(Pippenger.Part(scalars, points));
        var vector = new RistrettoPoint(PippengerAvx2.Part(scalars, points));
        Assert.Equal(serial, vector);
        if (n <= 777)
        {
            var naive = RistrettoPoint.Identity;
            for (int i = 0; i < n; i++) naive += scalars[i] * points[i];
            Assert.Equal(naive, vector);
        }
    }

    [Fact]
    public void AllZeroScalars_GiveTheIdentity()
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(950);
        var points = Enumerable.Range(0, 300).Select(_ => TestRandom.Point(rng)).ToArray();
        Assert.Equal(RistrettoPoint.Identity, new RistrettoPoint(PippengerAvx2.Part(new Scalar[300], points)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(300)]
    public void FixedBaseVectorPart_EqualsSerialPartAndNaiveSum(int n)
    {
        if (!Avx2.IsSupported) return;
        var rng = TestRandom.Create(960 + n);
        var scalars = new Scalar[n];
        var points = new RistrettoPoint[n];
        var tables = new ShiftedBaseTable[n];
        for (int i = 0; i < n; i++)
        {
            scalars[i] = (i % 7) switch { 0 => Scalar.Zero, 1 => -Scalar.One, 2 => Scalar.FromUInt64((ulong)i * 4095), _ => TestRandom.Scalar(rng) };
            points[i] = i % 5 == 4 ? points[i - 1] : TestRandom.Point(rng);
            tables[i] = new ShiftedBaseTable(points[i].Inner);
        }
        var vector = new RistrettoPoint(FixedBasePippengerAvx2.Part(scalars, tables));
        Assert.Equal(new RistrettoPoint(FixedBasePippenger.Part(scalars, tables)), vector);
        var naive = RistrettoPoint.Identity;
        for (int i = 0; i < n; i++) naive += scalars[i] * points[i];
        Assert.Equal(naive, vector);
    }
}
