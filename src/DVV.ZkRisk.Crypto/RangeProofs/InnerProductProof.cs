namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The Bulletproofs inner-product argument (Bünz et al. 2018, section 3; the dalek variant with
/// G_factors/H_factors folded into the first round): proves knowledge of a, b with
/// P = &lt;a, G&gt; + &lt;b, H'&gt; + &lt;a, b&gt; Q in 2 lg(n) points and two scalars.
/// Layout: L_0 R_0 ... L_{k-1} R_{k-1} a b, 32 bytes each.
/// </summary>
public sealed class InnerProductProof
{
    public IReadOnlyList<byte[]> LVec { get; }
    public IReadOnlyList<byte[]> RVec { get; }
    public Scalar A { get; }
    public Scalar B { get; }

    internal InnerProductProof(List<byte[]> l, List<byte[]> r, in Scalar a, in Scalar b)
    {
        LVec = l; RVec = r; A = a; B = b;
    }

    public int SerializedSize => (LVec.Count * 2 + 2) * 32;

    public void WriteTo(Span<byte> dst)
    {
        int o = 0;
        for (int i = 0; i < LVec.Count; i++)
        {
            LVec[i].CopyTo(dst[o..]); o += 32;
            RVec[i].CopyTo(dst[o..]); o += 32;
        }
        A.WriteTo(dst[o..]); o += 32;
        B.WriteTo(dst[o..]);
    }

    /// <summary>Parses the layout above; points stay encoded (they are decoded, and rejected if invalid, during verification).</summary>
    public static InnerProductProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 32 != 0) throw new InvalidEncodingException($"inner-product proof length {bytes.Length} is not a multiple of 32");
        int elements = bytes.Length / 32;
        if (elements < 2 || (elements - 2) % 2 != 0) throw new InvalidEncodingException($"inner-product proof has {elements} 32-byte elements; expected 2k + 2");
        int lgN = (elements - 2) / 2;
        if (lgN >= 32) throw new InvalidEncodingException("inner-product proof is too long");
        var l = new List<byte[]>(lgN);
        var r = new List<byte[]>(lgN);
        for (int i = 0; i < lgN; i++)
        {
            l.Add(bytes.Slice(64 * i, 32).ToArray());
            r.Add(bytes.Slice(64 * i + 32, 32).ToArray());
        }
        int pos = lgN * 64;
        var a = Scalar.FromCanonical(bytes.Slice(pos, 32));
        var b = Scalar.FromCanonical(bytes.Slice(pos + 32, 32));
        return new InnerProductProof(l, r, a, b);
    }

    /// <summary>
    /// Prover. <paramref name="a"/> and <paramref name="b"/> are secret, so L and R are computed with the
    /// constant-time MSM; generators and challenges are public, so folding them is variable time and
    /// runs in parallel. The arrays are consumed (folded in place).
    ///
    /// The generators are kept as (factor, stored point) pairs: the generator meant is gf_i * G_i (hf_i * H_i).
    /// Folding G'_i = u^-1 gf_i G_i + u gf_(n+i) G_(n+i) is rewritten as
    ///   G'_i = gf'_i (G_i + r_i G_(n+i)) with gf'_i = u^-1 gf_i, r_i = u^2 gf_(n+i) / gf_i,
    ///   H'_i = hf'_i (H_(n+i) + r'_i H_i) with hf'_i = u^-1 hf_(n+i), r'_i = u^2 hf_i / hf_(n+i),
    /// so each folded point costs one scalar multiplication (not two), and in the first round the multiplied
    /// points G_(n+i), H_i are the fixed generators, whose comb tables (<paramref name="foldTables"/>: G then H,
    /// optional) need 32 doublings instead of 256. The factors go into the (secret) MSM scalars instead.
    /// The last round's generators are never used, so they are not folded. Factors must be nonzero.
    /// </summary>
    internal static InnerProductProof Create(Transcript transcript, in RistrettoPoint q, ReadOnlySpan<Scalar> gFactors, ReadOnlySpan<Scalar> hFactors,
        RistrettoPoint[] g, RistrettoPoint[] h, Scalar[] a, Scalar[] b, GeneratorTable[]? foldTables = null, CtAffineTable[]? ctTables = null)
    {
        int n = g.Length;
        if (h.Length != n || a.Length != n || b.Length != n || gFactors.Length != n || hFactors.Length != n)
            throw new ArgumentException("inner-product vectors differ in length");
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException("inner-product length must be a power of two");
        if (foldTables is not null && foldTables.Length != 2 * n) throw new ArgumentException("fold tables must cover G then H");
        if (ctTables is not null && ctTables.Length != 2 * n) throw new ArgumentException("constant-time tables must cover G then H");
        int full = n;
        for (int i = 0; i < n; i++)
            if (gFactors[i].IsZero() || hFactors[i].IsZero()) throw new ArgumentException("generator factors must be nonzero");
        transcript.InnerProductDomainSep((ulong)n);
        var lVec = new List<byte[]>();
        var rVec = new List<byte[]>();

        var gf = gFactors.ToArray();
        var hf = hFactors.ToArray();
        bool first = true;
        int round = 0;
        // With comb tables, the second folding is computed from the fixed generators (see FoldSecondFromTables),
        // which needs the originals and the first round's ratios.
        RistrettoPoint[]? g0 = foldTables is null ? null : (RistrettoPoint[])g.Clone();
        RistrettoPoint[]? h0 = foldTables is null ? null : (RistrettoPoint[])h.Clone();
        Scalar[]? r1G = null, r1H = null;
        while (n != 1)
        {
            n /= 2;
            Scalar cL = ScalarVectors.InnerProduct(a.AsSpan(0, n), b.AsSpan(n, n));
            Scalar cR = ScalarVectors.InnerProduct(a.AsSpan(n, n), b.AsSpan(0, n));

            var lScalars = new Scalar[2 * n + 1];
            var lPoints = new RistrettoPoint[2 * n + 1];
            var rScalars = new Scalar[2 * n + 1];
            var rPoints = new RistrettoPoint[2 * n + 1];
            for (int i = 0; i < n; i++)
            {
                // L = <a_L, G_R> + <b_R, H_L> + c_L Q ; R = <a_R, G_L> + <b_L, H_R> + c_R Q, generators with their factors
                lScalars[i] = a[i] * gf[n + i];
                lPoints[i] = g[n + i];
                lScalars[n + i] = b[n + i] * hf[i];
                lPoints[n + i] = h[i];
                rScalars[i] = a[n + i] * gf[i];
                rPoints[i] = g[i];
                rScalars[n + i] = b[i] * hf[n + i];
                rPoints[n + i] = h[n + i];
            }
            lScalars[2 * n] = cL; lPoints[2 * n] = q;
            rScalars[2 * n] = cR; rPoints[2 * n] = q;

            RistrettoPoint lPoint = default, rPoint = default;
            if (first && ctTables is not null)
            {
                // Round one multiplies the fixed generators themselves: read them from their precomputed tables.
                var lTables = new CtAffineTable[2 * n];
                var rTables = new CtAffineTable[2 * n];
                for (int i = 0; i < n; i++)
                {
                    lTables[i] = ctTables[n + i];            // G_R
                    lTables[n + i] = ctTables[full + i];     // H_L
                    rTables[i] = ctTables[i];                // G_L
                    rTables[n + i] = ctTables[full + n + i]; // H_R
                }
                MsmParallelism.Invoke(n >= ConcurrentRoundMin,
                    () => lPoint = MultiscalarMul.ConstantTimeWithTables(lScalars.AsSpan(2 * n), lPoints.AsSpan(2 * n), lScalars.AsSpan(0, 2 * n), lTables),
                    () => rPoint = MultiscalarMul.ConstantTimeWithTables(rScalars.AsSpan(2 * n), rPoints.AsSpan(2 * n), rScalars.AsSpan(0, 2 * n), rTables));
            }
            else
            {
                MsmParallelism.Invoke(n >= ConcurrentRoundMin,
                    () => lPoint = MultiscalarMul.ConstantTime(lScalars, lPoints),
                    () => rPoint = MultiscalarMul.ConstantTime(rScalars, rPoints));
            }
            Array.Clear(lScalars);
            Array.Clear(rScalars);
            byte[] lBytes = lPoint.ToBytes(), rBytes = rPoint.ToBytes();
            lVec.Add(lBytes);
            rVec.Add(rBytes);
            transcript.AppendMessage("L"u8, lBytes);
            transcript.AppendMessage("R"u8, rBytes);
            Scalar u = transcript.ChallengeScalar("u"u8);
            Scalar uInv = Scalar.Invert(u);

            for (int i = 0; i < n; i++)
            {
                a[i] = a[i] * u + uInv * a[n + i];
                b[i] = b[i] * uInv + u * b[n + i];
            }
            round++;
            if (n > 1)
            {
                if (round == 1 && foldTables is not null) (r1G, r1H) = FoldGenerators(g, h, gf, hf, n, u, uInv, foldTables, keepRatios: true);
                else if (round == 2 && foldTables is not null) FoldSecondFromTables(g, h, gf, hf, n, u, uInv, foldTables, g0!, h0!, r1G!, r1H!);
                else FoldGenerators(g, h, gf, hf, n, u, uInv, null, keepRatios: false);
            }
            first = false;
        }
        var proof = new InnerProductProof(lVec, rVec, a[0], b[0]);
        Array.Clear(a);
        Array.Clear(b);
        return proof;
    }

    /// <summary>One folding step of the (factor, point) pairs, see <see cref="Create"/>; public data only, variable time.</summary>
    private static (Scalar[]? rG, Scalar[]? rH) FoldGenerators(RistrettoPoint[] g, RistrettoPoint[] h, Scalar[] gf, Scalar[] hf, int half, Scalar u, Scalar uInv,
        GeneratorTable[]? tables, bool keepRatios)
    {
        var keptG = keepRatios ? new Scalar[half] : null;
        var keptH = keepRatios ? new Scalar[half] : null;
        var gfInv = new Scalar[half];
        var hfInv = new Scalar[half];
        Array.Copy(gf, 0, gfInv, 0, half);
        Array.Copy(hf, half, hfInv, 0, half);
        Scalar.BatchInvert(gfInv);
        Scalar.BatchInvert(hfInv);
        Scalar uu = u * u;
        int full = 2 * half;
        int chunks = FoldChunks(half);
        MsmParallelism.For(chunks, w =>
        {
            int lo = half * w / chunks, hi = half * (w + 1) / chunks;
            for (int i = lo; i < hi; i++)
            {
                Scalar rG = uu * gf[half + i] * gfInv[i];
                Scalar rH = uu * hf[i] * hfInv[i];
                var gMul = tables is null ? VartimeMul(rG, g[half + i]) : new RistrettoPoint(tables[half + i].MulVartime(rG));
                var hMul = tables is null ? VartimeMul(rH, h[i]) : new RistrettoPoint(tables[full + i].MulVartime(rH));
                g[i] = g[i] + gMul;
                h[i] = h[half + i] + hMul;
                gf[i] = uInv * gf[i];
                hf[i] = uInv * hf[half + i];
                if (keptG is not null) { keptG[i] = rG; keptH![i] = rH; }
            }
        });
        return (keptG, keptH);
    }

    /// <summary>
    /// The second folding straight from the fixed generators. With N = 2 h1 = 4 h2 generators and the first
    /// round's ratios r1, the rule of <see cref="Create"/> applied twice gives, for i &lt; h2,
    ///   G''_i = G_i + r1G_i G_(h1+i) + r2G_i G_(h2+i) + r2G_i r1G_(h2+i) G_(h1+h2+i)
    ///   H''_i = H_(h1+h2+i) + r1H_(h2+i) H_(h2+i) + r2H_i H_(h1+i) + r2H_i r1H_i H_i
    /// so each point is three comb multiplications sharing 32 doublings (about half the cost of one 256-doubling
    /// multiplication of the once-folded point). Factors as in <see cref="FoldGenerators"/>.
    /// </summary>
    private static void FoldSecondFromTables(RistrettoPoint[] g, RistrettoPoint[] h, Scalar[] gf, Scalar[] hf, int half, Scalar u, Scalar uInv,
        GeneratorTable[] tables, RistrettoPoint[] g0, RistrettoPoint[] h0, Scalar[] r1G, Scalar[] r1H)
    {
        int h2 = half, h1 = 2 * half, full = 4 * half;
        var gfInv = new Scalar[half];
        var hfInv = new Scalar[half];
        Array.Copy(gf, 0, gfInv, 0, half);
        Array.Copy(hf, half, hfInv, 0, half);
        Scalar.BatchInvert(gfInv);
        Scalar.BatchInvert(hfInv);
        Scalar uu = u * u;
        int chunks = FoldChunks(half);
        MsmParallelism.For(chunks, w =>
        {
            int lo = half * w / chunks, hi = half * (w + 1) / chunks;
            Span<Scalar> sc = stackalloc Scalar[3];
            var tb = new GeneratorTable[3];
            for (int i = lo; i < hi; i++)
            {
                Scalar rG = uu * gf[h2 + i] * gfInv[i];
                Scalar rH = uu * hf[i] * hfInv[i];
                sc[0] = r1G[i]; tb[0] = tables[h1 + i];
                sc[1] = rG; tb[1] = tables[h2 + i];
                sc[2] = rG * r1G[h2 + i]; tb[2] = tables[h1 + h2 + i];
                g[i] = g0[i] + new RistrettoPoint(TabledStraus.Compute([], [], sc, tb, 3));
                sc[0] = r1H[h2 + i]; tb[0] = tables[full + h2 + i];
                sc[1] = rH; tb[1] = tables[full + h1 + i];
                sc[2] = rH * r1H[i]; tb[2] = tables[full + i];
                h[i] = h0[h1 + h2 + i] + new RistrettoPoint(TabledStraus.Compute([], [], sc, tb, 3));
                gf[i] = uInv * gf[i];
                hf[i] = uInv * hf[half + i];
            }
        });
    }

    /// <summary>
    /// L and R of a round are computed concurrently from this half-length on (2n + 1 = 33 points, about 0.6 ms
    /// each): every fork-join waits for its slowest part, which on a machine shared with other processes can be a
    /// whole scheduler time slice, so the small late rounds stay on one core.
    /// </summary>
    private const int ConcurrentRoundMin = 16;

    /// <summary>
    /// Folding work items: none below 16 points per family (under a millisecond of work, see above), else about
    /// 4 per core (at least 8 points each), so that when a core is taken by another process the others take over its
    /// remaining items instead of waiting for it (items cost no extra work).
    /// </summary>
    private static int FoldChunks(int half)
    {
        int workers = half < ConcurrentRoundMin ? 1 : MsmParallelism.WorkersFor(half, 8);
        return workers == 1 ? 1 : Math.Min(half / 8, 4 * workers);
    }

    private static RistrettoPoint VartimeMul(in Scalar s, in RistrettoPoint p)
        => new(TabledStraus.Compute(new ReadOnlySpan<Scalar>(in s), new ReadOnlySpan<RistrettoPoint>(in p)));

    /// <summary>
    /// Verifier side: replays the transcript to get u_1..u_k, and returns (u_i^2, u_i^-2, s) where
    /// s_i = Prod_j u_j^(+-1) by the bits of i, the coefficient of G_i in the folded generator.
    /// </summary>
    internal (Scalar[] uSq, Scalar[] uInvSq, Scalar[] s) VerificationScalars(int n, Transcript transcript)
    {
        var u = ReplayChallenges(n, transcript);
        var uInv = (Scalar[])u.Clone();
        Scalar.BatchInvert(uInv);
        return ScalarsFromChallenges(u, uInv, n);
    }

    /// <summary>Checks the round count against n, replays the transcript (rejecting identity L_i, R_i) and returns u_1..u_k in creation order.</summary>
    internal Scalar[] ReplayChallenges(int n, Transcript transcript)
    {
        int lgN = LVec.Count;
        if (lgN >= 32) throw new RangeProofVerificationException("inner-product proof too long");
        if (n != 1 << lgN) throw new RangeProofVerificationException($"inner-product proof has {lgN} rounds but n*m = {n} needs {System.Numerics.BitOperations.Log2((uint)n)}");
        transcript.InnerProductDomainSep((ulong)n);
        var u = new Scalar[lgN];
        for (int i = 0; i < lgN; i++)
        {
            AppendNonIdentity(transcript, "L"u8, LVec[i], "L");
            AppendNonIdentity(transcript, "R"u8, RVec[i], "R");
            u[i] = transcript.ChallengeScalar("u"u8);
        }
        return u;
    }

    /// <summary>
    /// (u_i^2, u_i^-2, s) from the challenges and their inverses (the caller inverts, so that many proofs can share
    /// one inversion); s_i = Prod_j u_j^(+-1) by the bits of i, the coefficient of G_i in the folded generator.
    /// </summary>
    internal static (Scalar[] uSq, Scalar[] uInvSq, Scalar[] s) ScalarsFromChallenges(Scalar[] u, ReadOnlySpan<Scalar> uInv, int n)
    {
        int lgN = u.Length;
        Scalar allInv = Scalar.One;
        for (int i = 0; i < lgN; i++) allInv *= uInv[i];
        var uSq = new Scalar[lgN];
        var uInvSq = new Scalar[lgN];
        for (int i = 0; i < lgN; i++)
        {
            uSq[i] = u[i] * u[i];
            uInvSq[i] = uInv[i] * uInv[i];
        }
        var s = new Scalar[n];
        s[0] = allInv;
        for (int i = 1; i < n; i++)
        {
            int lgI = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)i);
            int k = 1 << lgI;
            // Challenges are stored in creation order u_k..u_1, so u_{lg(i)+1} sits at (lgN - 1) - lgI.
            s[i] = s[i - k] * uSq[lgN - 1 - lgI];
        }
        return (uSq, uInvSq, s);
    }

    internal static void AppendNonIdentity(Transcript t, ReadOnlySpan<byte> label, byte[] encoded, string name)
    {
        try { t.ValidateAndAppendPoint(label, encoded); }
        catch (InvalidEncodingException) { throw new RangeProofVerificationException($"{name} is the identity point"); }
    }
}
