namespace DVV.ZkRisk.Crypto;

/// <summary>
/// One statement in a batch: a proof, the transcript it was made under (with any binding data the
/// protocol appends before the range proof; verification works on a clone, so a statement can be checked
/// again), its commitments and bit size.
/// </summary>
public sealed record RangeProofStatement(RangeProof Proof, Transcript Transcript, RistrettoPoint[] Commitments, int BitSize)
{
    /// <summary>A statement whose transcript is just <c>new Transcript(label)</c>, as dalek's own API uses it.</summary>
    public RangeProofStatement(RangeProof proof, string transcriptLabel, RistrettoPoint[] commitments, int bitSize)
        : this(proof, new Transcript(transcriptLabel), commitments, bitSize) { }
}

/// <summary>
/// Verifies many independent range proofs (any m, n and label) with one multiscalar multiplication:
/// each proof's verification equation is multiplied by an independent random weight and the sums are
/// added, so the shared generators (B, B~, G_i, H_i) appear once. A forged proof survives only if the
/// weighted sum cancels, with probability about 1/l. When the batch fails, each proof is checked alone
/// to name the bad ones.
/// </summary>
public static class RangeProofBatch
{
    public static bool Verify(BulletproofGens bp, PedersenGens pc, IReadOnlyList<RangeProofStatement> statements, out int[] badIndices)
    {
        var checks = new RangeProofVerifier.Check?[statements.Count];
        var replayed = new RangeProofVerifier.Replayed?[statements.Count];
        var bad = new List<int>();
        // Transcript replay and scalar work are independent per proof: spread them over the cores. The inversions
        // (each proof's u_i and y) are gathered in between and done as one batch inversion for all proofs.
        var errors = new bool[statements.Count];
        Parallel.For(0, statements.Count, MsmParallelism.Options, i =>
        {
            var st = statements[i];
            try
            {
                replayed[i] = RangeProofVerifier.Replay(st.Proof, bp, st.Transcript.Clone(), st.Commitments, st.BitSize, Scalar.Random());
            }
            catch (RangeProofVerificationException) { errors[i] = true; }
        });
        var offsets = new int[statements.Count + 1];
        for (int i = 0; i < replayed.Length; i++) offsets[i + 1] = offsets[i] + (replayed[i]?.InverseCount ?? 0);
        var inverses = new Scalar[offsets[^1]];
        for (int i = 0; i < replayed.Length; i++) replayed[i]?.WriteToInvert(inverses.AsSpan(offsets[i], offsets[i + 1] - offsets[i]));
        Scalar.BatchInvert(inverses);
        Parallel.For(0, statements.Count, MsmParallelism.Options, i =>
        {
            if (replayed[i] is not { } r) return;
            try
            {
                checks[i] = RangeProofVerifier.Finish(r, inverses.AsSpan(offsets[i], offsets[i + 1] - offsets[i]));
            }
            catch (RangeProofVerificationException) { errors[i] = true; }
        });
        for (int i = 0; i < errors.Length; i++) if (errors[i]) bad.Add(i);
        try { return Decide(bp, pc, checks, bad, out badIndices); }
        finally { foreach (var c in checks) c?.Release(); }   // the coefficient arrays back to their pool
    }

    private static bool Decide(BulletproofGens bp, PedersenGens pc, RangeProofVerifier.Check?[] checks, List<int> bad, out int[] badIndices)
    {
        if (Combine(bp, pc, checks).IsIdentity && bad.Count == 0)
        {
            badIndices = [];
            return true;
        }
        // Find the culprits among the structurally valid proofs (same terms and weights as in the batch, so
        // a failed batch always has one; the fallback below only guards that invariant).
        int before = bad.Count;
        for (int i = 0; i < checks.Length; i++)
        {
            if (checks[i] is null) continue;
            if (!checks[i]!.Evaluate(bp, pc).IsIdentity) bad.Add(i);
        }
        if (bad.Count == 0 && before == 0)
            for (int i = 0; i < checks.Length; i++) if (checks[i] is not null) bad.Add(i);
        bad.Sort();
        badIndices = bad.ToArray();
        return badIndices.Length == 0;
    }

    internal static RistrettoPoint Combine(BulletproofGens bp, PedersenGens pc, RangeProofVerifier.Check?[] checks)
    {
        int maxN = 0, maxM = 0, dynamic = 0;
        foreach (var c in checks)
        {
            if (c is null) continue;
            maxN = Math.Max(maxN, c.N);
            maxM = Math.Max(maxM, c.M);
            dynamic += c.DynamicScalars.Count;
        }
        if (dynamic == 0) return RistrettoPoint.Identity;
        // Generator coefficients accumulate per (party, index): party j's G_i is shared by every proof with m > j.
        var g = new Scalar[maxM * maxN];
        var h = new Scalar[maxM * maxN];
        Scalar bSum = Scalar.Zero, bBlindSum = Scalar.Zero;
        var scalars = new Scalar[dynamic + 2 + 2 * maxM * maxN];
        var points = new RistrettoPoint[scalars.Length];
        int o = 0;
        foreach (var c in checks)
        {
            if (c is null) continue;
            for (int i = 0; i < c.DynamicScalars.Count; i++, o++) { scalars[o] = c.DynamicScalars[i]; points[o] = c.DynamicPoints[i]; }
            bSum += c.BScalar;
            bBlindSum += c.BBlindingScalar;
            for (int j = 0; j < c.M; j++)
                for (int i = 0; i < c.N; i++)
                {
                    g[j * maxN + i] += c.GScalars[j * c.N + i];
                    h[j * maxN + i] += c.HScalars[j * c.N + i];
                }
        }
        scalars[o] = bSum; points[o++] = pc.B;
        scalars[o] = bBlindSum; points[o++] = pc.BBlinding;
        var gAll = bp.AggregatedG(maxN, maxM);
        var hAll = bp.AggregatedH(maxN, maxM);
        g.CopyTo(scalars, o); gAll.CopyTo(points, o); o += g.Length;
        h.CopyTo(scalars, o); hAll.CopyTo(points, o);
        return MultiscalarMul.Vartime(scalars, points);
    }
}
