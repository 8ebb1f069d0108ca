using DVV.ZkRisk.Crypto.Sigma;

namespace DVV.ZkRisk.Crypto.Tests.Sigma;

public class SumProofTests
{
    internal static readonly StatementBinding Binding = new(7, Enumerable.Repeat((byte)1, 32).ToArray(), Enumerable.Repeat((byte)2, 32).ToArray());
    private const string Cell = "S/b=3";

    private static (RistrettoPoint sum, UInt128 aggregate, Scalar r) Cell5()
    {
        var values = new ulong[] { 10, ulong.MaxValue, 0, 12345, ulong.MaxValue };
        RistrettoPoint sum = RistrettoPoint.Identity;
        Scalar r = Scalar.Zero;
        UInt128 agg = 0;
        foreach (var v in values)
        {
            var ri = Scalar.Random();
            sum += PedersenGens.Default.Commit(v, ri);
            r += ri;
            agg += v;
        }
        return (sum, agg, r);
    }

    [Fact]
    public void HonestAggregate_Verifies_EvenAbove2To64()
    {
        var (sum, agg, r) = Cell5();
        Assert.True(agg > ulong.MaxValue);
        var proof = SumProof.Prove(Binding, Cell, sum, agg, r);
        Assert.True(SumProof.FromBytes(proof.ToBytes()).Verify(Binding, Cell, sum, agg));
    }

    [Fact]
    public void AggregateOffByOne_CannotBeProven()
    {
        var (sum, agg, r) = Cell5();
        // A prover claiming A+1 or A-1 has no blinding that works: the honest r gives a proof that fails.
        Assert.False(SumProof.Prove(Binding, Cell, sum, agg + 1, r).Verify(Binding, Cell, sum, agg + 1));
        Assert.False(SumProof.Prove(Binding, Cell, sum, agg - 1, r).Verify(Binding, Cell, sum, agg - 1));
        // And a valid proof for A does not verify for A+1.
        Assert.False(SumProof.Prove(Binding, Cell, sum, agg, r).Verify(Binding, Cell, sum, agg + 1));
    }

    [Fact]
    public void WrongEpochParametersStatementOrCell_Fail()
    {
        var (sum, agg, r) = Cell5();
        var proof = SumProof.Prove(Binding, Cell, sum, agg, r);
        Assert.False(proof.Verify(Binding with { Epoch = 8 }, Cell, sum, agg));
        Assert.False(proof.Verify(Binding with { ParameterHash = new byte[32] }, Cell, sum, agg));
        Assert.False(proof.Verify(Binding with { StatementHash = new byte[32] }, Cell, sum, agg));
        Assert.False(proof.Verify(Binding, "S/b=4", sum, agg));
    }

    [Fact]
    public void SwappedOrMissingCommitment_Fails()
    {
        var (sum, agg, r) = Cell5();
        var proof = SumProof.Prove(Binding, Cell, sum, agg, r);
        Assert.False(proof.Verify(Binding, Cell, sum + PedersenGens.Default.Commit(0, Scalar.Random()), agg));
        Assert.False(proof.Verify(Binding, Cell, sum - RistrettoPoint.Basepoint, agg - 1 + 1));
    }

    [Fact]
    public void TamperedBytes_FailOrAreRejected()
    {
        var (sum, agg, r) = Cell5();
        var bytes = SumProof.Prove(Binding, Cell, sum, agg, r).ToBytes();
        for (int i = 0; i < bytes.Length; i += 7)
        {
            var t = (byte[])bytes.Clone();
            t[i] ^= 0x04;
            bool accepted;
            try { accepted = SumProof.FromBytes(t).Verify(Binding, Cell, sum, agg); }
            catch (CryptoFormatException) { accepted = false; }
            Assert.False(accepted, $"byte {i} flipped was accepted");
        }
        Assert.Throws<InvalidEncodingException>(() => SumProof.FromBytes(bytes[..63]));
        var bad = (byte[])bytes.Clone();
        for (int i = 32; i < 64; i++) bad[i] = 0xff;
        Assert.Throws<NonCanonicalEncodingException>(() => SumProof.FromBytes(bad));
    }
}
