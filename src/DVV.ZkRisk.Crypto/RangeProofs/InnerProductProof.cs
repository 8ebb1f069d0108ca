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
    /// </summary>
    internal static InnerProductProof Create(Transcript transcript, in RistrettoPoint q, ReadOnlySpan<Scalar> gFactors, ReadOnlySpan<Scalar> hFactors,
        RistrettoPoint[] g, RistrettoPoint[] h, Scalar[] a, Scalar[] b)
    {
        int n = g.Length;
        if (h.Length != n || a.Length != n || b.Length != n || gFactors.Length != n || hFactors.Length != n)
            throw new ArgumentException("inner-product vectors differ in length");
        if (n == 0 || (n & (n - 1)) != 0) throw new ArgumentException("inner-product length must be a power of two");
        transcript.InnerProductDomainSep((ulong)n);
        var lVec = new List<byte[]>();
        var rVec = new List<byte[]>();

        // The first round multiplies in the generator factors (H' = y^-i H) so they are never materialised.
        bool first = true;
        var gf = gFactors.ToArray();
        var hf = hFactors.ToArray();
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
                // L = <a_L, G_R> + <b_R, H_L> + c_L Q ; R = <a_R, G_L> + <b_L, H_R> + c_R Q (each with the factors in round one)
                lScalars[i] = first ? a[i] * gf[n + i] : a[i];
                lPoints[i] = g[n + i];
                lScalars[n + i] = first ? b[n + i] * hf[i] : b[n + i];
                lPoints[n + i] = h[i];
                rScalars[i] = first ? a[n + i] * gf[i] : a[n + i];
                rPoints[i] = g[i];
                rScalars[n + i] = first ? b[i] * hf[n + i] : b[i];
                rPoints[n + i] = h[n + i];
            }
            lScalars[2 * n] = cL; lPoints[2 * n] = q;
            rScalars[2 * n] = cR; rPoints[2 * n] = q;

            RistrettoPoint lPoint = default, rPoint = default;
            Parallel.Invoke(
                () => lPoint = MultiscalarMul.ConstantTime(lScalars, lPoints),
                () => rPoint = MultiscalarMul.ConstantTime(rScalars, rPoints));
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
            int half = n;
            bool firstRound = first;
            // G_i <- u^-1 G_L,i + u G_R,i and H_i <- u H_L,i + u^-1 H_R,i (times the factors in round one).
            Parallel.For(0, half, new ParallelOptions { MaxDegreeOfParallelism = half >= 8 ? -1 : 1 }, i =>
            {
                Scalar gl = firstRound ? uInv * gf[i] : uInv, gr = firstRound ? u * gf[half + i] : u;
                Scalar hl = firstRound ? u * hf[i] : u, hr = firstRound ? uInv * hf[half + i] : uInv;
                g[i] = MultiscalarMul.Vartime([gl, gr], [g[i], g[half + i]]);
                h[i] = MultiscalarMul.Vartime([hl, hr], [h[i], h[half + i]]);
            });
            first = false;
        }
        var proof = new InnerProductProof(lVec, rVec, a[0], b[0]);
        Array.Clear(a);
        Array.Clear(b);
        return proof;
    }

    /// <summary>
    /// Verifier side: replays the transcript to get u_1..u_k, and returns (u_i^2, u_i^-2, s) where
    /// s_i = Prod_j u_j^(+-1) by the bits of i, the coefficient of G_i in the folded generator.
    /// </summary>
    internal (Scalar[] uSq, Scalar[] uInvSq, Scalar[] s) VerificationScalars(int n, Transcript transcript)
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
        var uInv = (Scalar[])u.Clone();
        Scalar.BatchInvert(uInv);
        Scalar allInv = Scalar.One;
        for (int i = 0; i < lgN; i++) allInv *= uInv[i];
        var uSq = new Scalar[lgN];
        var uInvSq = new Scalar[lgN];
        for (int i = 0; i < lgN; i++) { uSq[i] = u[i] * u[i]; uInvSq[i] = uInv[i] * uInv[i]; }

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
