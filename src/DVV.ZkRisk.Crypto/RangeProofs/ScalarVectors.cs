namespace DVV.ZkRisk.Crypto;

/// <summary>Small scalar-vector helpers used by the Bulletproofs prover and verifier (no LINQ: they sit in hot loops).</summary>
internal static class ScalarVectors
{
    public static Scalar InnerProduct(ReadOnlySpan<Scalar> a, ReadOnlySpan<Scalar> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("inner product of vectors of different lengths");
        Scalar acc = Scalar.Zero;
        for (int i = 0; i < a.Length; i++) acc += a[i] * b[i];
        return acc;
    }

    /// <summary>1, x, x^2, ..., x^(n-1).</summary>
    public static void Powers(in Scalar x, Span<Scalar> dst)
    {
        Scalar p = Scalar.One;
        for (int i = 0; i < dst.Length; i++) { dst[i] = p; p *= x; }
    }

    /// <summary>
    /// 1 + x + ... + x^(n-1). For n a power of two, by doubling: S_2k = S_k (1 + x^k), 2 lg(n) multiplications
    /// instead of n (public values only: the loop length depends on n).
    /// </summary>
    public static Scalar SumOfPowers(in Scalar x, int n)
    {
        if (n > 0 && (n & (n - 1)) == 0)
        {
            Scalar sum = Scalar.One, xk = x;
            for (int k = 1; k < n; k *= 2)
            {
                sum += sum * xk;
                xk *= xk;
            }
            return sum;
        }
        return SumOfPowersSerial(x, n);
    }

    /// <summary>1 + x + ... + x^(n-1) term by term (any n).</summary>
    public static Scalar SumOfPowersSerial(in Scalar x, int n)
    {
        Scalar acc = Scalar.Zero, p = Scalar.One;
        for (int i = 0; i < n; i++) { acc += p; p *= x; }
        return acc;
    }
}
