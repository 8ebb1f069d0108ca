namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The verifier's single multiscalar equation for one aggregated range proof (dalek's "mega check"):
/// with a random c combining the t(x) check and the inner-product check,
///   A + x S + c x T_1 + c x^2 T_2 + Sum u_i^2 L_i + Sum u_i^-2 R_i - (e_blinding + c t_x_blinding) B~
///   + (w (t_x - a b) + c (delta(y, z) - t_x)) B + Sum g_i G_i + Sum h_i H_i + Sum c z^(2+j) V_j = 0
/// where g_i = -z - a s_i and h_i = z + y^-i (z^(2+j) 2^i' - b s_(nm-1-i)).
/// The equation is kept as terms so several proofs can share one multiscalar multiplication.
/// </summary>
internal static class RangeProofVerifier
{
    /// <summary>The generator coefficients of proofs being checked (2 x n*m scalars per proof, 160 KB each at n*m =
    /// 4,096): rented, so that a gateway batch of a hundred proofs does not allocate tens of MB on the large-object heap
    /// per batch; a check returns them once done (<see cref="Check.Release"/>). Retains at most 256 arrays per size.</summary>
    private static readonly System.Buffers.ArrayPool<Scalar> Coefficients = System.Buffers.ArrayPool<Scalar>.Create(1 << 14, 256);

    /// <summary>The proof's terms, each already multiplied by <paramref name="weight"/> (1 for a single proof).</summary>
    internal sealed class Check
    {
        private int _released;

        /// <summary>Returns the coefficient arrays to the pool; the check is unusable afterwards. A check never released
        /// just leaves its arrays to the garbage collector.</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            Coefficients.Return(GScalars);
            Coefficients.Return(HScalars);
        }

        public required List<Scalar> DynamicScalars { get; init; }
        public required List<RistrettoPoint> DynamicPoints { get; init; }
        public required Scalar BScalar { get; init; }
        public required Scalar BBlindingScalar { get; init; }
        public required Scalar[] GScalars { get; init; }   // party-major, the first n*m (a rented array may be longer)
        public required Scalar[] HScalars { get; init; }
        public required int N { get; init; }
        public required int M { get; init; }

        /// <summary>
        /// The equation's left-hand side. G_i, H_i, B and B~ are fixed, so when their precomputed width-8 tables
        /// are within <see cref="BulletproofGens.MaxVerifierTabledGenerators"/> they are read from those tables and
        /// only the proof's own points (A, S, T_1, T_2, L_i, R_i, V_j) get a per-call width-5 table; otherwise
        /// everything goes through the generic variable-time MSM.
        /// </summary>
        public RistrettoPoint Evaluate(BulletproofGens bp, PedersenGens pc)
        {
            var tables = bp.VerifierTables(N, M);
            if (tables is not null) return EvaluateTabled(tables, pc);
            var shifted = bp.ShiftedTables(N, M);
            return shifted is null ? EvaluateGeneric(bp, pc) : EvaluateShifted(shifted, pc);
        }

        /// <summary>
        /// Larger shapes: G_i and H_i through <see cref="FixedBasePippenger"/> (one bucket pass over their shifted
        /// copies), the proof's own points with B and B~ through the generic variable-time MSM; the two sums are added.
        /// </summary>
        internal RistrettoPoint EvaluateShifted(ShiftedBaseTable[] gens, PedersenGens pc)
        {
            int nm = N * M;
            var scalars = new Scalar[2 * nm];
            GScalars.AsSpan(0, nm).CopyTo(scalars);
            HScalars.AsSpan(0, nm).CopyTo(scalars.AsSpan(nm));
            int d = DynamicScalars.Count;
            var dynScalars = new Scalar[d + 2];
            var dynPoints = new RistrettoPoint[d + 2];
            DynamicScalars.CopyTo(dynScalars);
            DynamicPoints.CopyTo(dynPoints);
            dynScalars[d] = BScalar; dynPoints[d] = pc.B;
            dynScalars[d + 1] = BBlindingScalar; dynPoints[d + 1] = pc.BBlinding;
            var fixedPart = new RistrettoPoint(FixedBasePippenger.Compute(scalars, gens));
            return fixedPart + MultiscalarMul.Vartime(dynScalars, dynPoints);
        }

        internal RistrettoPoint EvaluateTabled(GeneratorTable[] gens, PedersenGens pc)
        {
            int nm = N * M;
            int count = 2 * nm + 2;
            var scalars = new Scalar[count];
            var tables = new GeneratorTable[count];
            GScalars.AsSpan(0, nm).CopyTo(scalars);
            HScalars.AsSpan(0, nm).CopyTo(scalars.AsSpan(nm));
            Array.Copy(gens, tables, 2 * nm);
            var bTables = PedersenTables.For(pc);
            scalars[2 * nm] = BScalar; tables[2 * nm] = bTables[0];
            scalars[2 * nm + 1] = BBlindingScalar; tables[2 * nm + 1] = bTables[1];
            return new RistrettoPoint(TabledStraus.Compute(
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(DynamicScalars),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(DynamicPoints),
                scalars, tables, count));
        }

        internal RistrettoPoint EvaluateGeneric(BulletproofGens bp, PedersenGens pc)
        {
            int nm = N * M;
            int total = DynamicScalars.Count + 2 + 2 * nm;
            var scalars = new Scalar[total];
            var points = new RistrettoPoint[total];
            int o = 0;
            for (int i = 0; i < DynamicScalars.Count; i++, o++) { scalars[o] = DynamicScalars[i]; points[o] = DynamicPoints[i]; }
            scalars[o] = BScalar; points[o++] = pc.B;
            scalars[o] = BBlindingScalar; points[o++] = pc.BBlinding;
            GScalars.AsSpan(0, nm).CopyTo(scalars.AsSpan(o));
            bp.AggregatedG(N, M).CopyTo(points, o);
            o += nm;
            HScalars.AsSpan(0, nm).CopyTo(scalars.AsSpan(o));
            bp.AggregatedH(N, M).CopyTo(points, o);
            return MultiscalarMul.Vartime(scalars, points);
        }
    }

    /// <summary>A proof whose transcript has been replayed: its challenges, before any inversion.</summary>
    internal sealed class Replayed
    {
        public required RangeProof Proof { get; init; }
        public required RistrettoPoint[] Commitments { get; init; }
        public required int N { get; init; }
        public required Scalar Weight { get; init; }
        public required Scalar Y { get; init; }
        public required Scalar Z { get; init; }
        public required Scalar X { get; init; }
        public required Scalar W { get; init; }
        public required Scalar C { get; init; }
        /// <summary>u_1..u_k in creation order.</summary>
        public required Scalar[] U { get; init; }
        /// <summary>The scalars to invert: u_1..u_k, then y.</summary>
        public int InverseCount => U.Length + 1;
        public void WriteToInvert(Span<Scalar> dst) { U.CopyTo(dst); dst[U.Length] = Y; }
    }

    public static Check BuildCheck(RangeProof proof, BulletproofGens bp, Transcript transcript, ReadOnlySpan<RistrettoPoint> commitments, int n, Scalar weight)
    {
        var r = Replay(proof, bp, transcript, commitments, n, weight);
        Span<Scalar> inv = stackalloc Scalar[r.InverseCount];
        r.WriteToInvert(inv);
        Scalar.BatchInvert(inv);
        return Finish(r, inv);
    }

    /// <summary>Shape checks and the transcript replay (identity points rejected); no inversion, no point decoding.</summary>
    public static Replayed Replay(RangeProof proof, BulletproofGens bp, Transcript transcript, ReadOnlySpan<RistrettoPoint> commitments, int n, Scalar weight)
    {
        int m = commitments.Length;
        if (!RangeProof.IsSupportedBitSize(n)) throw new RangeProofVerificationException($"bit size {n} is not one of 8, 16, 32, 64");
        if (m == 0 || (m & (m - 1)) != 0) throw new RangeProofVerificationException($"number of commitments {m} is not a power of two");
        if (bp.GensCapacity < n || bp.PartyCapacity < m) throw new RangeProofVerificationException($"generators too small for n={n}, m={m}");
        int nm = n * m;

        transcript.RangeProofDomainSep((ulong)n, (ulong)m);
        // Commitments may be the identity (value 0 with blinding 0), as in dalek.
        // the commitments are often derived points (C - Z), so they are encoded here, four at a time
        var encoded = RistrettoBatchEncoder.Encode(commitments);
        for (int j = 0; j < m; j++) transcript.AppendMessage("V"u8, encoded.AsSpan(32 * j, 32));
        InnerProductProof.AppendNonIdentity(transcript, "A"u8, proof.A, "A");
        InnerProductProof.AppendNonIdentity(transcript, "S"u8, proof.S, "S");
        Scalar y = transcript.ChallengeScalar("y"u8);
        Scalar z = transcript.ChallengeScalar("z"u8);
        InnerProductProof.AppendNonIdentity(transcript, "T_1"u8, proof.T1, "T_1");
        InnerProductProof.AppendNonIdentity(transcript, "T_2"u8, proof.T2, "T_2");
        Scalar x = transcript.ChallengeScalar("x"u8);
        transcript.AppendScalar("t_x"u8, proof.TX);
        transcript.AppendScalar("t_x_blinding"u8, proof.TXBlinding);
        transcript.AppendScalar("e_blinding"u8, proof.EBlinding);
        Scalar w = transcript.ChallengeScalar("w"u8);
        // c combines the two checks; a fresh random value per verification (not from the transcript).
        Scalar c = Scalar.Random();
        var u = proof.IppProof.ReplayChallenges(nm, transcript);
        // Hash outputs are never zero in practice; refusing them keeps a shared batch inversion from failing.
        bool zero = y.IsZero();
        foreach (var ui in u) zero |= ui.IsZero();
        if (zero) throw new RangeProofVerificationException("a challenge is zero");
        return new Replayed { Proof = proof, Commitments = commitments.ToArray(), N = n, Weight = weight, Y = y, Z = z, X = x, W = w, C = c, U = u };
    }

    /// <summary>
    /// The equation's terms from a replayed proof and the inverses of (u_1..u_k, y) (<see cref="Replayed.WriteToInvert"/>
    /// order); decodes the proof's points (an invalid one fails here, by name).
    /// </summary>
    public static Check Finish(Replayed r, ReadOnlySpan<Scalar> inverses)
    {
        RangeProof proof = r.Proof;
        var commitments = r.Commitments;
        int n = r.N, m = commitments.Length, nm = n * m;
        Scalar weight = r.Weight, y = r.Y, z = r.Z, x = r.X, w = r.W, c = r.C;
        Scalar zz = z * z, minusZ = -z;
        Scalar yInv = inverses[r.U.Length];
        var (uSq, uInvSq, s) = InnerProductProof.ScalarsFromChallenges(r.U, inverses[..r.U.Length], nm);
        Scalar a = proof.IppProof.A, b = proof.IppProof.B;

        // g_k = w(-z) - (w a) s_k and h_k = w z + (w y^-k)(z^(2+j) 2^i - b s_(nm-1-k)): the per-party power
        // z^(2+j) 2^i is carried by doubling (an addition), so each k costs four multiplications (each one Montgomery
        // multiplication, scalars being held in Montgomery form).
        var gScalars = Coefficients.Rent(nm);
        var hScalars = Coefficients.Rent(nm);
        Scalar wMinusZ = weight * minusZ, wZ = weight * z;
        Scalar wA = weight * a;
        Scalar wYInvPow = weight, zzZj = zz;
        for (int j = 0; j < m; j++)
        {
            Scalar zzZj2i = zzZj;
            for (int i = 0; i < n; i++)
            {
                int k = j * n + i;
                gScalars[k] = wMinusZ - s[k] * wA;
                hScalars[k] = wZ + (zzZj2i - s[nm - 1 - k] * b) * wYInvPow;
                wYInvPow *= yInv;
                zzZj2i += zzZj2i;
            }
            zzZj *= z;
        }

        var dynScalars = new List<Scalar>(4 + 2 * uSq.Length + m);
        var dynPoints = new List<RistrettoPoint>(dynScalars.Capacity);
        bool unitWeight = weight == Scalar.One;   // a single proof: skip the multiplications by 1
        // The proof's points (A, S, T_1, T_2, L_i, R_i) are decoded here, once, four at a time
        // (RistrettoBatchDecoder); the name of an invalid one is formatted only for a failure.
        int rounds = uSq.Length, np = 4 + 2 * rounds;
        var encodings = new byte[32 * np];
        proof.A.CopyTo(encodings, 0);
        proof.S.CopyTo(encodings, 32);
        proof.T1.CopyTo(encodings, 64);
        proof.T2.CopyTo(encodings, 96);
        for (int i = 0; i < rounds; i++)
        {
            proof.IppProof.LVec[i].CopyTo(encodings, 32 * (4 + i));
            proof.IppProof.RVec[i].CopyTo(encodings, 32 * (4 + rounds + i));
        }
        var decoded = new RistrettoPoint[np];
        var valid = new bool[np];
        if (RistrettoBatchDecoder.Decode(encodings, decoded, valid) != np)
        {
            int bad = Array.IndexOf(valid, false);
            string name = bad switch { 0 => "A", 1 => "S", 2 => "T_1", 3 => "T_2", _ when bad < 4 + rounds => $"L_{bad - 4}", _ => $"R_{bad - 4 - rounds}" };
            throw new RangeProofVerificationException($"{name} is not a valid ristretto255 encoding");
        }
        void Add(in Scalar sc, int index)
        {
            dynScalars.Add(unitWeight ? sc : weight * sc);
            dynPoints.Add(decoded[index]);
        }
        Add(Scalar.One, 0);
        Add(x, 1);
        Scalar cx = c * x;
        Add(cx, 2);
        Add(cx * x, 3);
        for (int i = 0; i < rounds; i++) Add(uSq[i], 4 + i);
        for (int i = 0; i < rounds; i++) Add(uInvSq[i], 4 + rounds + i);
        Scalar czz = (unitWeight ? c : weight * c) * zz;
        for (int j = 0; j < m; j++)
        {
            dynScalars.Add(czz);               // w c z^(2+j)
            dynPoints.Add(commitments[j]);
            czz *= z;
        }

        Scalar delta = Delta(n, m, y, z);
        return new Check
        {
            DynamicScalars = dynScalars,
            DynamicPoints = dynPoints,
            BScalar = weight * (w * (proof.TX - a * b) + c * (delta - proof.TX)),
            BBlindingScalar = weight * (-proof.EBlinding - c * proof.TXBlinding),
            GScalars = gScalars,
            HScalars = hScalars,
            N = n,
            M = m,
        };
    }

    /// <summary>delta(y, z) = (z - z^2) &lt;1, y^(nm)&gt; - Sum_j z^(3+j) &lt;1, 2^n&gt; (Bünz et al. eq. 39 aggregated).</summary>
    internal static Scalar Delta(int n, int m, in Scalar y, in Scalar z)
    {
        Scalar sumY = ScalarVectors.SumOfPowers(y, n * m);
        Scalar sum2 = n == 64 ? Scalar.FromUInt64(ulong.MaxValue) : Scalar.FromUInt64((1UL << n) - 1);   // <1, 2^n> = 2^n - 1
        Scalar sumZ = ScalarVectors.SumOfPowers(z, m);
        Scalar zz = z * z;
        return (z - zz) * sumY - zz * z * sum2 * sumZ;
    }
}
