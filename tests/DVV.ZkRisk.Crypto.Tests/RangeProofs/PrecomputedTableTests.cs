namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// The verifier's precomputed-table path gives the same multiscalar value as the generic path (for valid and for
/// tampered proofs alike), tampered proofs are rejected through it, the table cache respects its caps, and the
/// prover's table-assisted inner-product folding produces byte-identical proofs to the textbook folding.
/// </summary>
public class PrecomputedTableTests
{
    private const string Label = "DVV.ZkRisk/tables";
    private static readonly BulletproofGens Gens = RangeProofTests.Gens;

    [Theory]
    [InlineData(64, 1)]
    [InlineData(32, 2)]
    [InlineData(64, 4)]
    [InlineData(8, 8)]
    public void TabledEvaluation_EqualsGeneric_ForValidAndTamperedProofs(int n, int m)
    {
        var values = Enumerable.Range(0, m).Select(i => (ulong)(i * 37 + 1) & (n == 64 ? ulong.MaxValue : (1UL << n) - 1)).ToArray();
        var (proof, commitments) = RangeProofTests.Make(values, n, Label);
        var tables = Gens.VerifierTables(n, m);
        Assert.NotNull(tables);
        var check = RangeProofVerifier.BuildCheck(proof, Gens, new Transcript(Label), commitments, n, Scalar.One);
        Assert.True(check.EvaluateTabled(tables!, PedersenGens.Default).IsIdentity);
        Assert.True(check.EvaluateGeneric(Gens, PedersenGens.Default).IsIdentity);

        // A shifted commitment: both paths must compute the same (non-identity) point.
        var shifted = (RistrettoPoint[])commitments.Clone();
        shifted[0] += RistrettoPoint.Basepoint;
        var bad = RangeProofVerifier.BuildCheck(proof, Gens, new Transcript(Label), shifted, n, Scalar.One);
        var viaTables = bad.EvaluateTabled(tables!, PedersenGens.Default);
        Assert.False(viaTables.IsIdentity);
        Assert.Equal(bad.EvaluateGeneric(Gens, PedersenGens.Default), viaTables);
    }

    [Theory]
    [InlineData(64, 8)]
    [InlineData(32, 16)]
    public void ShiftedEvaluation_EqualsGeneric_ForValidAndTamperedProofs(int n, int m)
    {
        var values = Enumerable.Range(0, m).Select(i => (ulong)(i * 7919 + 3) & (n == 64 ? ulong.MaxValue : (1UL << n) - 1)).ToArray();
        var (proof, commitments) = RangeProofTests.Make(values, n, Label);
        Assert.Null(Gens.VerifierTables(n, m));                   // beyond the Straus tables: the shifted path is the one in use
        var shifted = Gens.ShiftedTables(n, m);
        Assert.NotNull(shifted);
        var check = RangeProofVerifier.BuildCheck(proof, Gens, new Transcript(Label), commitments, n, Scalar.One);
        Assert.True(check.EvaluateShifted(shifted!, PedersenGens.Default).IsIdentity);
        Assert.True(proof.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), commitments, n, out _));

        var tampered = proof.ToBytes();
        tampered[7 * 32 + 5] ^= 1;                                  // L_0
        tampered[^40] ^= 2;                                         // a
        var bad = RangeProof.FromBytes(tampered.AsSpan(0, tampered.Length).ToArray());
        Assert.False(bad.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), commitments, n, out _));
        var shiftedCommitments = (RistrettoPoint[])commitments.Clone();
        shiftedCommitments[m - 1] += RistrettoPoint.Basepoint;
        var badCheck = RangeProofVerifier.BuildCheck(proof, Gens, new Transcript(Label), shiftedCommitments, n, Scalar.One);
        var viaShifted = badCheck.EvaluateShifted(shifted!, PedersenGens.Default);
        Assert.False(viaShifted.IsIdentity);
        Assert.Equal(badCheck.EvaluateGeneric(Gens, PedersenGens.Default), viaShifted);
    }

    [Fact]
    public void TamperedProofs_AreRejectedThroughTheTabledPath()
    {
        var (proof, commitments) = RangeProofTests.Make([12345, 0], 64, Label);
        var bytes = proof.ToBytes();
        Assert.NotNull(Gens.VerifierTables(64, 2));
        int count = 0;
        foreach (var (what, variant) in ProofTampering.Variants(bytes, 128))
        {
            RangeProof p;
            try { p = RangeProof.FromBytes(variant); }
            catch (CryptoFormatException) { continue; }
            Assert.False(p.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), commitments, 64, out _), what);
            count++;
        }
        Assert.True(count > 30);
        Assert.True(proof.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), commitments, 64, out _));
    }

    [Fact]
    public void TableCache_RespectsCaps_AndGrowsPerPrefix()
    {
        var gens = new BulletproofGens(64, 64);
        Assert.Null(gens.VerifierTables(64, 8));                 // 1024 generators > 512
        var small = gens.VerifierTables(16, 2)!;                  // 64 generators
        Assert.Equal(64, small.Length);
        var grown = gens.VerifierTables(64, 4)!;                  // grows every party's prefix to 64
        Assert.Equal(512, grown.Length);
        Assert.Same(small[0], grown[0]);                          // party 0's G_0 table is reused, not rebuilt
        Assert.Same(small[16], grown[64]);                        // party 1's G_0
        var other = gens.VerifierTables(32, 8)!;                  // 512 alone, but not with the 512 cached: replaces them
        Assert.Equal(512, other.Length);
        Assert.NotSame(grown[0], gens.VerifierTables(64, 4)![0]); // and back again: rebuilt, still bounded
        Assert.Null(gens.FoldTables(64, 64));                     // 8192 > 4096
        Assert.NotNull(gens.FoldTables(64, 32));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(8, true)]
    [InlineData(64, true)]
    [InlineData(128, false)]
    [InlineData(256, true)]
    public void InnerProductProver_EqualsTextbookFolding(int n, bool withTables)
    {
        // The same inputs through the (factor, point) folding with and without tables, and through the
        // paper's folding G' = u^-1 G_L + u G_R with the factors applied up front: identical bytes.
        var rng = TestRandom.Create(n);
        var a = Enumerable.Range(0, n).Select(_ => TestRandom.Scalar(rng)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => TestRandom.Scalar(rng)).ToArray();
        var gf = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? Scalar.One : TestRandom.Scalar(rng)).ToArray();
        var hf = Enumerable.Range(0, n).Select(_ => TestRandom.Scalar(rng)).ToArray();
        int parties = Math.Max(1, n / 64), per = Math.Min(n, 64);
        var q = TestRandom.Point(rng);
        var ours = InnerProductProof.Create(new Transcript(Label), q, gf, hf, Gens.AggregatedG(per, parties), Gens.AggregatedH(per, parties),
            (Scalar[])a.Clone(), (Scalar[])b.Clone(), withTables ? Gens.FoldTables(per, parties) : null, withTables ? Gens.ConstantTimeTables(per, parties) : null);
        var reference = Textbook(new Transcript(Label), q, gf, hf, Gens.AggregatedG(per, parties), Gens.AggregatedH(per, parties), a, b);
        var ob = new byte[ours.SerializedSize];
        ours.WriteTo(ob);
        Assert.Equal(reference, ob);
    }

    /// <summary>Bünz et al. protocol 2 with the factors applied to the generators first, everything materialised.</summary>
    private static byte[] Textbook(Transcript t, RistrettoPoint q, Scalar[] gf, Scalar[] hf, RistrettoPoint[] g, RistrettoPoint[] h, Scalar[] a, Scalar[] b)
    {
        int n = g.Length;
        for (int i = 0; i < n; i++) { g[i] = gf[i] * g[i]; h[i] = hf[i] * h[i]; }
        t.AppendMessage("dom-sep"u8, "ipp v1"u8);
        t.AppendU64("n"u8, (ulong)n);
        var output = new List<byte>();
        while (n > 1)
        {
            n /= 2;
            Scalar cL = Scalar.Zero, cR = Scalar.Zero;
            RistrettoPoint l = RistrettoPoint.Identity, r = RistrettoPoint.Identity;
            for (int i = 0; i < n; i++)
            {
                cL += a[i] * b[n + i];
                cR += a[n + i] * b[i];
                l += a[i] * g[n + i] + b[n + i] * h[i];
                r += a[n + i] * g[i] + b[i] * h[n + i];
            }
            l += cL * q;
            r += cR * q;
            output.AddRange(l.ToBytes());
            output.AddRange(r.ToBytes());
            t.AppendMessage("L"u8, l.ToBytes());
            t.AppendMessage("R"u8, r.ToBytes());
            Scalar u = t.ChallengeScalar("u"u8), uInv = Scalar.Invert(u);
            for (int i = 0; i < n; i++)
            {
                a[i] = a[i] * u + uInv * a[n + i];
                b[i] = b[i] * uInv + u * b[n + i];
                g[i] = uInv * g[i] + u * g[n + i];
                h[i] = u * h[i] + uInv * h[n + i];
            }
        }
        output.AddRange(a[0].ToBytes());
        output.AddRange(b[0].ToBytes());
        return output.ToArray();
    }
}

public class ScalarVectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    public void SumOfPowers_ByDoubling_EqualsTermByTerm(int n)
    {
        var x = TestRandom.Scalar(TestRandom.Create(n));
        Assert.Equal(ScalarVectors.SumOfPowersSerial(x, n), ScalarVectors.SumOfPowers(x, n));
    }
}

public class MontgomeryFormTests
{
    [Fact]
    public void ProductsAndEncodings_MatchBigIntegerArithmetic()
    {
        // Scalars are held in Montgomery form; products, sums and the byte encoding must still be plain arithmetic mod l.
        var rng = TestRandom.Create(99);
        for (int i = 0; i < 200; i++)
        {
            Scalar a = i == 0 ? Scalar.Zero : i == 1 ? -Scalar.One : TestRandom.Scalar(rng), b = i == 2 ? -Scalar.One : TestRandom.Scalar(rng);
            var expected = a.ToBigInteger() * b.ToBigInteger() % Scalar.Order;
            Assert.Equal(expected, (a * b).ToBigInteger());
            Assert.Equal(a, Scalar.FromCanonical(a.ToBytes()));
            Assert.Equal(Scalar.FromBigInteger(expected), a * b);
        }
        Assert.Equal(System.Numerics.BigInteger.One, Scalar.One.ToBigInteger());
        Assert.Equal(new System.Numerics.BigInteger(12345), Scalar.FromUInt64(12345).ToBigInteger());
    }
}
