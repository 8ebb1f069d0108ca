namespace DVV.ZkRisk.Crypto.Sigma;

/// <summary>One selection statement of an epoch bundle: trader, shock, the trader's band commitments, the selected commitments and the proof.</summary>
public sealed record SelectionStatement(StatementBinding Binding, byte[] TraderId, int ShockIndex, RistrettoPoint[] BandCommitments, RistrettoPoint[] Selected, SelectionProof Proof)
{
    /// <summary>Optional: the canonical encodings the band commitments were decoded from (absorbed as they are, not re-encoded).</summary>
    public byte[][]? BandCommitmentBytes { get; init; }

    /// <summary>Optional: the canonical encodings the selected commitments were decoded from.</summary>
    public byte[][]? SelectedBytes { get; init; }
}

/// <summary>
/// Verifies many selection proofs in one multiscalar multiplication. Each statement contributes its two
/// equations with independent random weights; a trader's band commitments are usually shared by all of
/// its shocks (the same array), so their coefficients are accumulated once per array. On failure every
/// statement is checked alone to name the bad ones.
/// </summary>
public static class SelectionProofBatch
{
    public static bool Verify(IReadOnlyList<SelectionStatement> statements, out int[] badIndices)
        => Verify(statements, PedersenGens.Default, out badIndices);

    public static bool Verify(IReadOnlyList<SelectionStatement> statements, PedersenGens pc, out int[] badIndices)
    {
        int count = statements.Count;
        var dScalars = new Scalar[count][];
        var cScalars = new Scalar[count][];
        var r0 = new RistrettoPoint[count];
        var r1 = new RistrettoPoint[count];
        var w0 = new Scalar[count];
        var w1 = new Scalar[count];
        var bb = new Scalar[count];
        var ok = new bool[count];
        Parallel.For(0, count, i =>
        {
            var st = statements[i];
            int n = st.BandCommitments.Length;
            dScalars[i] = new Scalar[n];
            cScalars[i] = new Scalar[n];
            w0[i] = Scalar.Random();
            w1[i] = Scalar.Random();
            ok[i] = st.Selected.Length == n && st.Proof.TryBuildTerms(st.Binding, st.TraderId, st.ShockIndex, st.BandCommitments, st.Selected,
                w0[i], w1[i], out r0[i], out r1[i], out bb[i], dScalars[i], cScalars[i], st.BandCommitmentBytes, st.SelectedBytes);
        });

        var bad = new List<int>();
        for (int i = 0; i < count; i++) if (!ok[i]) bad.Add(i);

        // Accumulate: one coefficient per distinct band-commitment array, one per selected point, R0, R1.
        var cIndex = new Dictionary<RistrettoPoint[], int>(ReferenceEqualityComparer.Instance);
        var scalars = new List<Scalar>();
        var points = new List<RistrettoPoint>();
        Scalar bbSum = Scalar.Zero;
        for (int i = 0; i < count; i++)
        {
            if (!ok[i]) continue;
            var st = statements[i];
            int n = st.BandCommitments.Length;
            if (!cIndex.TryGetValue(st.BandCommitments, out int at))
            {
                at = scalars.Count;
                cIndex[st.BandCommitments] = at;
                for (int b = 0; b < n; b++) { scalars.Add(Scalar.Zero); points.Add(st.BandCommitments[b]); }
            }
            for (int b = 0; b < n; b++) scalars[at + b] += cScalars[i][b];
            for (int b = 0; b < n; b++) { scalars.Add(dScalars[i][b]); points.Add(st.Selected[b]); }
            scalars.Add(-w0[i]); points.Add(r0[i]);
            scalars.Add(-w1[i]); points.Add(r1[i]);
            bbSum += bb[i];
        }
        scalars.Add(bbSum);
        points.Add(pc.BBlinding);
        bool batchOk = MultiscalarMul.Vartime(scalars.ToArray(), points.ToArray()).IsIdentity;
        if (batchOk && bad.Count == 0) { badIndices = []; return true; }
        if (!batchOk)
        {
            // Re-check each statement alone, on the same transcript bytes the batch used.
            int before = bad.Count;
            for (int i = 0; i < count; i++)
            {
                if (!ok[i]) continue;
                if (!VerifyOne(statements[i], pc)) bad.Add(i);
            }
            // Cannot happen unless the random weights cancelled a failure; never report success for a failed batch.
            if (bad.Count == before)
                for (int i = 0; i < count; i++) if (ok[i]) bad.Add(i);
        }
        bad.Sort();
        badIndices = bad.ToArray();
        return badIndices.Length == 0;
    }

    internal static bool VerifyOne(SelectionStatement st, PedersenGens pc)
    {
        int n = st.BandCommitments.Length;
        if (st.Selected.Length != n || n == 0) return false;
        var scalars = new Scalar[2 * n + 3];
        var points = new RistrettoPoint[2 * n + 3];
        Scalar w0 = Scalar.Random(), w1 = Scalar.Random();
        if (!st.Proof.TryBuildTerms(st.Binding, st.TraderId, st.ShockIndex, st.BandCommitments, st.Selected, w0, w1,
                out var r0, out var r1, out var bb, scalars.AsSpan(0, n), scalars.AsSpan(n, n), st.BandCommitmentBytes, st.SelectedBytes))
            return false;
        st.Selected.CopyTo(points, 0);
        st.BandCommitments.CopyTo(points, n);
        scalars[2 * n] = bb; points[2 * n] = pc.BBlinding;
        scalars[2 * n + 1] = -w0; points[2 * n + 1] = r0;
        scalars[2 * n + 2] = -w1; points[2 * n + 2] = r1;
        return MultiscalarMul.Vartime(scalars, points).IsIdentity;
    }
}
