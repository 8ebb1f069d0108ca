using DVV.ZkRisk.Crypto.Sigma;

namespace DVV.ZkRisk.Crypto.Tests.Sigma;

public class SelectionProofTests
{
    private static readonly StatementBinding Binding = SumProofTests.Binding;
    private static readonly byte[] Trader = [1, 2, 3, 4];
    private const int Bands = 8;

    private static (RistrettoPoint[] c, ulong[] v, Scalar[] r) Commitments()
    {
        var v = Enumerable.Range(0, Bands).Select(b => b == 2 ? 0UL : (ulong)(1000 * b + 7)).ToArray();
        var r = v.Select(_ => Scalar.Random()).ToArray();
        return (v.Select((x, b) => PedersenGens.Default.Commit(x, r[b])).ToArray(), v, r);
    }

    private static Scalar[] Rho() => Enumerable.Range(0, Bands).Select(_ => Scalar.Random()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HonestSelection_VerifiesAndOpensToLambdaTimesValue(bool lambda)
    {
        var (c, v, r) = Commitments();
        var rho = Rho();
        var proof = SelectionProof.Prove(Binding, Trader, 3, c, lambda, rho, out var d);
        Assert.True(SelectionProof.FromBytes(proof.ToBytes()).Verify(Binding, Trader, 3, c, d));
        ulong lam = lambda ? 1UL : 0UL;
        for (int b = 0; b < Bands; b++)
            Assert.True(PedersenGens.Default.VerifyOpening(d[b], Scalar.FromUInt64(lam * v[b]), (lambda ? r[b] : Scalar.Zero) + rho[b]));
    }

    [Fact]
    public void SelectionBitOfTwo_CannotBeProven()
    {
        var (c, _, _) = Commitments();
        var rho = Rho();
        var two = Scalar.FromUInt64(2);
        var d = c.Select((cb, b) => two * cb + PedersenGens.Default.MulBlinding(rho[b])).ToArray();
        foreach (int claim in new[] { 0, 1 })
            Assert.False(SelectionProof.ProveCore(Binding, Trader, 0, c, d, claim, rho, PedersenGens.Default).Verify(Binding, Trader, 0, c, d));
    }

    [Fact]
    public void FlagThatDiffersBetweenBands_CannotBeProven()
    {
        var (c, _, _) = Commitments();
        var rho = Rho();
        // Band 5 (non-zero value) selected with lambda = 1, every other band with lambda = 0.
        var d = c.Select((cb, b) => (b == 5 ? cb : RistrettoPoint.Identity) + PedersenGens.Default.MulBlinding(rho[b])).ToArray();
        foreach (int claim in new[] { 0, 1 })
            Assert.False(SelectionProof.ProveCore(Binding, Trader, 0, c, d, claim, rho, PedersenGens.Default).Verify(Binding, Trader, 0, c, d));
    }

    [Fact]
    public void WrongEpochTraderShockOrSwappedCommitments_Fail()
    {
        var (c, _, _) = Commitments();
        var proof = SelectionProof.Prove(Binding, Trader, 3, c, true, Rho(), out var d);
        Assert.False(proof.Verify(Binding with { Epoch = 6 }, Trader, 3, c, d));
        Assert.False(proof.Verify(Binding with { StatementHash = new byte[32] }, Trader, 3, c, d));
        Assert.False(proof.Verify(Binding, [9, 9], 3, c, d));
        Assert.False(proof.Verify(Binding, Trader, 4, c, d));
        var dSwapped = (RistrettoPoint[])d.Clone();
        (dSwapped[0], dSwapped[1]) = (dSwapped[1], dSwapped[0]);
        Assert.False(proof.Verify(Binding, Trader, 3, c, dSwapped));
        var cSwapped = (RistrettoPoint[])c.Clone();
        (cSwapped[3], cSwapped[4]) = (cSwapped[4], cSwapped[3]);
        Assert.False(proof.Verify(Binding, Trader, 3, cSwapped, d));
        Assert.False(proof.Verify(Binding, Trader, 3, c, d[..^1]));
    }

    [Fact]
    public void EveryTamperedProofByte_Fails()
    {
        var (c, _, _) = Commitments();
        var bytes = SelectionProof.Prove(Binding, Trader, 1, c, false, Rho(), out var d).ToBytes();
        for (int i = 0; i < bytes.Length; i += 5)
        {
            var t = (byte[])bytes.Clone();
            t[i] ^= 0x10;
            bool accepted;
            try { accepted = SelectionProof.FromBytes(t).Verify(Binding, Trader, 1, c, d); }
            catch (CryptoFormatException) { accepted = false; }
            Assert.False(accepted, $"byte {i} flipped was accepted");
        }
    }

    [Fact]
    public void Batch_WithTheEncodingsAbsorbedAsTheyAre_AgreesWithReencoding()
    {
        var (c, _, _) = Commitments();
        var cBytes = c.Select(p => (ReadOnlyMemory<byte>)p.ToBytes()).ToArray();
        var proof = SelectionProof.Prove(Binding, Trader, 2, c, cBytes, true, Rho(), PedersenGens.Default, out var d);
        var st = new SelectionStatement(Binding, Trader, 2, c, d, proof) { BandCommitmentBytes = cBytes, SelectedBytes = d.Select(p => (ReadOnlyMemory<byte>)p.ToBytes()).ToArray() };
        Assert.True(proof.Verify(Binding, Trader, 2, c, d));                 // same transcript as re-encoding
        Assert.True(SelectionProofBatch.Verify([st], out _));
        // Encodings that are not the points' own break the transcript, and the proof fails.
        var wrong = st with { SelectedBytes = st.SelectedBytes!.Reverse().ToArray() };
        Assert.False(SelectionProofBatch.Verify([wrong], out var bad));
        Assert.Equal(new[] { 0 }, bad);
    }

    [Fact]
    public void Batch_AcceptsHonestAndNamesTheBadOnes()
    {
        var statements = new List<SelectionStatement>();
        for (int trader = 0; trader < 4; trader++)
        {
            var (c, _, _) = Commitments();
            for (int s = 0; s < 3; s++)
            {
                var proof = SelectionProof.Prove(Binding, [(byte)trader], s, c, (trader + s) % 2 == 0, Rho(), out var d);
                statements.Add(new SelectionStatement(Binding, [(byte)trader], s, c, d, proof));
            }
        }
        Assert.True(SelectionProofBatch.Verify(statements, out var none));
        Assert.Empty(none);
        statements[4] = statements[4] with { ShockIndex = 9 };
        statements[10] = statements[10] with { Selected = statements[9].Selected };
        Assert.False(SelectionProofBatch.Verify(statements, out var bad));
        Assert.Equal(new[] { 4, 10 }, bad);
    }

    [Theory]
    [InlineData(1)]    // one statement per chunk: every trader's band commitments spread over three chunks
    [InlineData(50)]   // chunk boundaries in the middle of a trader's shocks
    [InlineData(1 << 17)]
    public void Batch_ChunkedCombinationAgreesWithOneByOne(int chunkPoints)
    {
        var statements = new List<SelectionStatement>();
        for (int trader = 0; trader < 5; trader++)
        {
            var (c, _, _) = Commitments();
            for (int s = 0; s < 3; s++)
            {
                var proof = SelectionProof.Prove(Binding, [(byte)trader], s, c, (trader * s) % 3 == 1, Rho(), out var d);
                statements.Add(new SelectionStatement(Binding, [(byte)trader], s, c, d, proof));
            }
        }
        Assert.True(SelectionProofBatch.Verify(statements, PedersenGens.Default, out var none, chunkPoints));
        Assert.Empty(none);
        // a selected point of one statement swapped for another's, in a chunk other than the first
        var d7 = (RistrettoPoint[])statements[7].Selected.Clone();
        d7[3] = statements[8].Selected[3];
        statements[7] = statements[7] with { Selected = d7 };
        statements[13] = statements[13] with { Binding = new StatementBinding(Binding.Epoch + 1, Binding.ParameterHash, Binding.StatementHash) };
        Assert.False(SelectionProofBatch.Verify(statements, PedersenGens.Default, out var bad, chunkPoints));
        Assert.Equal(new[] { 7, 13 }, bad);
    }
}
