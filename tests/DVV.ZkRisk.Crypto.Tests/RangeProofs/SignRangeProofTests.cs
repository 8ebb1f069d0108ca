namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>SignRangeProof: F_j commits to [x_j &lt; 0] exactly when the range proof over X_j + 2^n F_j verifies.</summary>
public class SignRangeProofTests
{
    private static readonly BulletproofGens Gens = RangeProofTests.Gens;
    private static readonly PedersenGens Pc = PedersenGens.Default;
    private const string Label = "tests/sign";

    private sealed record Made(RangeProof Proof, RistrettoPoint[] X, RistrettoPoint[] F);

    /// <summary>X_j = x_j B + r_j B~ and F_j = f_j B + phi_j B~ with the given bits, proven by a prover that uses those bits.</summary>
    private static Made Make(long[] x, int bits, int[]? claimed = null)
    {
        int n = x.Length;
        var r = Enumerable.Range(0, n).Select(_ => Scalar.Random()).ToArray();
        var phi = Enumerable.Range(0, n).Select(_ => Scalar.Random()).ToArray();
        var f = claimed ?? x.Select(SignRangeProof.NegativeBit).ToArray();
        var xs = new RistrettoPoint[n];
        var fs = new RistrettoPoint[n];
        for (int j = 0; j < n; j++)
        {
            xs[j] = Pc.MulValueBase(SignRangeProof.SignedScalar(x[j])) + Pc.MulBlinding(r[j]);
            fs[j] = Pc.MulValueBase(Scalar.FromUInt64((ulong)f[j])) + Pc.MulBlinding(phi[j]);
        }
        var proof = claimed is null
            ? SignRangeProof.Prove(Gens, Pc, new Transcript(Label), x, r, phi, bits)
            : SignRangeProof.ProveWithBits(Gens, Pc, new Transcript(Label), x, r, claimed, phi, bits);
        return new Made(proof, xs, fs);
    }

    private static bool Verifies(Made m, int bits, string label = Label) =>
        RangeProofBatch.Verify(Gens, Pc, [SignRangeProof.Statement(m.Proof, new Transcript(label), m.X, m.F, bits)], out _);

    [Theory]
    [InlineData(64, new long[] { -1, 0, 1, long.MinValue, long.MaxValue, -123_456_789_012 })]
    [InlineData(16, new long[] { -65_536, -1, 0, 65_535 })]
    [InlineData(8, new long[] { -256, 255, -128 })]
    public void HonestSignsVerifyAtTheBoundaries(int bits, long[] x)
    {
        var m = Make(x, bits);
        Assert.True(Verifies(m, bits));
        Assert.Equal(SignRangeProof.PaddedCount(x.Length), SignRangeProof.ShiftedCommitments(m.X, m.F, bits).Length);
    }

    [Theory]
    [InlineData(64, -1L)]
    [InlineData(64, long.MinValue)]
    [InlineData(16, -65_536L)]
    public void ANegativeValueWithBitZeroIsRefused(int bits, long x)
    {
        // unflagging: the prover's u = x mod 2^n is not x mod l, so its commitment is not the verifier's X + 2^n F
        Assert.False(Verifies(Make([x, 5], bits, claimed: [0, 0]), bits));
    }

    [Theory]
    [InlineData(64, 0L)]
    [InlineData(64, long.MaxValue)]
    [InlineData(16, 65_535L)]
    public void ANonNegativeValueWithBitOneIsRefused(int bits, long x)
    {
        Assert.False(Verifies(Make([-3, x], bits, claimed: [1, 1]), bits));
    }

    [Fact]
    public void AValueOutsideTheShiftedRangeCannotBeProven()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Make([65_536], 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make([-65_537], 16));
    }

    [Fact]
    public void TheProofIsBoundToItsTranscriptAndCommitments()
    {
        var m = Make([-7, 9, 0], 64);
        Assert.True(Verifies(m, 64));
        Assert.False(Verifies(m, 64, "tests/other"));
        Assert.False(Verifies(m with { F = [m.F[1], m.F[0], m.F[2]] }, 64));
        Assert.False(Verifies(m with { X = [m.X[0] + Pc.B, m.X[1], m.X[2]] }, 64));
    }

    [Fact]
    public void SignedScalarIsTheIntegerModL()
    {
        foreach (long x in new long[] { 0, 1, -1, long.MinValue, long.MaxValue, -42 })
            Assert.Equal(Scalar.FromBigInteger(new System.Numerics.BigInteger(x)), SignRangeProof.SignedScalar(x));
        Assert.Equal(Scalar.FromBigInteger(System.Numerics.BigInteger.Pow(2, 64)), SignRangeProof.Shift(64));
    }

    // ---- the floor form (circuits/cluster.v1.json): V = X + 2^62 F in [0, 2^64) shows f >= [x < 0] ----

    private static (RistrettoPoint[] X, RistrettoPoint[] F, Scalar[] R, Scalar[] Phi) Commit(long[] x, int[] f)
    {
        int n = x.Length;
        var r = Enumerable.Range(0, n).Select(_ => Scalar.Random()).ToArray();
        var phi = Enumerable.Range(0, n).Select(_ => Scalar.Random()).ToArray();
        var xs = new RistrettoPoint[n];
        var fs = new RistrettoPoint[n];
        for (int j = 0; j < n; j++)
        {
            xs[j] = Pc.MulValueBase(SignRangeProof.SignedScalar(x[j])) + Pc.MulBlinding(r[j]);
            fs[j] = Pc.MulValueBase(Scalar.FromUInt64((ulong)f[j])) + Pc.MulBlinding(phi[j]);
        }
        return (xs, fs, r, phi);
    }

    private static bool FloorVerifies(RangeProof proof, RistrettoPoint[] x, RistrettoPoint[] f) =>
        RangeProofBatch.Verify(Gens, Pc, [SignRangeProof.FloorStatement(proof, new Transcript(Label), x, f, 64, 62)], out _);

    [Fact]
    public void TheFloorFormProvesAFlaggedValueOfEitherSignAndAnUnflaggedNonNegativeOne()
    {
        long[] x = [-1, 0, 5, -(1L << 62), long.MaxValue, (1L << 62) - 1, 0];
        int[] f = [1, 0, 1, 1, 1, 0, 1];
        var (xs, fs, r, phi) = Commit(x, f);
        var proof = SignRangeProof.ProveFloor(Gens, Pc, new Transcript(Label), x, r, f, phi, 64, 62);
        Assert.True(FloorVerifies(proof, xs, fs));
        // the exact statement does not accept it (other commitments): the two forms are not interchangeable
        Assert.False(RangeProofBatch.Verify(Gens, Pc, [SignRangeProof.Statement(proof, new Transcript(Label), xs, fs, 64)], out _));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void TheFloorFormRefusesAnUnflaggedNegativeValue(long negative)
    {
        // the honest prover has no proof; a cheating one proves u = x mod 2^64 (a value in range), which is not x mod l
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var (_, _, r0, p0) = Commit([negative], [0]);
            SignRangeProof.ProveFloor(Gens, Pc, new Transcript(Label), [negative], r0, [0], p0, 64, 62);
        });
        var (xs, fs, r, phi) = Commit([negative, 3], [0, 0]);
        ulong[] u = [unchecked((ulong)negative), 3];
        var shift = Scalar.FromUInt64(1UL << 62);
        var forged = RangeProof.ProveMultiple(Gens, Pc, new Transcript(Label), u, [r[0] + shift * phi[0], r[1] + shift * phi[1]], 64, out _);
        Assert.False(FloorVerifies(forged, xs, fs));
    }

    [Fact]
    public void TheFloorFormHasNoProofBelowMinus2To62()
    {
        var (_, _, r, phi) = Commit([-(1L << 62) - 1], [1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SignRangeProof.ProveFloor(Gens, Pc, new Transcript(Label), [-(1L << 62) - 1], r, [1], phi, 64, 62));
    }
}
