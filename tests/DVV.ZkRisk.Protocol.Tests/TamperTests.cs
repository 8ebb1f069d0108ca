using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Change any single thing in a bundle and verification fails naming it. Each tampered bundle is re-hashed (a venue
/// that tampers also recomputes the content hash), so the finding is about the tampered element itself; one test
/// shows that without re-hashing the content hash catches it too.
/// </summary>
[Collection("epochs")]
public sealed class TamperTests(EpochFixture fx)
{
    private static V1.EpochBundle Rehash(V1.EpochBundle b) => b.Rehash();

    private VerificationResult Check(V1.EpochBundle b, bool checkpoint) => fx.Verifier.Verify(b, checkpoint ? null : fx.V1.State);

    private static void AssertNames(VerificationResult r, string check, string? where = null)
    {
        Assert.False(r.IsValid);
        Assert.True(r.Findings.Any(f => f.Check == check && (where is null || f.Where.Contains(where))),
            $"expected a '{check}' finding{(where is null ? "" : $" at {where}")}, got:\n{string.Join("\n", r.Findings)}");
        Assert.Null(r.Verified);
    }

    private static ByteString Flip(ByteString b, int at) { var a = b.ToByteArray(); a[at % a.Length] ^= 0x01; return ByteString.CopyFrom(a); }
    private static ByteString OtherPoint() => ByteString.CopyFrom((Scalar.Random() * RistrettoPoint.Basepoint).ToBytes());

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 17)]
    [InlineData(8, 31)]
    public void Changed_commitment_in_a_submission_is_named(int sub, int band)
    {
        var b = fx.E1.Bundle.Message();
        b.Submissions[sub].ShortCommitments[band].Point.Data = OtherPoint();
        var r = Check(Rehash(b), true);
        AssertNames(r, "signature", $"submissions[{sub}]");
        AssertNames(r, "range_proof", $"submissions[{sub}]");
    }

    [Fact]
    public void Changed_range_proof_byte_is_named()
    {
        var b = fx.E1.Bundle.Message();
        b.Submissions[4].RangeProof.Data = Flip(b.Submissions[4].RangeProof.Data, 200);
        AssertNames(Check(Rehash(b), true), "range_proof", "submissions[4]");
    }

    [Fact]
    public void Changed_selected_commitment_is_named()
    {
        var b = fx.E2.Bundle.Message();
        // (selection.v4 parts carry their points packed, 32 bytes each)
        var points = b.Selections[5].SelectedPoints.ToByteArray();
        OtherPoint().ToByteArray().CopyTo(points, 32 * 9);
        b.Selections[5].SelectedPoints = ByteString.CopyFrom(points);
        AssertNames(Check(Rehash(b), false), "selection_proof", "selections[");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(159)]
    public void Changed_selection_proof_byte_is_named(int at)
    {
        var b = fx.E2.Bundle.Message();
        b.Selections[3].Proof = Flip(b.Selections[3].Proof, at);
        var r = Check(Rehash(b), false);
        Assert.False(r.IsValid);
        Assert.Contains(r.Findings, f => f.Check == "selection_proof" && f.Where.StartsWith("selections[3]"));
    }

    [Fact]
    public void Changed_aggregate_value_is_named_by_cell()
    {
        var b = fx.E2.Bundle.Message();
        var a = b.Aggregates.First(x => x.ShockIndex >= 0 && x.Published && x.Contributors > 0);
        a.Value += 1;
        AssertNames(Check(Rehash(b), false), "sum_proof", a.CellLabel());
    }

    [Fact]
    public void Changed_sum_proof_byte_is_named_by_cell()
    {
        var b = fx.E2.Bundle.Message();
        var a = b.Aggregates[5];
        a.SumProof = Flip(a.SumProof, 33);
        AssertNames(Check(Rehash(b), false), "sum_proof", a.CellLabel());
    }

    [Fact]
    public void Withholding_a_publishable_cell_or_publishing_below_k_min_is_named()
    {
        var b = fx.E2.Bundle.Message();
        var a = b.Aggregates.First(x => x.Published && x.Contributors >= 3);
        a.Published = false; a.Value = 0; a.SumProof = ByteString.Empty;
        AssertNames(Check(Rehash(b), false), "k_min", a.CellLabel());
    }

    [Fact]
    public void Changed_parameter_is_named()
    {
        var b = fx.E2.Bundle.Message();
        b.Parameters.Market.DepthCoins *= 2;
        AssertNames(Check(Rehash(b), false), "parameter_hash");
    }

    [Fact]
    public void Changed_governed_parameter_breaks_the_governance_quorum()
    {
        var b = fx.E2.Bundle.Message();
        b.Parameters.CheckpointInterval = 100;
        b.ParameterHash = ByteString.CopyFrom(SubmissionDigest.ParameterSet(b.Parameters.Record()));
        AssertNames(Check(Rehash(b), false), "governance", "governance_signatures");
    }

    [Fact]
    public void Changed_parameter_hash_is_named()
    {
        var b = fx.E2.Bundle.Message();
        b.ParameterHash = Flip(b.ParameterHash, 0);
        AssertNames(Check(Rehash(b), false), "parameter_hash");
    }

    [Fact]
    public void Changed_statement_hash_is_named()
    {
        var b = fx.E2.Bundle.Message();
        b.Statements[1].Hash = Flip(b.Statements[1].Hash, 5);
        AssertNames(Check(Rehash(b), false), "statement_hash", $"statements[{b.Statements[1].Name}]");
        var c = fx.E2.Bundle.Message();
        c.StatementHash = Flip(c.StatementHash, 5);
        AssertNames(Check(Rehash(c), false), "statement_hash", "statement_hash");
    }

    [Fact]
    public void Changed_chain_link_is_named()
    {
        var b = fx.E2.Bundle.Message();
        b.PreviousBundleHash = Flip(b.PreviousBundleHash, 7);
        AssertNames(Check(Rehash(b), false), "chain_link", "previous_bundle_hash");
    }

    [Fact]
    public void Changed_merkle_root_is_named()
    {
        var b = fx.E2.Bundle.Message();
        b.MerkleRoot = Flip(b.MerkleRoot, 3);
        AssertNames(Check(Rehash(b), false), "merkle_root");
    }

    [Fact]
    public void Any_change_without_rehashing_breaks_the_content_hash()
    {
        var b = fx.E2.Bundle.Message();
        b.SealedAtUnixMs += 1;
        AssertNames(Check(b, false), "bundle_hash");
    }

    [Fact]
    public void Dropped_submission_or_missing_reissue_is_named()
    {
        // a replaced submission whose selection parts were not re-issued
        var b = fx.E2.Bundle.Message();
        var trader = b.Submissions[0].TraderPublicKey;
        var keep = b.Selections.Where(s => s.TraderPublicKey != trader).ToList();
        b.Selections.Clear(); b.Selections.Add(keep);
        AssertNames(Check(Rehash(b), false), "selection");
        // a trader dropped from a checkpoint: its selection parts have no submission
        var c = fx.E1.Bundle.Message();
        c.Submissions.RemoveAt(2);
        AssertNames(Check(Rehash(c), true), "selection");
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var rng = new Random(3);
        var bytes = WireCodec.Encode(fx.E2.Bundle);
        for (int i = 0; i < 40; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (int k = 0; k < 3; k++) copy[rng.Next(copy.Length)] ^= (byte)(1 + rng.Next(255));
            EpochBundle b;
            try { b = WireCodec.DecodeBundle(copy); }
            catch (WireDecodeException) { continue; }
            var r = fx.Verifier.Verify(b, b.Checkpoint ? null : fx.V1.State);
            Assert.False(r.IsValid && !WireCodec.Encode(b).AsSpan().SequenceEqual(bytes));
        }
    }
}

/// <summary>Soundness per relation at the epoch level: a prover that lies cannot produce an accepted proof.</summary>
[Collection("epochs")]
public sealed class SoundnessTests(EpochFixture fx)
{
    private static V1.EpochBundle Rehash(V1.EpochBundle b) => b.Rehash();

    private StatementBinding Binding => new(2, fx.E2.Bundle.ParameterHash.ToArray(), fx.Statements.CombinedHash);

    [Fact]
    public void Sum_proof_for_an_aggregate_off_by_one_is_rejected()
    {
        // the venue knows every opening: it proves the true blinding sum against A + 1 and A - 1
        var state = fx.V2.State!;
        int band = 20;
        var pts = state.Traders.Select(t => t.Short[band]).ToArray();
        var sum = pts.Aggregate(RistrettoPoint.Identity, (a, p) => a + p);
        ulong value = 0; Scalar blind = Scalar.Zero;
        foreach (var t in state.Traders)
        {
            var sec = fx.Sealer.Secrets(t.Trader)!;
            value += sec.ShortValues[band]; blind += sec.ShortBlindings[band];
        }
        var label = BundleFormat.ShortCell(band);
        Assert.True(SumProof.Prove(Binding, label, sum, value, blind).Verify(Binding, label, sum, value));
        foreach (var lie in new[] { value + 1, value == 0 ? 1 : value - 1 })
        {
            var forged = SumProof.Prove(Binding, label, sum, lie, blind);
            Assert.False(forged.Verify(Binding, label, sum, lie));
            // and in a bundle
            var b = fx.E2.Bundle.Message();
            var a = b.Aggregates.First(x => x.ShockIndex == -1 && x.IsShort && x.Band == band);
            if (!a.Published) continue;
            a.Value = lie; a.SumProof = ByteString.CopyFrom(forged.ToBytes());
            var r = fx.Verifier.Verify(Rehash(b), fx.V1.State);
            Assert.Contains(r.Findings, f => f.Check == "sum_proof" && f.Where.Contains(label));
        }
        // a proof for one cell does not verify for another
        Assert.False(SumProof.Prove(Binding, label, sum, value, blind).Verify(Binding, BundleFormat.ShortCell(band + 1), sum, value));
    }

    private (TraderState St, DVV.ZkRisk.Protocol.Sealing.TraderSecrets Sec, int Index) Reissued()
    {
        var parts = fx.E2.Bundle.Selections;
        var key = parts[0].TraderPublicKey.ToArray();
        Assert.True(fx.V2.State!.TryGet(key, out var st));
        return (st!, fx.Sealer.Secrets(key)!, 0);
    }

    private VerificationResult Inject(int shock, RistrettoPoint[] selected, SelectionProof proof)
    {
        var b = fx.E2.Bundle.Message();
        var key = b.Selections[0].TraderPublicKey;
        var part = b.Selections.First(p => p.TraderPublicKey == key && p.ShockIndex == (uint)shock);
        part.Selected.Clear();
        part.SelectedPoints = ByteString.CopyFrom(selected.SelectMany(d => d.ToBytes()).ToArray());
        part.Proof = ByteString.CopyFrom(proof.ToBytes());
        return fx.Verifier.Verify(Rehash(b), fx.V1.State);
    }

    [Fact]
    public void Selection_bit_of_two_is_rejected()
    {
        var (st, _, _) = Reissued();
        var h = PedersenGens.Default.BBlinding;
        var two = Scalar.FromUInt64(2);
        var rho = Enumerable.Range(0, 32).Select(_ => Scalar.Random()).ToArray();
        var selected = st.Short.Select((c, b) => two * c + rho[b] * h).ToArray();
        // the best a cheating prover can do: a proof for lambda = 1 (or 0), then swap in D = 2C + rho H
        foreach (var lam in new[] { true, false })
        {
            var proof = SelectionProof.Prove(Binding, st.Trader, 4, st.Short, lam, rho, out _);
            Assert.False(proof.Verify(Binding, st.Trader, 4, st.Short, selected));
            var r = Inject(4, selected, proof);
            Assert.Contains(r.Findings, f => f.Check == "selection_proof");
        }
    }

    [Fact]
    public void Flag_differing_between_bands_is_rejected()
    {
        var (st, _, _) = Reissued();
        var h = PedersenGens.Default.BBlinding;
        var rho = Enumerable.Range(0, 32).Select(_ => Scalar.Random()).ToArray();
        // lambda = 1 for even bands, 0 for odd ones: selects part of the exposure only
        var selected = st.Short.Select((c, b) => (b % 2 == 0 ? c : RistrettoPoint.Identity) + rho[b] * h).ToArray();
        foreach (var lam in new[] { true, false })
        {
            var proof = SelectionProof.Prove(Binding, st.Trader, 7, st.Short, lam, rho, out _);
            Assert.False(proof.Verify(Binding, st.Trader, 7, st.Short, selected));
            Assert.Contains(Inject(7, selected, proof).Findings, f => f.Check == "selection_proof");
        }
    }

    [Fact]
    public void Honest_selection_proof_verifies_and_is_bound_to_trader_shock_and_epoch()
    {
        var (st, _, _) = Reissued();
        var rho = Enumerable.Range(0, 32).Select(_ => Scalar.Random()).ToArray();
        var proof = SelectionProof.Prove(Binding, st.Trader, 2, st.Short, true, rho, out var d);
        Assert.True(proof.Verify(Binding, st.Trader, 2, st.Short, d));
        Assert.False(proof.Verify(Binding, st.Trader, 3, st.Short, d));
        Assert.False(proof.Verify(new StatementBinding(3, Binding.ParameterHash, Binding.StatementHash), st.Trader, 2, st.Short, d));
        Assert.False(proof.Verify(Binding, new byte[32], 2, st.Short, d));
    }
}
