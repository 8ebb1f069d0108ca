namespace DVV.ZkRisk.Crypto.Sigma;

/// <summary>
/// Selection of one trader's band commitments under one shock: D_b = lambda*C_b + rho_b*B_blinding with
/// lambda in {0, 1} the same for every band b.
///
/// The bands are combined with weights e_b squeezed from the transcript after every C_b and D_b is
/// fixed: C* = Sum e_b C_b, D* = Sum e_b D_b, rho* = Sum e_b rho_b. Then an OR-proof (Cramer, Damgård,
/// Schoenmakers 1994) of two Schnorr statements shows D* = rho* B~ (lambda = 0) or
/// D* - C* = rho* B~ (lambda = 1). Soundness: if D_b = x_b B + y_b B~, the accepted branch forces
/// Sum e_b (x_b - lambda v_b) = 0, which for random e_b chosen after the x_b means x_b = lambda v_b in
/// every band (Schwartz-Zippel, two choices of lambda): each D_b commits to lambda times the band's
/// value, with one lambda. Layout: R_0 || R_1 || c_0 || z_0 || z_1 (160 bytes; c_1 = c - c_0).
/// </summary>
public sealed class SelectionProof
{
    public const string TranscriptLabel = "DVV.ZkRisk/selection v1";
    public const int Size = 160;

    internal readonly byte[] R0, R1;
    internal readonly Scalar C0, Z0, Z1;
    // The points behind R0 and R1, decoded once when the proof is parsed (verification needs them again).
    private readonly RistrettoPoint _r0, _r1;

    private SelectionProof(byte[] r0, byte[] r1, in RistrettoPoint r0Point, in RistrettoPoint r1Point, in Scalar c0, in Scalar z0, in Scalar z1)
    {
        R0 = r0; R1 = r1; _r0 = r0Point; _r1 = r1Point; C0 = c0; Z0 = z0; Z1 = z1;
    }

    /// <summary>Transcript up to the band weights; returns the weights e_b.</summary>
    /// <remarks>
    /// <paramref name="cBytes"/> and <paramref name="dBytes"/>, when given, are the canonical encodings of the points
    /// (the bytes they were decoded from); absorbing them saves re-encoding 2B points per statement, which
    /// otherwise dominates verification of an epoch.
    /// </remarks>
    private static Transcript Start(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> c, ReadOnlySpan<RistrettoPoint> d, Span<Scalar> weights, ReadOnlyMemory<byte>[]? cBytes = null, ReadOnlyMemory<byte>[]? dBytes = null)
    {
        if (c.Length != d.Length || c.Length == 0) throw new ArgumentException($"{c.Length} band commitments but {d.Length} selected commitments");
        var t = new Transcript(TranscriptLabel);
        binding.AppendTo(t);
        t.AppendMessage("trader"u8, traderId);
        t.AppendU64("shock"u8, (ulong)shockIndex);
        t.AppendU64("bands"u8, (ulong)c.Length);
        if (cBytes is not null && cBytes.Length != c.Length) throw new ArgumentException("band commitment encodings do not match the points");
        if (dBytes is not null && dBytes.Length != d.Length) throw new ArgumentException("selected commitment encodings do not match the points");
        for (int b = 0; b < c.Length; b++)
            if (cBytes is null) t.AppendPoint("C"u8, c[b]); else t.AppendMessage("C"u8, cBytes[b].Span);
        for (int b = 0; b < d.Length; b++)
            if (dBytes is null) t.AppendPoint("D"u8, d[b]); else t.AppendMessage("D"u8, dBytes[b].Span);
        Span<byte> bytes = c.Length <= 64 ? stackalloc byte[64 * c.Length] : new byte[64 * c.Length];
        t.ChallengeBytes("band-weights"u8, bytes);
        for (int b = 0; b < c.Length; b++) weights[b] = Scalar.FromBytesWide(bytes.Slice(64 * b, 64));
        return t;
    }

    public static SelectionProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, bool lambda, ReadOnlySpan<Scalar> rho, out RistrettoPoint[] selected)
        => Prove(binding, traderId, shockIndex, bandCommitments, lambda, rho, PedersenGens.Default, out selected);

    public static SelectionProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, bool lambda, ReadOnlySpan<Scalar> rho, PedersenGens pc, out RistrettoPoint[] selected)
        => Prove(binding, traderId, shockIndex, bandCommitments, null, lambda, rho, pc, out selected);

    /// <summary>As above, with the band commitments' canonical encodings (the submission's bytes) to absorb as they are.</summary>
    public static SelectionProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, ReadOnlyMemory<byte>[]? bandCommitmentBytes, bool lambda, ReadOnlySpan<Scalar> rho, PedersenGens pc, out RistrettoPoint[] selected)
    {
        int bands = bandCommitments.Length;
        if (rho.Length != bands) throw new ArgumentException($"{bands} bands but {rho.Length} blindings");
        int lam = lambda ? 1 : 0;

        // D_b = lambda*C_b + rho_b*B~, with the choice made by a masked select, not a branch.
        selected = new RistrettoPoint[bands];
        for (int b = 0; b < bands; b++)
            selected[b] = RistrettoPoint.Select(RistrettoPoint.Identity, bandCommitments[b], lam) + pc.MulBlinding(rho[b]);
        return ProveCore(binding, traderId, shockIndex, bandCommitments, selected, lam, rho, pc, bandCommitmentBytes, honest: true);
    }

    /// <summary>
    /// The OR-proof for given selected points. The public entry point always derives them honestly;
    /// tests call this directly with dishonest ones (a bit of 2, flags that differ between bands) to
    /// show no accepted proof comes out.
    /// </summary>
    internal static SelectionProof ProveCore(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, RistrettoPoint[] selected, int lam, ReadOnlySpan<Scalar> rho, PedersenGens pc, ReadOnlyMemory<byte>[]? cBytes = null,
        bool honest = false)
    {
        int bands = bandCommitments.Length;
        Span<Scalar> e = bands <= 64 ? stackalloc Scalar[bands] : new Scalar[bands];
        var t = Start(binding, traderId, shockIndex, bandCommitments, selected, e, cBytes);
        // Combined statement points are public (weights and D_b, C_b are all public).
        RistrettoPoint cStar = MultiscalarMul.Vartime(e, bandCommitments);
        Scalar rhoStar = Scalar.Zero;
        for (int b = 0; b < bands; b++) rhoStar += e[b] * rho[b];
        // For honestly built D_b, D* = Sum e_b (lambda C_b + rho_b B~) = lambda C* + rho* B~: one masked select and one
        // fixed-base multiplication instead of a second multiscalar multiplication. The tests' dishonest provers
        // combine the points they actually published.
        RistrettoPoint dStar = honest
            ? RistrettoPoint.Select(RistrettoPoint.Identity, cStar, lam) + pc.MulBlinding(rhoStar)
            : MultiscalarMul.Vartime(e, selected);
        RistrettoPoint x0 = dStar, x1 = dStar - cStar;

        // Real branch = lambda, simulated branch = 1 - lambda; every choice below is a masked select.
        Scalar k = Scalar.Random(), cSim = Scalar.Random(), zSim = Scalar.Random();
        RistrettoPoint rReal = pc.MulBlinding(k);
        RistrettoPoint xSim = RistrettoPoint.Select(x1, x0, lam);
        RistrettoPoint rSim = pc.MulBlinding(zSim) - cSim * xSim;
        RistrettoPoint r0 = RistrettoPoint.Select(rReal, rSim, lam);
        RistrettoPoint r1 = RistrettoPoint.Select(rSim, rReal, lam);
        t.AppendPoint("R0"u8, r0);
        t.AppendPoint("R1"u8, r1);
        Scalar c = t.ChallengeScalar("c"u8);
        Scalar cReal = c - cSim;
        Scalar zReal = k + cReal * rhoStar;
        Scalar c0 = Scalar.Select(cReal, cSim, lam);
        Scalar z0 = Scalar.Select(zReal, zSim, lam);
        Scalar z1 = Scalar.Select(zSim, zReal, lam);
        return new SelectionProof(r0.ToBytes(), r1.ToBytes(), r0, r1, c0, z0, z1);
    }

    /// <summary>The two verification equations as MSM terms (each scaled by its weight), for single and batch verification.</summary>
    internal bool TryBuildTerms(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> c, ReadOnlySpan<RistrettoPoint> d, in Scalar w0, in Scalar w1,
        out RistrettoPoint r0, out RistrettoPoint r1, out Scalar bBlindingScalar, Span<Scalar> dScalars, Span<Scalar> cScalars,
        ReadOnlyMemory<byte>[]? cBytes = null, ReadOnlyMemory<byte>[]? dBytes = null)
    {
        r0 = _r0; r1 = _r1;
        bBlindingScalar = default;
        if (c.Length != d.Length || c.Length == 0) return false;
        Span<Scalar> e = c.Length <= 64 ? stackalloc Scalar[c.Length] : new Scalar[c.Length];
        var t = Start(binding, traderId, shockIndex, c, d, e, cBytes, dBytes);
        t.AppendMessage("R0"u8, R0);
        t.AppendMessage("R1"u8, R1);
        Scalar ch = t.ChallengeScalar("c"u8);
        Scalar c1 = ch - C0;
        // w0 (z0 B~ - R0 - c0 D*) + w1 (z1 B~ - R1 - c1 (D* - C*)) = 0
        bBlindingScalar = w0 * Z0 + w1 * Z1;
        Scalar dCoef = -(w0 * C0 + w1 * c1), cCoef = w1 * c1;
        for (int b = 0; b < c.Length; b++)
        {
            dScalars[b] = dCoef * e[b];
            cScalars[b] = cCoef * e[b];
        }
        return true;
    }

    public bool Verify(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, ReadOnlySpan<RistrettoPoint> selected)
        => Verify(binding, traderId, shockIndex, bandCommitments, selected, PedersenGens.Default);

    /// <summary>Checks both OR branches' equations with independent random weights in one multiscalar multiplication.</summary>
    public bool Verify(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex,
        ReadOnlySpan<RistrettoPoint> bandCommitments, ReadOnlySpan<RistrettoPoint> selected, PedersenGens pc)
        => SelectionProofBatch.VerifyOne(new SelectionStatement(binding, traderId.ToArray(), shockIndex, bandCommitments.ToArray(), selected.ToArray(), this), pc);

    public byte[] ToBytes()
    {
        var b = new byte[Size];
        R0.CopyTo(b, 0);
        R1.CopyTo(b, 32);
        C0.WriteTo(b.AsSpan(64));
        Z0.WriteTo(b.AsSpan(96));
        Z1.WriteTo(b.AsSpan(128));
        return b;
    }

    public static SelectionProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new InvalidEncodingException($"selection proof must be {Size} bytes, got {bytes.Length}");
        if (!RistrettoPoint.TryDecode(bytes[..32], out var r0)) throw new InvalidEncodingException("selection proof R0 is not a canonical ristretto255 encoding");
        if (!RistrettoPoint.TryDecode(bytes[32..64], out var r1)) throw new InvalidEncodingException("selection proof R1 is not a canonical ristretto255 encoding");
        return new SelectionProof(bytes[..32].ToArray(), bytes[32..64].ToArray(), r0, r1,
            Scalar.FromCanonical(bytes[64..96]), Scalar.FromCanonical(bytes[96..128]), Scalar.FromCanonical(bytes[128..160]));
    }
}
