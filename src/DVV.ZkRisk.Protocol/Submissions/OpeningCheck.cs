using DVV.ZkRisk.Crypto;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>Whether Pedersen openings (v_i, r_i) open commitments C_i = v_i B + r_i B~, in one random-weighted check.</summary>
internal static class OpeningCheck
{
    /// <summary>
    /// Sum_i w_i C_i == (Sum_i w_i v_i) B + (Sum_i w_i r_i) B~ for fresh random weights w_i: if any opening is wrong the
    /// equation holds with probability at most 1/l over the weights (a linear combination of nonzero differences). The
    /// commitments are public, so their side is a variable-time MSM; the secret sums go through the constant-time
    /// commitment.
    /// </summary>
    public static bool Batch(ReadOnlySpan<RistrettoPoint> commitments, ReadOnlySpan<ulong> values, ReadOnlySpan<Scalar> blindings)
    {
        int n = commitments.Length;
        if (values.Length != n || blindings.Length != n) throw new ArgumentException("commitments, values and blindings differ in length");
        var w = new Scalar[n];
        Scalar a = Scalar.Zero, b = Scalar.Zero;
        for (int i = 0; i < n; i++)
        {
            w[i] = Scalar.Random();
            a += w[i] * Scalar.FromUInt64(values[i]);
            b += w[i] * blindings[i];
        }
        return MultiscalarMul.Vartime(w, commitments) == PedersenGens.Default.Commit(a, b);
    }

    /// <summary>The opening of one commitment (constant time in the secret value and blinding).</summary>
    public static bool Opens(in RistrettoPoint commitment, ulong value, in Scalar blinding) => PedersenGens.Default.Commit(value, blinding) == commitment;
}
