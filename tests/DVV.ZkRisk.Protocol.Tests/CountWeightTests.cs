using System.Numerics;
using System.Security.Cryptography;
using DVV.ZkRisk.Protocol.Sealing;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// The count weight chi of sum.v3 (circuits/sum.v3.json): an LSV cell's sum opens to LSV + chi n, so a claim (A, n')
/// passes only if A - LSV = chi (n - n') mod l. The soundness argument needs the 2-D lattice {(c, v): v = chi c mod l} to
/// have no non-zero vector with |c| &lt; 2^32 and |v| &lt; 2^64; Gauss-Lagrange reduction gives its shortest vector exactly.
/// </summary>
public sealed class CountWeightTests
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    [Fact]
    public void Chi_is_the_labels_sha512_reduced_mod_l()
    {
        var h = SHA512.HashData(System.Text.Encoding.ASCII.GetBytes(CountWeight.Label));
        var expect = BigInteger.Remainder(new BigInteger(h, isUnsigned: true, isBigEndian: false), L);
        Assert.Equal(expect, new BigInteger(CountWeight.Chi.ToBytes(), isUnsigned: true, isBigEndian: false));
    }

    [Fact]
    public void The_count_lattice_has_no_vector_short_enough_to_fake_a_count()
    {
        var chi = new BigInteger(CountWeight.Chi.ToBytes(), isUnsigned: true, isBigEndian: false);
        // basis (1, chi), (0, l); Gauss-Lagrange reduction returns the shortest non-zero vector of the lattice
        (BigInteger C, BigInteger V) b1 = (1, chi), b2 = (0, L);
        static BigInteger N(in (BigInteger C, BigInteger V) x) => x.C * x.C + x.V * x.V;
        if (N(b1) > N(b2)) (b1, b2) = (b2, b1);
        while (true)
        {
            var dot = b1.C * b2.C + b1.V * b2.V;
            // mu = round(dot / |b1|^2) = floor((2 dot + |b1|^2) / (2 |b1|^2))
            BigInteger num = 2 * dot + N(b1), den = 2 * N(b1);
            var mu = BigInteger.DivRem(num, den, out var rem);
            if (rem < 0) mu -= 1;
            b2 = (b2.C - mu * b1.C, b2.V - mu * b1.V);
            if (N(b2) >= N(b1)) break;
            (b1, b2) = (b2, b1);
        }
        Assert.True(N(b1) > 0);
        // every vector of a fake claim has |c| < 2^32, |v| < 2^64: norm^2 < 2^128 + 2^64, far below the shortest's
        Assert.True(N(b1) > BigInteger.Pow(2, 250), $"shortest vector norm^2 2^{BigInteger.Log(N(b1), 2):0.00}");
        Assert.Equal((chi * b1.C - b1.V) % L, BigInteger.Zero);   // it is a lattice vector
    }
}
