namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The dealer and all m parties of dalek's aggregated range proof run in one process. Notation follows
/// Bünz et al. section 4: a_L = bits(v), a_R = a_L - 1, l(X) = a_L - z + s_L X,
/// r(X) = y^n o (a_R + z + s_R X) + z^(1+j) 2^n per party j, t(X) = &lt;l(X), r(X)&gt; = t_0 + t_1 X + t_2 X^2.
/// Every value derived from a secret is handled in constant time (masked selects, CT multiscalar mul).
/// </summary>
internal static class RangeProofProver
{
    public static RangeProof Prove(BulletproofGens bp, PedersenGens pc, Transcript transcript,
        ReadOnlySpan<ulong> values, ReadOnlySpan<Scalar> blindings, int n, out RistrettoPoint[] commitments)
    {
        int m = values.Length;
        int nm = n * m;
        transcript.RangeProofDomainSep((ulong)n, (ulong)m);

        commitments = new RistrettoPoint[m];
        for (int j = 0; j < m; j++)
        {
            commitments[j] = pc.Commit(values[j], blindings[j]);
            transcript.AppendPoint("V"u8, commitments[j]);
        }

        // Bit commitments: A = a_blinding B~ + <a_L, G> + <a_R, H> where a_R = a_L - 1, so each bit picks
        // G_i (bit 1) or -H_i (bit 0) by a masked select. S commits to the random blinding vectors.
        var gAll = bp.AggregatedG(n, m);
        var hAll = bp.AggregatedH(n, m);
        var aL = new Scalar[nm];
        var sL = new Scalar[nm];
        var sR = new Scalar[nm];
        Scalar aBlinding = Scalar.Random(), sBlinding = Scalar.Random();
        RistrettoPoint a = RistrettoPoint.Identity;
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++)
            {
                int bit = (int)((values[j] >> i) & 1);
                int k = j * n + i;
                aL[k] = Scalar.Select(Scalar.Zero, Scalar.One, bit);
                a += RistrettoPoint.Select(-hAll[k], gAll[k], bit);
                sL[k] = Scalar.Random();
                sR[k] = Scalar.Random();
            }
        }
        a += pc.MulBlinding(aBlinding);

        var sScalars = new Scalar[2 * nm + 1];
        var sPoints = new RistrettoPoint[2 * nm + 1];
        sL.CopyTo(sScalars, 0);
        sR.CopyTo(sScalars, nm);
        sScalars[2 * nm] = sBlinding;
        gAll.CopyTo(sPoints, 0);
        hAll.CopyTo(sPoints, nm);
        sPoints[2 * nm] = pc.BBlinding;
        // G_i and H_i are fixed: with their precomputed tables only B~ needs a per-call table.
        var ctTables = bp.ConstantTimeTables(n, m);
        RistrettoPoint s = ctTables is null
            ? MultiscalarMul.ConstantTime(sScalars, sPoints)
            : MultiscalarMul.ConstantTimeWithTables(sScalars.AsSpan(2 * nm), sPoints.AsSpan(2 * nm), sScalars.AsSpan(0, 2 * nm), ctTables);
        Array.Clear(sScalars);

        transcript.AppendPoint("A"u8, a);
        transcript.AppendPoint("S"u8, s);
        Scalar y = transcript.ChallengeScalar("y"u8);
        Scalar z = transcript.ChallengeScalar("z"u8);

        // l(X) = l0 + l1 X, r(X) = r0 + r1 X over all parties; party j uses y^(jn + i) and z^(2+j) 2^i.
        var l0 = new Scalar[nm];
        var r0 = new Scalar[nm];
        var r1 = new Scalar[nm];
        Scalar expY = Scalar.One, zPowJ = z * z;
        Scalar two = Scalar.FromUInt64(2);
        for (int j = 0; j < m; j++)
        {
            Scalar exp2 = Scalar.One;
            for (int i = 0; i < n; i++)
            {
                int k = j * n + i;
                Scalar aR = aL[k] - Scalar.One;
                l0[k] = aL[k] - z;
                r0[k] = expY * (aR + z) + zPowJ * exp2;
                r1[k] = expY * sR[k];
                expY *= y;
                exp2 *= two;
            }
            zPowJ *= z;
        }
        // t0 = <l0, r0>, t2 = <l1, r1>, t1 = <l0 + l1, r0 + r1> - t0 - t2 (Karatsuba, as dalek).
        Scalar t0 = ScalarVectors.InnerProduct(l0, r0);
        Scalar t2 = ScalarVectors.InnerProduct(sL, r1);
        Scalar t1 = Scalar.Zero;
        for (int k = 0; k < nm; k++) t1 += (l0[k] + sL[k]) * (r0[k] + r1[k]);
        t1 = t1 - t0 - t2;

        Scalar t1Blinding = Scalar.Random(), t2Blinding = Scalar.Random();
        RistrettoPoint bigT1 = pc.Commit(t1, t1Blinding);
        RistrettoPoint bigT2 = pc.Commit(t2, t2Blinding);
        transcript.AppendPoint("T_1"u8, bigT1);
        transcript.AppendPoint("T_2"u8, bigT2);
        Scalar x = transcript.ChallengeScalar("x"u8);

        // t_x_blinding = Sum_j z^(2+j) gamma_j + x tau_1 + x^2 tau_2; e_blinding = alpha + x rho.
        Scalar tX = t0 + x * (t1 + x * t2);
        Scalar zz = z * z, zPow = zz;
        Scalar gammaSum = Scalar.Zero;
        for (int j = 0; j < m; j++) { gammaSum += zPow * blindings[j]; zPow *= z; }
        Scalar tXBlinding = gammaSum + x * (t1Blinding + x * t2Blinding);
        Scalar eBlinding = aBlinding + sBlinding * x;

        transcript.AppendScalar("t_x"u8, tX);
        transcript.AppendScalar("t_x_blinding"u8, tXBlinding);
        transcript.AppendScalar("e_blinding"u8, eBlinding);
        Scalar w = transcript.ChallengeScalar("w"u8);
        // w is public, but the fixed-base table of B is already there and is about 3x faster than a generic [w]B.
        RistrettoPoint q = pc.MulValueBase(w);

        var lVec = new Scalar[nm];
        var rVec = new Scalar[nm];
        for (int k = 0; k < nm; k++)
        {
            lVec[k] = l0[k] + sL[k] * x;
            rVec[k] = r0[k] + r1[k] * x;
        }
        var gFactors = new Scalar[nm];
        var hFactors = new Scalar[nm];
        Array.Fill(gFactors, Scalar.One);
        ScalarVectors.Powers(Scalar.Invert(y), hFactors);

        var ipp = InnerProductProof.Create(transcript, q, gFactors, hFactors, gAll, hAll, lVec, rVec, bp.FoldTables(n, m), ctTables);

        Array.Clear(aL); Array.Clear(sL); Array.Clear(sR); Array.Clear(l0); Array.Clear(r0); Array.Clear(r1);
        return new RangeProof(a.ToBytes(), s.ToBytes(), bigT1.ToBytes(), bigT2.ToBytes(), tX, tXBlinding, eBlinding, ipp);
    }
}
