using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Issue 17 item 3: contributor counts are proven (indicator commitments, circuits/indicator.v1.json) and a withheld cell
/// enters the buffer through the proven per-shock remainder (sum.v2, W/s=...). The attacks are the ones the review
/// demonstrated, built as the venue would: it holds every opening and blinding, so it can prove anything true.
/// </summary>
[Collection("epochs")]
public sealed class ContributorCountTests(EpochFixture fx)
{
    private static V1.EpochBundle Rehash(V1.EpochBundle b) => b.Rehash();
    private VerificationResult Check(V1.EpochBundle b) => fx.Verifier.Verify(Rehash(b), fx.V1.State);
    private StatementBinding Binding2 => new(2, SubmissionDigest.ParameterSet(fx.P2), fx.Statements.CombinedHash);

    private static void AssertFinding(VerificationResult r, string check, string? where = null)
    {
        Assert.False(r.IsValid);
        Assert.True(r.Findings.Any(f => f.Check == check && (where is null || f.Where.Contains(where))),
            $"expected '{check}'{(where is null ? "" : $" at {where}")}, got:\n{string.Join("\n", r.Findings)}");
    }

    [Fact]
    public void Every_count_is_proven_and_equals_the_true_number_of_non_zero_contributors()
    {
        var b = fx.E2.Bundle;
        int bands = fx.P2.BandGrid is { } g ? (int)g.BandCount : 32;
        // S and L counts carry a count proof; LSV counts are bound by chi (sum.v3): no count proof, and the withheld LSV
        // cells' T' = T - chi n B range-proven
        Assert.True(fx.Statements.CombinesCells);
        Assert.All(b.Aggregates.Where(a => a.ShockIndex < 0), a => Assert.Equal(SumProof.Size, a.CountProof!.ToBytes().Length));
        Assert.All(b.Aggregates.Where(a => a.ShockIndex >= 0), a => Assert.Null(a.CountProof));
        int withheld = b.Aggregates.Count(a => a.ShockIndex >= 0 && !a.Published);
        Assert.True(withheld > 0);
        Assert.Equal((withheld + WithheldCells.ChunkSize - 1) / WithheldCells.ChunkSize, b.WithheldCellProofs.Count);
        Assert.Equal(withheld, b.WithheldCellProofs.Sum(p => (int)p.ValueCount));
        // the true counts from the venue's own secrets
        foreach (var a in b.Aggregates.Where(a => a.ShockIndex < 0).Take(2 * bands))
        {
            int truth = fx.Population.Count(t =>
            {
                var sec = fx.Sealer.Secrets(t.Key.PublicKey.ToBytes())!;
                return (a.IsShort ? sec.ShortValues[a.Band] : sec.LongValues[a.Band]) != 0;
            });
            Assert.Equal((uint)truth, a.Contributors);
        }
        foreach (var a in b.Aggregates.Where(a => a.ShockIndex >= 0))
        {
            int truth = fx.Population.Count(t =>
            {
                var sec = fx.Sealer.Secrets(t.Key.PublicKey.ToBytes())!;
                return sec.Flags[a.ShockIndex] && sec.ShortValues[a.Band] != 0;
            });
            Assert.Equal((uint)truth, a.Contributors);
        }
    }

    /// <summary>The venue's sum of the indicator blindings of a plain short cell (it holds every opening).</summary>
    private (RistrettoPoint Sum, Scalar Blinding) ShortIndicatorSum(int band)
    {
        var p = RistrettoPoint.Identity;
        var t = Scalar.Zero;
        foreach (var st in fx.V2.State!.Traders)
        {
            p += st.ShortZ[band];
            t += fx.Sealer.Secrets(st.Trader)!.ShortIndicatorBlindings[band];
        }
        return (p, t);
    }

    [Fact]
    public void Claiming_one_contributor_to_withhold_a_cell_is_refused_even_with_the_venues_own_blindings()
    {
        var b = fx.E2.Bundle.Message();
        var cell = b.Aggregates.First(a => a.ShockIndex < 0 && a.IsShort && a.Contributors >= 3 && a.Value > 0);
        var (sumZ, t) = ShortIndicatorSum((int)cell.Band);
        // the only proof the venue can make for the count 1 uses the true blinding sum: it does not verify
        var forged = SumProof.Prove(Binding2, BundleFormat.CountLabel(cell.CellLabel()), sumZ, 1, t);
        Assert.False(forged.Verify(Binding2, BundleFormat.CountLabel(cell.CellLabel()), sumZ, 1));
        cell.Contributors = 1; cell.Published = false; cell.Value = 0; cell.SumProof = ByteString.Empty; cell.CountProof = ByteString.CopyFrom(forged.ToBytes());
        AssertFinding(Check(b), "count_proof", cell.CellLabel());
    }

    [Fact]
    public void Claiming_k_min_to_publish_a_single_traders_exposure_is_refused()
    {
        var b = fx.E2.Bundle.Message();
        var cell = b.Aggregates.FirstOrDefault(a => a.ShockIndex >= 0 && !a.Published);
        Assert.NotNull(cell);   // the fixture has withheld LSV cells (k_min 3, 9 traders)
        cell!.Contributors = (uint)EpochFixture.Risk.KMin;
        cell.Published = true;
        cell.Value = 12345;
        var r = Check(b);
        AssertFinding(r, "sum_proof", cell.CellLabel());
        AssertFinding(r, "count_proof", "withheld_cell_proofs");
    }

    /// <summary>sum.v3: a withheld LSV cell's count is bound by chi. A venue that states another count for a cell it keeps
    /// withheld (to move the cell across k_min later, or to misreport how many were exposed) gets T' = T - chi n' B, a
    /// commitment to LSV + chi (n - n'), which no 64-bit range proof covers; the one it can make, for the true value, is
    /// over another commitment. Named under count_proof; the same for one contributor fewer.</summary>
    [Fact]
    public void Claiming_another_count_for_a_withheld_cell_is_refused()
    {
        var b = fx.E2.Bundle.Message();
        var cell = b.Aggregates.First(a => a.ShockIndex >= 0 && !a.Published);
        cell.Contributors = cell.Contributors == 1 ? 2u : 1u;   // still withheld (k_min 3)
        AssertFinding(Check(b), "count_proof", "withheld_cell_proofs");
        var dropped = fx.E2.Bundle.Message();
        dropped.WithheldCellProofs.Clear();
        AssertFinding(Check(dropped), "count_proof", "withheld_cell_proofs");
    }

    [Fact]
    public void Changed_count_or_missing_count_proof_is_named()
    {
        var b = fx.E2.Bundle.Message();
        var cell = b.Aggregates.First(a => a.ShockIndex < 0 && a.Contributors > 0);
        cell.Contributors += 1;
        AssertFinding(Check(b), "count_proof");
        var c = fx.E2.Bundle.Message();
        c.Aggregates[5].CountProof = ByteString.Empty;
        AssertFinding(Check(c), "count_proof");
    }

    [Fact]
    public void Withheld_cells_enter_the_buffer_through_the_proven_remainder()
    {
        var v = fx.V2.Verified!;
        var agg = v.Aggregates;
        Assert.NotNull(agg.WithheldVolume);
        // the remainder is the weighted sum of the withheld cells' true totals (the venue's secrets)
        var weights = fx.E2.Bundle.LsfWeights;
        int bands = agg.BandCount;
        for (int s = 0; s < agg.ShockCount; s++)
        {
            UInt128 expect = 0;
            for (int b = 0; b < bands; b++)
            {
                if (agg.IsPublished(s, b)) continue;
                ulong lsv = 0;
                foreach (var t in fx.Population)
                {
                    var sec = fx.Sealer.Secrets(t.Key.PublicKey.ToBytes())!;
                    if (sec.Flags[s]) lsv += sec.ShortValues[b];
                }
                expect += (UInt128)weights[s * bands + b] * lsv;
            }
            Assert.Equal(expect, fx.E2.Bundle.Withheld[s].Value);
            Assert.Equal((double)expect / BundleFormat.LsfWeightScale / 10_000, agg.WithheldVolume![s], 9);
        }
        Assert.Contains(agg.WithheldVolume!, x => x > 0);   // something is withheld and counted
    }

    [Fact]
    public void Tampered_remainder_weights_or_missing_remainders_are_named()
    {
        var b = fx.E2.Bundle.Message();
        int s = b.Withheld.Select((w, i) => (w, i)).First(x => BundleFormat.U128(x.w.Value.Span) > 0).i;
        b.Withheld[s].Value = ByteString.CopyFrom(BundleFormat.U128Bytes(0));   // "nothing withheld at this shock"
        AssertFinding(Check(b), "withheld", $"withheld[s={s}]");

        var w = fx.E2.Bundle.Message();
        w.LsfWeights[40] += 5;
        AssertFinding(Check(w), "withheld", "lsf_weights[40]");

        var m = fx.E2.Bundle.Message();
        m.Withheld.RemoveAt(0);
        AssertFinding(Check(m), "withheld");
    }

    [Fact]
    public void Tampered_selected_point_is_named()
    {
        var b = fx.E2.Bundle.Message();
        var points = b.Selections[2].SelectedPoints.ToByteArray();
        (Scalar.Random() * RistrettoPoint.Basepoint).ToBytes().CopyTo(points, 32 * 7);
        b.Selections[2].SelectedPoints = ByteString.CopyFrom(points);
        AssertFinding(Check(b), "selection_proof", "selections[2]");
    }

    // ---- the trader side at the boundaries: no indicator can claim more than the value allows ----

    private static readonly PedersenGens Pc = PedersenGens.Default;

    private static bool Verify(RangeProofContext ctx, RistrettoPoint[] commitments, byte[] proof, int bits) =>
        new BulletproofsRangeBackend().Verify(ctx, commitments, proof, bits);

    [Theory]
    [InlineData(0UL, 0UL, true)]     // no exposure, indicator 0
    [InlineData(5UL, 1UL, true)]     // exposure, indicator 1
    [InlineData(5UL, 0UL, true)]     // exposure not counted: allowed by the proofs (the gateway refuses it)
    [InlineData(0UL, 1UL, false)]    // counted without exposure: v - z = -1 has no 64-bit proof
    [InlineData(ulong.MaxValue, 1UL, true)]
    public void Exposure_proof_over_C_minus_Z_allows_z_one_only_with_a_non_zero_value(ulong v, ulong z, bool provable)
    {
        var ctx = new RangeProofContext(1, new byte[32], new byte[32], new byte[32]);
        Scalar r = Scalar.Random(), t = Scalar.Random();
        var c = Pc.Commit(v, r);
        var zc = Pc.Commit(z, t);
        // the dishonest prover proves the 64-bit value it would need, (v - z) mod 2^64, with the matching blinding
        var proof = new BulletproofsRangeBackend().Prove(ctx, [unchecked(v - z)], [r - t], 64);
        Assert.Equal(provable, Verify(ctx, [c - zc], proof, 64));
    }

    [Theory]
    [InlineData(0UL, true)]
    [InlineData(1UL, true)]
    [InlineData(2UL, false)]
    [InlineData(255UL, false)]
    [InlineData(256UL, false)]
    public void Indicator_proof_accepts_exactly_the_bits(ulong z, bool provable)
    {
        var ctx = new RangeProofContext(1, new byte[32], new byte[32], new byte[32]).ForIndicators();
        var t = Scalar.Random();
        var zc = Pc.Commit(z, t);
        // the prover needs z and 1 - z in [0, 2^8): for z >= 2 it proves the closest values it has (z mod 2^8, 0)
        ulong a = z & 0xff, c = z <= 1 ? 1 - z : 0;
        var proof = new BulletproofsRangeBackend().Prove(ctx, [a, c], [t, Scalar.Zero - t], 8);
        Assert.Equal(provable, Verify(ctx, [zc, RistrettoPoint.Basepoint - zc], proof, 8));
    }
}
