namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// [s]P in constant time on the 4-way AVX2 backend (<see cref="ExtendedPoint4"/>): the same schedule as
/// <see cref="ScalarMul.ConstantTimeSerial"/> (signed radix-16 digits in [-8, 8), a table of [1..8]P read by
/// masked scan, four doublings and one addition per digit), each point operation one or two 4-way products.
/// Callers check <c>Avx2.IsSupported</c>.
/// </summary>
internal static class ScalarMulAvx2
{
    public static EdwardsPoint ConstantTime(in EdwardsPoint p, in Scalar s)
    {
        LookupTable8x4 table = LookupTable8x4.Create(ExtendedPoint4.FromEdwards(p));
        Span<sbyte> digits = stackalloc sbyte[64];
        s.ToRadix16(digits);
        // Results go through out parameters (in place): the JIT copies returned 320-byte structs with a helper call.
        ExtendedPoint4 q = ExtendedPoint4.Identity;
        table.Select(digits[63], out CachedPoint4 t);
        ExtendedPoint4.Add(q, t, out q);
        for (int i = 62; i >= 0; i--)
        {
            ExtendedPoint4.Double(q, out q);
            ExtendedPoint4.Double(q, out q);
            ExtendedPoint4.Double(q, out q);
            ExtendedPoint4.Double(q, out q);
            table.Select(digits[i], out t);
            ExtendedPoint4.Add(q, t, out q);
        }
        digits.Clear();
        return q.ToEdwards();
    }
}
