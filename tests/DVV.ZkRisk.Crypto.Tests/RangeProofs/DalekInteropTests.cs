using DVV.ZkRisk.Oracles;
using Xunit.Abstractions;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// Cross-verification with dalek bulletproofs 4.0 itself (compiled to WASM, npm
/// @aptos-labs/confidential-asset-wasm-bindings 0.0.2, under Node 20), both ways, for every n in {8,16,32,64}
/// and m in {1,2,4,8,16} (the package's generators stop at m = 16): dalek's proofs verify here, ours verify
/// there, and tampered or misused proofs are rejected on both sides. All Node work runs in two processes
/// (see <see cref="DalekInteropData"/>); if node or the npm package is missing, every test here fails.
/// </summary>
public sealed class DalekInteropTests(DalekInteropData d, ITestOutputHelper output) : IClassFixture<DalekInteropData>
{
    private const string Label = DalekInteropData.Label;

    public static TheoryData<int, int> NM()
    {
        var t = new TheoryData<int, int>();
        foreach (int n in DalekInteropData.Ns) foreach (int m in DalekInteropData.Ms) t.Add(n, m);
        return t;
    }

    [Fact]
    public void GoldenFixture_DalekPeerAcceptsIt_AndRejectsItWithN16()
    {
        output.WriteLine($"our proving of all cases: {d.OurProvingTime.TotalMilliseconds:F0} ms; node (dalek) work: {d.NodeTime.TotalMilliseconds:F0} ms");
        Assert.True(d.Golden.AtN.Ok, "dalek WASM rejected the golden fixture: " + d.Golden.AtN);
        Assert.False(d.Golden.At16.Ok, "dalek WASM accepted the golden fixture with n=16: " + d.Golden.At16);
    }

    [Fact]
    public void GoldenFixture_VerifiesHere_WithTheExpectedChallenges_AndFailsWithN16()
    {
        var fx = GoldenFixture.Load();
        Assert.Equal(Label, fx.Label);
        var proof = Convert.FromHexString(fx.ProofHex);
        var comms = fx.CommitmentsHex.Select(Convert.FromHexString).ToArray();
        var replay = DalekTranscriptReplay.Challenges(fx.Label, proof, comms, fx.NBits);
        foreach (var (name, expected) in fx.ExpectedChallenges)
            Assert.True(expected == replay.Single(c => c.Name == name).Value.ToString(), $"transcript replay: challenge {name} differs from the fixture");
        // the commitments are v*B + r*B_blinding with r = from_bytes_mod_order(blinding)
        for (int j = 0; j < fx.M; j++)
            Assert.Equal(fx.CommitmentsHex[j], d.Pc.Commit(fx.Values[j], Scalar.FromBytesModOrder(Convert.FromHexString(fx.BlindingsHex[j]))).ToString());

        var points = comms.Select(c => RistrettoPoint.Decode(c)).ToArray();
        string? why = Verdict.Of(d, proof, points, fx.NBits, Label);
        Assert.True(why is null, $"the golden fixture is rejected here: {why}; replayed challenges (equal to the fixture's): {DalekTranscriptReplay.Describe(replay)}");
        Assert.NotNull(Verdict.Of(d, proof, points, 16, Label));
    }

    [Theory]
    [MemberData(nameof(NM))]
    public void DalekProof_VerifiesHere(int n, int m)
    {
        var c = d.Get(n, m);
        Assert.True(c.DalekMade.Error is null, $"dalek could not prove {c}: {c.DalekMade.Error}");
        var proof = Convert.FromHexString(c.DalekMade.ProofHex);
        Assert.Equal(32 * ProofTampering.ElementNames(n * m).Length, proof.Length);
        var comms = c.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
        Assert.Equal(m, comms.Length);
        var scalars = c.BlindingScalars;
        for (int j = 0; j < m; j++)
            Assert.True(comms[j] == d.Pc.Commit(c.Values[j], scalars[j]), $"{c}: dalek's commitment {j} is not v*B + r*B_blinding with r = from_bytes_mod_order(blinding)");

        string? why = Verdict.Of(d, proof, comms, n, Label);
        Assert.True(why is null, $"{c}: a dalek-made proof is rejected here: {why}; replayed dalek challenges: " +
            DalekTranscriptReplay.Describe(DalekTranscriptReplay.Challenges(Label, proof, c.DalekMade.CommitmentsHex.Select(Convert.FromHexString).ToArray(), n)));
        Assert.Equal(proof, RangeProof.FromBytes(proof).ToBytes()); // byte layout round-trips exactly
    }

    [Theory]
    [MemberData(nameof(NM))]
    public void OurProof_VerifiesInDalek(int n, int m)
    {
        var c = d.Get(n, m);
        Assert.True(c.OurProveError is null, $"our ProveMultiple threw for {c}: {c.OurProveError}");
        Assert.Equal(32 * ProofTampering.ElementNames(n * m).Length, c.OurProof!.Length);
        // same values and blindings: the commitments are the same bytes on both sides
        Assert.True(c.DalekMade.Error is null, $"dalek could not prove {c}: {c.DalekMade.Error}");
        Assert.Equal(c.DalekMade.CommitmentsHex, DalekInteropData.Hex(c.OurCommitments!));
        Assert.True(c.DalekOnOurs.IsVerifyReply && c.DalekOnOurs.Ok, $"{c}: dalek WASM rejects our proof: {c.DalekOnOurs}");
        Assert.Null(Verdict.Of(d, c.OurProof, c.OurCommitments!, n, Label));
    }

    [Fact]
    public void DalekProofs_WithACommitmentSwappedOrTampered_AreRejectedHere()
    {
        var problems = new List<string>();
        int checks = 0;
        foreach (var c in d.Cases.Where(c => c.DalekMade.Error is null))
        {
            var proof = Convert.FromHexString(c.DalekMade.ProofHex);
            var comms = c.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
            var variants = new List<(string, RistrettoPoint[])>
            {
                ("commitment 0 + B", Replace(comms, 0, comms[0] + d.Pc.B)),
                ($"commitment {c.M - 1} + B_blinding", Replace(comms, c.M - 1, comms[c.M - 1] + d.Pc.BBlinding)),
                ("commitment 0 replaced by the identity", Replace(comms, 0, RistrettoPoint.Identity)),
                ("commitment 0 negated", Replace(comms, 0, -comms[0])),
            };
            if (c.M >= 2)
            {
                variants.Add(("first and last commitments swapped", Replace(Replace(comms, 0, comms[^1]), c.M - 1, comms[0])));
                variants.Add(("commitments 0 and 1 swapped", Replace(Replace(comms, 0, comms[1]), 1, comms[0])));
            }
            var other = d.Cases.First(o => o.M == c.M && o.N != c.N && o.DalekMade.Error is null);
            variants.Add(($"the commitments of the {other} proof", other.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray()));
            foreach (var (what, v) in variants)
            {
                checks++;
                string? why = Verdict.Of(d, proof, v, c.N, Label, problems, $"{c}: {what}");
                if (why is null) problems.Add($"{c}: {what}: ACCEPTED");
            }
        }
        output.WriteLine($"{checks} commitment variants checked");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void DalekProofs_WithAWrongBitSizeOrLabel_AreRejectedHere()
    {
        var problems = new List<string>();
        foreach (var c in d.Cases.Where(c => c.DalekMade.Error is null))
        {
            var proof = Convert.FromHexString(c.DalekMade.ProofHex);
            var comms = c.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
            foreach (int wrong in DalekInteropData.Ns.Where(x => x != c.N))
                if (Verdict.Of(d, proof, comms, wrong, Label, problems, $"{c}: verified with n={wrong}") is null) problems.Add($"{c}: verified with n={wrong}: ACCEPTED");
            foreach (string label in new[] { DalekInteropData.OtherLabel, "AptosConfidentialAsset/BulletproofRangeProoF", "" })
                if (Verdict.Of(d, proof, comms, c.N, label, problems, $"{c}: label \"{label}\"") is null) problems.Add($"{c}: label \"{label}\": ACCEPTED");
            if (c.M >= 2 && Verdict.Of(d, proof, comms[..^1], c.N, Label, problems, $"{c}: one commitment fewer") is null) problems.Add($"{c}: one commitment fewer: ACCEPTED");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(8, 2)]
    [InlineData(16, 2)]
    [InlineData(32, 2)]
    [InlineData(64, 2)]
    [InlineData(8, 1)]
    [InlineData(64, 16)]
    public void DalekProof_EachElementTampered_Truncated_OrPadded_IsRejectedHere_WithoutCrashing(int n, int m)
    {
        var c = d.Get(n, m);
        Assert.True(c.DalekMade.Error is null, $"dalek could not prove {c}: {c.DalekMade.Error}");
        var proof = Convert.FromHexString(c.DalekMade.ProofHex);
        var comms = c.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
        var problems = new List<string>();
        int count = 0;
        foreach (var (what, bytes) in ProofTampering.Variants(proof, n * m))
        {
            count++;
            if (Verdict.Of(d, bytes, comms, n, Label, problems, $"{c}: {what}") is null) problems.Add($"{c}: {what}: ACCEPTED");
        }
        output.WriteLine($"{count} tampered variants of the dalek proof {c}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void OurProofs_Tampered_Swapped_WrongN_OrWrongLabel_AreRejectedByDalek()
    {
        Assert.NotEmpty(d.OurNegativesInDalek);
        var accepted = d.OurNegativesInDalek.Where(x => x.Verdict.Ok).Select(x => $"{x.What}: ACCEPTED by dalek").ToList();
        var notVerified = d.OurNegativesInDalek.Where(x => !x.Verdict.IsVerifyReply && x.Verdict.Error?.StartsWith("unknown op") == true).Select(x => x.What).ToList();
        output.WriteLine($"{d.OurNegativesInDalek.Count} negative checks in dalek; refused at parsing: {d.OurNegativesInDalek.Count(x => x.Verdict.Error != null)}");
        Assert.True(notVerified.Count == 0, "not checked: " + string.Join("\n", notVerified));
        Assert.True(accepted.Count == 0, string.Join("\n", accepted));
        // sanity: there are variants for each n, and the untampered proofs were accepted (OurProof_VerifiesInDalek)
        foreach (int n in DalekInteropData.Ns) Assert.Contains(d.OurNegativesInDalek, x => x.What.StartsWith($"n={n} m=2 ours, A: "));
    }

    [Fact]
    public void DalekProofs_OfAValueOf2PowN_AreRejectedHereAndByDalek()
    {
        Assert.Equal(3, d.OutOfRange.Count);
        foreach (var o in d.OutOfRange)
        {
            if (o.Made.Error != null) { output.WriteLine($"n={o.N}: dalek refused to prove {string.Join(",", o.Values)}: {o.Made.Error}"); continue; }
            Assert.False(o.SelfVerdict.Ok, $"dalek accepted its own proof of {string.Join(",", o.Values)} at n={o.N}");
            var comms = o.Made.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
            var problems = new List<string>();
            Assert.True(Verdict.Of(d, Convert.FromHexString(o.Made.ProofHex), comms, o.N, Label, problems, $"n={o.N} values {string.Join(",", o.Values)}") is not null,
                $"a dalek proof of {string.Join(",", o.Values)} at n={o.N} is ACCEPTED here");
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void DalekProof_WithAnIdentityCommitment_IsAcceptedHere_AsDalekAcceptsIt()
    {
        // dalek appends V without validate_and_append_point ("allow the commitments to be zero"); v = 0, r = 0 gives V = identity.
        var (made, self) = d.IdentityCommitment;
        Assert.True(made.Error is null, "dalek could not prove (0, 1) with a zero blinding: " + made.Error);
        Assert.True(self.Ok, "dalek rejected its own proof with an identity commitment: " + self);
        var comms = made.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray();
        Assert.True(comms[0].IsIdentity);
        string? why = Verdict.Of(d, Convert.FromHexString(made.ProofHex), comms, 64, Label);
        Assert.True(why is null, "a dalek proof whose commitment V_0 is the identity is rejected here (dalek accepts it): " + why);
    }

    [Fact]
    public void BatchVerification_OfAllDalekProofs_AndOursUnderAnotherLabel_FindsExactlyTheBadOnes()
    {
        // (proof, label, commitments, n); statements are built fresh for each batch call, since a statement's
        // transcript is consumed by verification
        var items = new List<(RangeProof Proof, string Label, RistrettoPoint[] Commitments, int N)>();
        foreach (var c in d.Cases.Where(c => c.DalekMade.Error is null))
            items.Add((RangeProof.FromBytes(Convert.FromHexString(c.DalekMade.ProofHex)), Label,
                c.DalekMade.CommitmentsHex.Select(h => RistrettoPoint.Decode(Convert.FromHexString(h))).ToArray(), c.N));
        Assert.Equal(d.Cases.Count, items.Count);
        // two of ours with another label, in the same batch
        var rng = TestRandom.Create(77);
        foreach (var (n, m) in new[] { (64, 1), (32, 4) })
        {
            var values = Enumerable.Range(0, m).Select(i => (ulong)rng.NextInt64(0, 1L << 31)).ToArray();
            var blindings = Enumerable.Range(0, m).Select(_ => TestRandom.Scalar(rng)).ToArray();
            var p = RangeProof.ProveMultiple(d.Gens, d.Pc, new Transcript(DalekInteropData.OtherLabel), values, blindings, n, out var cs);
            items.Add((p, DalekInteropData.OtherLabel, cs, n));
        }
        List<RangeProofStatement> Statements() => items.Select(x => new RangeProofStatement(x.Proof, x.Label, x.Commitments, x.N)).ToList();
        Assert.True(RangeProofBatch.Verify(d.Gens, d.Pc, Statements(), out var bad), "batch of valid dalek and own proofs rejected; bad: " + string.Join(",", bad));
        Assert.Empty(bad);
        // the same batch again, fresh transcripts: still valid
        Assert.True(RangeProofBatch.Verify(d.Gens, d.Pc, Statements(), out bad));

        // spoil three: a shifted commitment, a wrong label, a wrong n
        int i1 = 3, i2 = 11, i3 = items.Count - 1;
        var c1 = items[i1].Commitments.ToArray(); c1[0] += d.Pc.B;
        items[i1] = items[i1] with { Commitments = c1 };
        items[i2] = items[i2] with { Label = DalekInteropData.OtherLabel };
        items[i3] = items[i3] with { N = 16 };
        Assert.False(RangeProofBatch.Verify(d.Gens, d.Pc, Statements(), out bad));
        Assert.Equal(new[] { i1, i2, i3 }, bad.OrderBy(x => x).ToArray());
    }

    private static RistrettoPoint[] Replace(RistrettoPoint[] a, int i, RistrettoPoint p) { var r = (RistrettoPoint[])a.Clone(); r[i] = p; return r; }
}

/// <summary>Our verdict on (proof bytes, commitments): null when accepted, the reason when rejected.</summary>
internal static class Verdict
{
    /// <summary>
    /// FromBytes then TryVerify and Verify (which must agree). Rejections are CryptoFormatException from FromBytes,
    /// false from TryVerify, RangeProofVerificationException from Verify. Any other exception is a crash: it is
    /// added to <paramref name="problems"/> (or rethrown when none is given) and counts as a rejection.
    /// </summary>
    public static string? Of(DalekInteropData d, byte[] proofBytes, RistrettoPoint[] commitments, int n, string label, List<string>? problems = null, string? what = null)
    {
        try
        {
            RangeProof p;
            try { p = RangeProof.FromBytes(proofBytes); }
            catch (CryptoFormatException e) { return $"FromBytes: {e.GetType().Name}: {e.Message}"; }
            bool ok = p.TryVerify(d.Gens, d.Pc, new Transcript(label), commitments, n, out string? reason);
            string? thrown = null;
            try { p.Verify(d.Gens, d.Pc, new Transcript(label), commitments, n); }
            catch (RangeProofVerificationException e) { thrown = string.IsNullOrEmpty(e.Reason) ? "(empty reason)" : e.Reason; }
            if (ok != (thrown is null))
                throw new InvalidOperationException($"TryVerify says {(ok ? "valid" : "invalid: " + reason)} but Verify {(thrown is null ? "accepts" : "throws: " + thrown)}");
            if (!ok && string.IsNullOrEmpty(reason)) throw new InvalidOperationException("TryVerify rejected without a reason");
            return ok ? null : reason;
        }
        catch (Exception e) when (problems != null)
        {
            problems.Add($"{what}: CRASH {e.GetType().Name}: {e.Message}");
            return "crash";
        }
    }
}
