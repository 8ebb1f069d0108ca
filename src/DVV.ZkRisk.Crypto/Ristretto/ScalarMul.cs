using System.Runtime.Intrinsics.X86;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>Single-point scalar multiplication: constant time for secret scalars, wNAF for public ones.</summary>
internal static class ScalarMul
{
    /// <summary>
    /// [s]P in constant time: the 4-way AVX2 backend (<see cref="ScalarMulAvx2"/>) where the CPU has AVX2,
    /// otherwise the serial <see cref="ConstantTimeSerial"/>. Both return the same group element (the tests
    /// compare their encodings); the choice depends only on the CPU, never on the inputs.
    /// </summary>
    public static EdwardsPoint ConstantTime(in EdwardsPoint p, in Scalar s)
        => Avx2.IsSupported ? ScalarMulAvx2.ConstantTime(p, s) : ConstantTimeSerial(p, s);

    /// <summary>
    /// [s]P in constant time: signed radix-16 digits (64 of them, in [-8, 8)), a table of [1..8]P read by
    /// masked scan, four doublings and one addition per digit. The work is the same for every scalar.
    /// </summary>
    public static EdwardsPoint ConstantTimeSerial(in EdwardsPoint p, in Scalar s)
    {
        LookupTable8 table = LookupTable8.Create(p);
        Span<sbyte> digits = stackalloc sbyte[64];
        s.ToRadix16(digits);
        EdwardsPoint q = EdwardsPoint.Identity;
        q = EdwardsPoint.Add(q, table.Select(digits[63]));
        for (int i = 62; i >= 0; i--)
        {
            q = q.MulByPow2(4);
            q = EdwardsPoint.Add(q, table.Select(digits[i]));
        }
        digits.Clear();
        return q;
    }

    /// <summary>[s]B in constant time through the precomputed basepoint table.</summary>
    public static EdwardsPoint BaseConstantTime(in Scalar s) => BasepointTable.Table.Mul(s);

    /// <summary>[a]A + [b]B in variable time (public scalars only): width-5 NAF for A, width-8 NAF over the static odd-multiple table of B.</summary>
    public static EdwardsPoint VartimeDoubleBase(in Scalar a, in EdwardsPoint A, in Scalar b)
    {
        Span<sbyte> aNaf = stackalloc sbyte[256];
        Span<sbyte> bNaf = stackalloc sbyte[256];
        a.ToNaf(aNaf, 5);
        b.ToNaf(bNaf, 8);
        Span<ProjectiveNielsPoint> oddA = stackalloc ProjectiveNielsPoint[8];
        OddMultiples(A, oddA);
        var oddB = BasepointTable.OddMultiples;

        int i = 255;
        while (i >= 0 && aNaf[i] == 0 && bNaf[i] == 0) i--;
        ProjectivePoint r = EdwardsPoint.Identity.ToProjective();
        for (; i >= 0; i--)
        {
            CompletedPoint t = r.Double();
            if (aNaf[i] > 0) t = CompletedPoint.Add(t.ToExtended(), oddA[aNaf[i] / 2]);
            else if (aNaf[i] < 0) t = CompletedPoint.Sub(t.ToExtended(), oddA[-aNaf[i] / 2]);
            if (bNaf[i] > 0) t = CompletedPoint.Add(t.ToExtended(), oddB[bNaf[i] / 2]);
            else if (bNaf[i] < 0) t = CompletedPoint.Sub(t.ToExtended(), oddB[-bNaf[i] / 2]);
            r = t.ToProjective();
        }
        return new EdwardsPoint(r.X * r.Z, r.Y * r.Z, r.Z * r.Z, r.X * r.Y);
    }

    /// <summary>Fills [P, 3P, 5P, ...] (one entry per slot of <paramref name="dst"/>).</summary>
    public static void OddMultiples(in EdwardsPoint p, Span<ProjectiveNielsPoint> dst)
    {
        var p2 = p.Double().ToProjectiveNiels();
        EdwardsPoint acc = p;
        dst[0] = p.ToProjectiveNiels();
        for (int i = 1; i < dst.Length; i++)
        {
            acc = EdwardsPoint.Add(acc, p2);
            dst[i] = acc.ToProjectiveNiels();
        }
    }
}
