namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The sign of committed integers, proven: for commitments X_j = x_j B + r_j B~ to signed integers and F_j = f_j B +
/// phi_j B~ to bits, one aggregated Bulletproof (<see cref="RangeProof"/>) over the shifted commitments
/// <code>
///   V_j = X_j + 2^n F_j  =  (x_j + f_j 2^n) B + (r_j + 2^n phi_j) B~,      u_j = x_j + f_j 2^n in [0, 2^n)
/// </code>
/// padded with identity commitments (value 0, blinding 0, which the verifier adds itself) to a power of two.
/// That F_j holds a bit is not this proof's business: the caller proves it (in the protocol, the selection OR-proof
/// covers F_j with the same bit as the trader's selected commitments).
///
/// Soundness (why f_j = [x_j &lt; 0] and nothing wraps mod l). Given f_j in {0, 1} and the integer x_j with
/// |x_j| &lt;= X_max, the range proof shows x_j + f_j 2^n = u_j (mod l) for some u_j in [0, 2^n) (Pedersen binding:
/// log_B B~ is unknown). If f_j = 0 and x_j &lt; 0, then x_j - u_j is a non-zero multiple of l in
/// (-X_max - 2^n, 0): impossible when X_max + 2^n &lt; l. If f_j = 1 and x_j &gt;= 0, then x_j + 2^n - u_j is a non-zero
/// multiple of l in (0, X_max + 2^n]: impossible likewise. So the statement needs X_max + 2^n &lt; l, which the protocol
/// guarantees by range-proving every value x_j is built from (circuits/flag.v1.json gives its bound). Completeness
/// needs -2^n &lt;= x_j &lt; 2^n: with n = 64 every <see cref="long"/> qualifies.
///
/// The floor form (shift 2^k with k &lt; n, circuits/cluster.v1.json): V_j = X_j + 2^k F_j with u_j in [0, 2^n) proves only
/// f_j &gt;= [x_j &lt; 0], "unflagged implies non-negative": if f_j = 0, x_j = u_j (mod l) and x_j &gt;= 0 exactly as above;
/// if f_j = 1 any x_j in [-2^k, 2^n - 2^k) has a proof. Soundness needs X_max + 2^n &lt; l again; completeness needs
/// x_j in [0, 2^n) when f_j = 0 and in [-2^k, 2^n - 2^k) when f_j = 1.
/// </summary>
public static class SignRangeProof
{
    private static readonly Scalar TwoTo64 = Scalar.FromUInt64(ulong.MaxValue) + Scalar.One;

    /// <summary>2^n as a scalar (n = 64 included).</summary>
    public static Scalar Shift(int bitSize)
    {
        if (!RangeProof.IsSupportedBitSize(bitSize)) throw new ArgumentException($"bit size {bitSize} is not one of 8, 16, 32, 64");
        return bitSize == 64 ? TwoTo64 : Scalar.FromUInt64(1UL << bitSize);
    }

    /// <summary>f = [x &lt; 0], without a branch on x (the prover's x is secret).</summary>
    public static int NegativeBit(long x) => (int)((ulong)x >> 63);

    /// <summary>x mod l for a signed x, without a branch on its sign: (x as unsigned) - sign 2^64.</summary>
    public static Scalar SignedScalar(long x)
    {
        Scalar wrapped = Scalar.FromUInt64(unchecked((ulong)x));
        return wrapped - Scalar.Select(Scalar.Zero, TwoTo64, NegativeBit(x));
    }

    /// <summary>The number of commitments the aggregated proof covers: the next power of two at or above <paramref name="count"/>.</summary>
    public static int PaddedCount(int count)
    {
        if (count <= 0) throw new ArgumentException("no commitments to prove");
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);
    }

    /// <summary>
    /// The commitments the range proof is over: V_j = X_j + 2^n F_j, then identities up to <see cref="PaddedCount"/>.
    /// Verifier side (public data only, variable time).
    /// </summary>
    public static RistrettoPoint[] ShiftedCommitments(ReadOnlySpan<RistrettoPoint> x, ReadOnlySpan<RistrettoPoint> f, int bitSize) =>
        ShiftedCommitments(x, f, bitSize, bitSize);

    /// <summary>As <see cref="ShiftedCommitments(ReadOnlySpan{RistrettoPoint}, ReadOnlySpan{RistrettoPoint}, int)"/> with the bit
    /// commitments shifted by 2^<paramref name="shiftBits"/> (the floor form when it is below <paramref name="bitSize"/>).</summary>
    public static RistrettoPoint[] ShiftedCommitments(ReadOnlySpan<RistrettoPoint> x, ReadOnlySpan<RistrettoPoint> f, int bitSize, int shiftBits)
    {
        if (x.Length != f.Length) throw new ArgumentException($"{x.Length} value commitments but {f.Length} bit commitments");
        Scalar shift = ShiftOf(bitSize, shiftBits);
        var v = new RistrettoPoint[PaddedCount(x.Length)];
        for (int j = 0; j < x.Length; j++) v[j] = x[j] + shift * f[j];
        for (int j = x.Length; j < v.Length; j++) v[j] = RistrettoPoint.Identity;
        return v;
    }

    /// <summary>
    /// Proves the sign bits of <paramref name="values"/> (x_j, blindings r_j of X_j) for bit commitments made with blindings
    /// <paramref name="bitBlindings"/> (phi_j) and bits f_j = [x_j &lt; 0]; every step on x_j is branch-free.
    /// Throws when some x_j is outside [-2^n, 2^n), where no proof exists.
    /// </summary>
    public static RangeProof Prove(BulletproofGens bp, PedersenGens pc, Transcript transcript, ReadOnlySpan<long> values,
        ReadOnlySpan<Scalar> valueBlindings, ReadOnlySpan<Scalar> bitBlindings, int bitSize)
    {
        Span<int> bits = values.Length <= 64 ? stackalloc int[values.Length] : new int[values.Length];
        for (int j = 0; j < values.Length; j++) bits[j] = NegativeBit(values[j]);
        return ProveWithBits(bp, pc, transcript, values, valueBlindings, bits, bitBlindings, bitSize);
    }

    /// <summary>As <see cref="Prove"/> with the bits given: tests use it to play a prover whose bits are wrong (its u_j then
    /// fails to commit to the verifier's V_j, and no accepted proof comes out).</summary>
    internal static RangeProof ProveWithBits(BulletproofGens bp, PedersenGens pc, Transcript transcript, ReadOnlySpan<long> values,
        ReadOnlySpan<Scalar> valueBlindings, ReadOnlySpan<int> bits, ReadOnlySpan<Scalar> bitBlindings, int bitSize)
        => ProveFloor(bp, pc, transcript, values, valueBlindings, bits, bitBlindings, bitSize, bitSize);

    /// <summary>
    /// The floor form: proves f_j &gt;= [x_j &lt; 0] for the given bits, over V_j = X_j + 2^<paramref name="shiftBits"/> F_j in
    /// [0, 2^<paramref name="bitSize"/>) (<paramref name="shiftBits"/> = <paramref name="bitSize"/>: the exact sign, as
    /// <see cref="Prove"/>). Throws when some u_j = x_j + f_j 2^k leaves [0, 2^n), where no proof exists (an unflagged negative
    /// value, or a value beyond the completeness range); the check is on the prover's own witness.
    /// </summary>
    public static RangeProof ProveFloor(BulletproofGens bp, PedersenGens pc, Transcript transcript, ReadOnlySpan<long> values,
        ReadOnlySpan<Scalar> valueBlindings, ReadOnlySpan<int> bits, ReadOnlySpan<Scalar> bitBlindings, int bitSize, int shiftBits)
    {
        if (shiftBits != bitSize)
        {
            Scalar k = ShiftOf(bitSize, shiftBits);
            int c = values.Length;
            if (valueBlindings.Length != c || bitBlindings.Length != c || bits.Length != c)
                throw new ArgumentException($"{c} values need as many value blindings, bits and bit blindings");
            var uf = new ulong[PaddedCount(c)];
            var bf = new Scalar[uf.Length];
            for (int j = 0; j < c; j++)
            {
                Int128 uj = (Int128)values[j] + ((Int128)bits[j] << shiftBits);
                if (uj < 0 || (bitSize < 64 && uj >= (Int128)1 << bitSize))
                    throw new ArgumentOutOfRangeException(nameof(values), $"value {j} + bit x 2^{shiftBits} is outside [0, 2^{bitSize}): no floor proof exists");
                uf[j] = (ulong)uj;
                bf[j] = valueBlindings[j] + k * bitBlindings[j];
            }
            return RangeProof.ProveMultiple(bp, pc, transcript, uf, bf, bitSize, out _);
        }
        int count = values.Length;
        if (valueBlindings.Length != count || bitBlindings.Length != count || bits.Length != count)
            throw new ArgumentException($"{count} values need as many value blindings, bits and bit blindings");
        Scalar shift = Shift(bitSize);
        int m = PaddedCount(count);
        var u = new ulong[m];
        var blind = new Scalar[m];
        for (int j = 0; j < count; j++)
        {
            long x = values[j];
            if (bitSize < 64 && (x < -(1L << bitSize) || x >= 1L << bitSize))
                throw new ArgumentOutOfRangeException(nameof(values), $"value {j} is outside [-2^{bitSize}, 2^{bitSize}): its sign cannot be proven in {bitSize} bits");
            // u = x + f 2^n, computed mod 2^64: for n = 64 the shift vanishes and u is x's two's-complement bits
            ulong shifted = bitSize == 64 ? 0 : (ulong)bits[j] << bitSize;
            u[j] = unchecked((ulong)x + shifted);
            if (bitSize < 64) u[j] &= (1UL << bitSize) - 1;
            blind[j] = valueBlindings[j] + shift * bitBlindings[j];
        }
        // u[j] and blind[j] past count stay zero: the identity commitments the verifier pads with
        return RangeProof.ProveMultiple(bp, pc, transcript, u, blind, bitSize, out _);
    }

    /// <summary>The batch statement for a proof over X_j and F_j (transcript as the prover had it before the proof).</summary>
    public static RangeProofStatement Statement(RangeProof proof, Transcript transcript, ReadOnlySpan<RistrettoPoint> x, ReadOnlySpan<RistrettoPoint> f, int bitSize)
        => new(proof, transcript, ShiftedCommitments(x, f, bitSize), bitSize);

    /// <summary>The batch statement of a floor proof (<see cref="ProveFloor"/>).</summary>
    public static RangeProofStatement FloorStatement(RangeProof proof, Transcript transcript, ReadOnlySpan<RistrettoPoint> x, ReadOnlySpan<RistrettoPoint> f, int bitSize, int shiftBits)
        => new(proof, transcript, ShiftedCommitments(x, f, bitSize, shiftBits), bitSize);

    private static Scalar ShiftOf(int bitSize, int shiftBits)
    {
        if (shiftBits == bitSize) return Shift(bitSize);
        if (!RangeProof.IsSupportedBitSize(bitSize)) throw new ArgumentException($"bit size {bitSize} is not one of 8, 16, 32, 64");
        if (shiftBits < 1 || shiftBits > bitSize) throw new ArgumentException($"shift 2^{shiftBits} must be at most 2^{bitSize}");
        return Scalar.FromUInt64(1UL << shiftBits);
    }
}
