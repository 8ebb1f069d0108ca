namespace DVV.ZkRisk.Crypto.Sigma;

/// <summary>One selection statement of an epoch bundle: trader, shock, the trader's band commitments, the selected commitments and the proof.</summary>
public sealed record SelectionStatement(StatementBinding Binding, byte[] TraderId, int ShockIndex, RistrettoPoint[] BandCommitments, RistrettoPoint[] Selected, SelectionProof Proof)
{
    /// <summary>Optional: the canonical encodings the band commitments were decoded from (absorbed as they are, not re-encoded; memory, so a bundle's bytes are not copied).</summary>
    public ReadOnlyMemory<byte>[]? BandCommitmentBytes { get; init; }

    /// <summary>Optional: the canonical encodings the selected commitments were decoded from.</summary>
    public ReadOnlyMemory<byte>[]? SelectedBytes { get; init; }
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
        => Verify(statements, pc, out badIndices, ChunkPoints);

    /// <summary>As above with a chosen chunk size (tests use tiny chunks so boundaries fall inside a trader's shocks).</summary>
    internal static bool Verify(IReadOnlyList<SelectionStatement> statements, PedersenGens pc, out int[] badIndices, int chunkPoints)
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

        // The weighted sum is cut into chunks of contiguous statements, each its own multiscalar multiplication,
        // run in parallel and added: an epoch of 10,000 traders has about 4 million selected points, and one
        // Pippenger over all of them would hold gigabytes of digits and cached points and use one core. A chunk
        // boundary inside a trader only means that trader's band commitments appear in two chunks with partial
        // coefficients, which sums to the same thing.
        var chunks = Chunk(statements, ok, chunkPoints);
        var partial = new RistrettoPoint[chunks.Count];
        Parallel.For(0, chunks.Count, k =>
        {
            var (from, to) = chunks[k];
            partial[k] = CombineChunk(statements, ok, dScalars, cScalars, r0, r1, w0, w1, from, to);
        });
        Scalar bbSum = Scalar.Zero;
        for (int i = 0; i < count; i++) if (ok[i]) bbSum += bb[i];
        RistrettoPoint total = bbSum * pc.BBlinding;
        foreach (var p in partial) total += p;
        bool batchOk = total.IsIdentity;
        if (batchOk && bad.Count == 0) { badIndices = []; return true; }
        if (!batchOk)
        {
            // Re-check each statement alone (in parallel: an epoch has 120,000), on the same transcript bytes the batch used.
            int before = bad.Count;
            var alone = new bool[count];
            Parallel.For(0, count, i => alone[i] = !ok[i] || VerifyOne(statements[i], pc));
            for (int i = 0; i < count; i++) if (!alone[i]) bad.Add(i);
            // Cannot happen unless the random weights cancelled a failure; never report success for a failed batch.
            if (bad.Count == before)
                for (int i = 0; i < count; i++) if (ok[i]) bad.Add(i);
        }
        bad.Sort();
        badIndices = bad.ToArray();
        return badIndices.Length == 0;
    }

    /// <summary>Points per chunk of the batch: large enough that Pippenger's window is wide (about 12 bits),
    /// small enough that a chunk's digits and cached points stay in tens of megabytes.</summary>
    internal const int ChunkPoints = 1 << 17;

    /// <summary>Contiguous statement ranges of about <paramref name="target"/> points each (at least one per core when there is work).</summary>
    private static List<(int From, int To)> Chunk(IReadOnlyList<SelectionStatement> statements, bool[] ok, int target)
    {
        long totalPoints = 0;
        for (int i = 0; i < statements.Count; i++) if (ok[i]) totalPoints += 2 * statements[i].BandCommitments.Length + 2;
        int perChunk = (int)Math.Max(1, Math.Min(target, (totalPoints + Environment.ProcessorCount - 1) / Environment.ProcessorCount));
        var chunks = new List<(int, int)>();
        int start = 0;
        long acc = 0;
        for (int i = 0; i < statements.Count; i++)
        {
            if (ok[i]) acc += 2 * statements[i].BandCommitments.Length + 2;
            if (acc >= perChunk) { chunks.Add((start, i + 1)); start = i + 1; acc = 0; }
        }
        if (start < statements.Count) chunks.Add((start, statements.Count));
        return chunks;
    }

    /// <summary>
    /// Sum over statements [from, to) of w0 (-R0 - c0 D*) + w1 (-R1 - c1 (D* - C*)) as one multiscalar multiplication
    /// (the B~ terms are added once by the caller). A trader's band commitments, shared by its shocks, get one
    /// accumulated coefficient per chunk.
    /// </summary>
    private static RistrettoPoint CombineChunk(IReadOnlyList<SelectionStatement> statements, bool[] ok, Scalar[][] dScalars, Scalar[][] cScalars,
        RistrettoPoint[] r0, RistrettoPoint[] r1, Scalar[] w0, Scalar[] w1, int from, int to)
    {
        int size = 0;
        var seen = new HashSet<RistrettoPoint[]>(ReferenceEqualityComparer.Instance);
        for (int i = from; i < to; i++)
        {
            if (!ok[i]) continue;
            int n = statements[i].BandCommitments.Length;
            size += n + 2;
            if (seen.Add(statements[i].BandCommitments)) size += n;
        }
        if (size == 0) return RistrettoPoint.Identity;
        var scalars = new Scalar[size];
        var points = new RistrettoPoint[size];
        var cIndex = new Dictionary<RistrettoPoint[], int>(ReferenceEqualityComparer.Instance);
        int o = 0;
        for (int i = from; i < to; i++)
        {
            if (!ok[i]) continue;
            var st = statements[i];
            int n = st.BandCommitments.Length;
            if (!cIndex.TryGetValue(st.BandCommitments, out int at))
            {
                at = o;
                cIndex[st.BandCommitments] = at;
                st.BandCommitments.CopyTo(points, o);
                o += n;
            }
            var cs = cScalars[i];
            for (int b = 0; b < n; b++) scalars[at + b] += cs[b];
            dScalars[i].CopyTo(scalars, o);
            st.Selected.CopyTo(points, o);
            o += n;
            scalars[o] = -w0[i]; points[o++] = r0[i];
            scalars[o] = -w1[i]; points[o++] = r1[i];
        }
        return MultiscalarMul.Vartime(scalars, points);
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
