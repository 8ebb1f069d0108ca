namespace DVV.ZkRisk.Crypto;

/// <summary>
/// An aggregated Bulletproofs range proof (Bünz et al. 2018, section 4.3) that m committed values
/// each lie in [0, 2^n), byte-compatible with dalek bulletproofs 4.0: same generators, same Merlin
/// transcript calls in the same order, same layout
/// A S T_1 T_2 t_x t_x_blinding e_blinding (L_i R_i)* a b.
/// </summary>
public sealed partial class RangeProof
{
    internal byte[] A { get; }
    internal byte[] S { get; }
    internal byte[] T1 { get; }
    internal byte[] T2 { get; }
    internal Scalar TX { get; }
    internal Scalar TXBlinding { get; }
    internal Scalar EBlinding { get; }
    public InnerProductProof IppProof { get; }

    internal RangeProof(byte[] a, byte[] s, byte[] t1, byte[] t2, in Scalar tx, in Scalar txBlinding, in Scalar eBlinding, InnerProductProof ipp)
    {
        A = a; S = s; T1 = t1; T2 = t2; TX = tx; TXBlinding = txBlinding; EBlinding = eBlinding; IppProof = ipp;
    }

    public static bool IsSupportedBitSize(int n) => n is 8 or 16 or 32 or 64;

    public int SerializedSize => 7 * 32 + IppProof.SerializedSize;

    public byte[] ToBytes()
    {
        var buf = new byte[SerializedSize];
        A.CopyTo(buf, 0);
        S.CopyTo(buf, 32);
        T1.CopyTo(buf, 64);
        T2.CopyTo(buf, 96);
        TX.WriteTo(buf.AsSpan(128));
        TXBlinding.WriteTo(buf.AsSpan(160));
        EBlinding.WriteTo(buf.AsSpan(192));
        IppProof.WriteTo(buf.AsSpan(224));
        return buf;
    }

    /// <summary>
    /// Parses a proof. Scalars must be canonical (else <see cref="NonCanonicalEncodingException"/>); the
    /// length must be 7*32 + (2k+2)*32 (else <see cref="InvalidEncodingException"/>). Points are checked
    /// when the proof is verified, where an invalid one fails verification with its name.
    /// </summary>
    public static RangeProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 32 != 0) throw new InvalidEncodingException($"range proof length {bytes.Length} is not a multiple of 32");
        if (bytes.Length < 7 * 32) throw new InvalidEncodingException($"range proof of {bytes.Length} bytes is shorter than the 224-byte header");
        var ipp = InnerProductProof.FromBytes(bytes[224..]);
        return new RangeProof(
            bytes[..32].ToArray(), bytes[32..64].ToArray(), bytes[64..96].ToArray(), bytes[96..128].ToArray(),
            Scalar.FromCanonical(bytes[128..160]), Scalar.FromCanonical(bytes[160..192]), Scalar.FromCanonical(bytes[192..224]),
            ipp);
    }

    /// <summary>
    /// Proves that every value is below 2^bitSize, committing value j as values[j]*B + blindings[j]*B_blinding.
    /// m = values.Length must be a power of two no larger than the generators' party capacity.
    /// </summary>
    public static RangeProof ProveMultiple(BulletproofGens bp, PedersenGens pc, Transcript transcript,
        ReadOnlySpan<ulong> values, ReadOnlySpan<Scalar> blindings, int bitSize, out RistrettoPoint[] commitments)
    {
        ValidateShape(bp, values.Length, bitSize);
        if (blindings.Length != values.Length) throw new ArgumentException($"{values.Length} values but {blindings.Length} blindings");
        if (bitSize < 64)
            for (int j = 0; j < values.Length; j++)
                if (values[j] >> bitSize != 0) throw new ArgumentOutOfRangeException(nameof(values), $"value {j} does not fit in {bitSize} bits");
        return RangeProofProver.Prove(bp, pc, transcript, values, blindings, bitSize, out commitments);
    }

    internal static void ValidateShape(BulletproofGens bp, int m, int bitSize)
    {
        if (!IsSupportedBitSize(bitSize)) throw new ArgumentException($"bit size {bitSize} is not one of 8, 16, 32, 64");
        if (m == 0 || (m & (m - 1)) != 0) throw new ArgumentException($"the number of values ({m}) must be a power of two");
        if (bp.GensCapacity < bitSize) throw new ArgumentException($"generators hold {bp.GensCapacity} per party, {bitSize} needed");
        if (bp.PartyCapacity < m) throw new ArgumentException($"generators hold {bp.PartyCapacity} parties, {m} needed");
    }

    /// <summary>Verifies with a fresh random weight; throws <see cref="RangeProofVerificationException"/> naming the failed check.</summary>
    public void Verify(BulletproofGens bp, PedersenGens pc, Transcript transcript, ReadOnlySpan<RistrettoPoint> commitments, int bitSize)
    {
        var check = RangeProofVerifier.BuildCheck(this, bp, transcript, commitments, bitSize, Scalar.One);
        try
        {
            if (!check.Evaluate(bp, pc).IsIdentity) throw new RangeProofVerificationException("the multiscalar verification equation does not hold");
        }
        finally { check.Release(); }
    }

    public bool TryVerify(BulletproofGens bp, PedersenGens pc, Transcript transcript, ReadOnlySpan<RistrettoPoint> commitments, int bitSize, out string? reason)
    {
        try
        {
            Verify(bp, pc, transcript, commitments, bitSize);
            reason = null;
            return true;
        }
        catch (RangeProofVerificationException e) { reason = e.Reason; return false; }
        catch (ArgumentException e) { reason = e.Message; return false; }
    }
}
