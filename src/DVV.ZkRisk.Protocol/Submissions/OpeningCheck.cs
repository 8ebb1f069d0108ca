using DVV.ZkRisk.Crypto;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>Whether Pedersen openings (v_i, r_i) open commitments C_i = v_i B + r_i B~, in one random-weighted check.</summary>
internal static class OpeningCheck
{
    /// <summary>
    /// Sum_i w_i C_i == (Sum_i w_i v_i) B + (Sum_i w_i r_i) B~ for fresh random 128-bit weights w_i (the small-exponent
    /// batch test of Bellare, Garay and Rabin 1998): if opening k is wrong, D_k = C_k - v_k B - r_k B~ is not the identity
    /// and, whatever the other weights, at most one w_k in [0, 2^128) cancels Sum_i w_i D_i in the prime-order group,
    /// so a wrong opening passes with probability at most 2^-128. Half-length weights halve the MSM's doublings and
    /// additions (its NAF chain starts at the top nonzero digit). The commitments are public, so their side is a
    /// variable-time MSM; the secret sums go through the constant-time commitment.
    /// </summary>
    public static bool Batch(ReadOnlySpan<RistrettoPoint> commitments, ReadOnlySpan<ulong> values, ReadOnlySpan<Scalar> blindings)
    {
        int n = commitments.Length;
        if (values.Length != n || blindings.Length != n) throw new ArgumentException("commitments, values and blindings differ in length");
        var w = new Scalar[n];
        Span<byte> wide = stackalloc byte[32];
        Scalar a = Scalar.Zero, b = Scalar.Zero;
        for (int i = 0; i < n; i++)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(wide[..16]);   // the upper 16 bytes stay zero
            w[i] = Scalar.FromCanonical(wide);
            a += w[i] * Scalar.FromUInt64(values[i]);
            b += w[i] * blindings[i];
        }
        return MultiscalarMul.Vartime(w, commitments) == PedersenGens.Default.Commit(a, b);
    }

    /// <summary>The opening of one commitment (constant time in the secret value and blinding).</summary>
    public static bool Opens(in RistrettoPoint commitment, ulong value, in Scalar blinding) => PedersenGens.Default.Commit(value, blinding) == commitment;
}
