namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>Every check the verifier makes, each with an input that fails it; none may crash.</summary>
public class RangeProofNegativeTests
{
    private const string Label = "DVV.ZkRisk/negative";
    private static readonly BulletproofGens Gens = RangeProofTests.Gens;
    private static readonly (RangeProof Proof, RistrettoPoint[] Commitments) Valid = RangeProofTests.Make([5, 1000], 16, Label);

    private static bool Accepts(byte[] proofBytes, RistrettoPoint[] commitments, int n = 16, string label = Label)
    {
        RangeProof proof;
        try { proof = RangeProof.FromBytes(proofBytes); }
        catch (CryptoFormatException) { return false; }
        return proof.TryVerify(Gens, PedersenGens.Default, new Transcript(label), commitments, n, out _);
    }

    [Fact]
    public void TheValidProof_IsAccepted() => Assert.True(Accepts(Valid.Proof.ToBytes(), Valid.Commitments));

    public static IEnumerable<object[]> Elements()
    {
        // A S T_1 T_2 t_x t_x_blinding e_blinding, then L_0 R_0 .. L_4 R_4 (n*m = 32: 5 rounds), a b.
        string[] names = ["A", "S", "T_1", "T_2", "t_x", "t_x_blinding", "e_blinding"];
        for (int i = 0; i < names.Length; i++) yield return new object[] { names[i], i };
        for (int r = 0; r < 5; r++) { yield return new object[] { $"L_{r}", 7 + 2 * r }; yield return new object[] { $"R_{r}", 8 + 2 * r }; }
        yield return new object[] { "a", 17 };
        yield return new object[] { "b", 18 };
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void EachElementTampered_IsRejected(string name, int index)
    {
        foreach (int bit in new[] { 0, 9, 130, 250 })
        {
            var bytes = Valid.Proof.ToBytes();
            bytes[index * 32 + bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Accepts(bytes, Valid.Commitments), $"{name} with bit {bit} flipped was accepted");
        }
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void EachElementReplacedByAValidOtherValue_IsRejected(string name, int index)
    {
        // A well-formed but wrong value (a valid point or canonical scalar) must fail the equation itself.
        var bytes = Valid.Proof.ToBytes();
        byte[] replacement = index is >= 4 and <= 6 or >= 17 ? Scalar.Random().ToBytes() : RistrettoPoint.MulBase(Scalar.Random()).ToBytes();
        replacement.CopyTo(bytes, index * 32);
        Assert.False(Accepts(bytes, Valid.Commitments), $"{name} replaced was accepted");
    }

    [Fact]
    public void InvalidPointEncodings_AreNamed()
    {
        // The verifier decodes A, S, T_1, T_2, L_0.., R_0.. (this order) four at a time; the reason must still name
        // the first bad one in that order, as the one-by-one decoding did.
        string[] names = ["A", "S", "T_1", "T_2", "L_0", "L_1", "L_2", "L_3", "L_4", "R_0", "R_1", "R_2", "R_3", "R_4"];
        int[] indices = [0, 1, 2, 3, 7, 9, 11, 13, 15, 8, 10, 12, 14, 16];
        for (int k = 0; k < names.Length; k++)
        {
            var bytes = Valid.Proof.ToBytes();
            bytes[indices[k] * 32 + 31] |= 0x80;                 // top bit set: never a canonical encoding
            if (k + 3 < names.Length) bytes[indices[k + 3] * 32 + 31] |= 0x80;   // a later bad point must not be the one named
            RangeProof proof;
            try { proof = RangeProof.FromBytes(bytes); }
            catch (CryptoFormatException) { continue; }
            var e = Assert.Throws<RangeProofVerificationException>(() => proof.Verify(Gens, PedersenGens.Default, new Transcript(Label), Valid.Commitments, 16));
            Assert.Contains($": {names[k]} is not a valid ristretto255 encoding", e.Message);
        }
    }

    [Fact]
    public void IdentityPoints_AreRejected()
    {
        foreach (int index in new[] { 0, 1, 2, 3, 7, 8 })
        {
            var bytes = Valid.Proof.ToBytes();
            Array.Clear(bytes, index * 32, 32);
            var proof = RangeProof.FromBytes(bytes);
            Assert.False(proof.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), Valid.Commitments, 16, out string? reason));
            Assert.Contains("identity", reason);
        }
    }

    [Fact]
    public void NonCanonicalScalars_AreRejectedAtParse()
    {
        foreach (int index in new[] { 4, 5, 6, 17, 18 })
        {
            var bytes = Valid.Proof.ToBytes();
            for (int i = 0; i < 32; i++) bytes[index * 32 + i] = 0xff;
            Assert.Throws<NonCanonicalEncodingException>(() => RangeProof.FromBytes(bytes));
        }
    }

    [Fact]
    public void SwappedOrAlteredCommitments_AreRejected()
    {
        var c = Valid.Commitments;
        Assert.False(Accepts(Valid.Proof.ToBytes(), [c[1], c[0]]));
        Assert.False(Accepts(Valid.Proof.ToBytes(), [c[0], c[1] + RistrettoPoint.Basepoint]));
        Assert.False(Accepts(Valid.Proof.ToBytes(), [c[0]]));
        Assert.False(Accepts(Valid.Proof.ToBytes(), [c[0], c[1], c[0], c[1]]));
        var other = RangeProofTests.Make([5, 1000], 16, Label);
        Assert.False(Accepts(Valid.Proof.ToBytes(), other.commitments));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(7)]
    public void WrongBitSize_IsRejected(int n) => Assert.False(Accepts(Valid.Proof.ToBytes(), Valid.Commitments, n));

    [Fact]
    public void WrongLabel_IsRejected() => Assert.False(Accepts(Valid.Proof.ToBytes(), Valid.Commitments, 16, "DVV.ZkRisk/other"));

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public void ValueOfTwoToTheN_CannotBeProven(int n)
    {
        // The honest prover refuses; a prover that skips the check produces a proof the verifier rejects.
        var blinding = Scalar.Random();
        var proof = RangeProofProver.Prove(Gens, PedersenGens.Default, new Transcript(Label), [1UL << n], [blinding], n, out var commitments);
        Assert.False(proof.TryVerify(Gens, PedersenGens.Default, new Transcript(Label), commitments, n, out string? reason));
        Assert.NotNull(reason);
    }

    [Fact]
    public void TruncatedAndPaddedBytes_AreRejectedWithoutCrashing()
    {
        var bytes = Valid.Proof.ToBytes();
        foreach (int len in new[] { 0, 1, 31, 32, 223, 224, 256, bytes.Length - 32, bytes.Length - 1, bytes.Length + 1 })
        {
            var b = new byte[len];
            Array.Copy(bytes, b, Math.Min(len, bytes.Length));
            Assert.False(Accepts(b, Valid.Commitments), $"length {len} accepted");
        }
        Assert.False(Accepts([.. bytes, .. new byte[32]], Valid.Commitments));
        Assert.False(Accepts([.. bytes, .. new byte[64]], Valid.Commitments));
    }

    [Fact]
    public void RandomGarbage_NeverCrashes()
    {
        var rng = TestRandom.Create(77);
        for (int i = 0; i < 200; i++)
        {
            var b = TestRandom.Bytes(rng, 32 * rng.Next(0, 25));
            Assert.False(Accepts(b, Valid.Commitments));
        }
    }
}
