using System.Buffers;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// One part of <see cref="ConstantTimeStraus"/> on the 4-way AVX2 backend: the same signed radix-16 digits and
/// chain (4 doublings per position, then one table read and one addition per point, zero digits adding the
/// identity), with the accumulator an <see cref="ExtendedPoint4"/>, dynamic points' [1..8]P in a
/// <see cref="LookupTable8x4"/> (2.5 KiB per point and call) and the fixed generators' [1..8]G read with
/// <see cref="CtAffineTable.Select4"/>. Both reads scan every entry under masks, the vector group law has no
/// branches, so work and memory accesses depend only on the sizes, never on the secret digits.
/// Callers check <c>Avx2.IsSupported</c>.
/// </summary>
internal static class ConstantTimeStrausAvx2
{
    public static EdwardsPoint Part(ReadOnlySpan<Scalar> dynScalars, ReadOnlySpan<RistrettoPoint> dynPoints,
        ReadOnlySpan<Scalar> statScalars, ReadOnlySpan<CtAffineTable> tables)
    {
        int nd = dynScalars.Length, ns = statScalars.Length, n = nd + ns;
        if (n == 0) return EdwardsPoint.Identity;
        var dynTables = ArrayPool<LookupTable8x4>.Shared.Rent(Math.Max(1, nd));
        var digits = ArrayPool<sbyte>.Shared.Rent(n * 64);
        try
        {
            for (int i = 0; i < nd; i++)
            {
                dynTables[i] = LookupTable8x4.Create(ExtendedPoint4.FromEdwards(dynPoints[i].Inner));
                dynScalars[i].ToRadix16(digits.AsSpan(i * 64, 64));
            }
            for (int i = 0; i < ns; i++) statScalars[i].ToRadix16(digits.AsSpan((nd + i) * 64, 64));

            ExtendedPoint4 q = ExtendedPoint4.Identity;
            CachedPoint4 e;
            for (int j = 63; j >= 0; j--)
            {
                if (j != 63)
                {
                    ExtendedPoint4.Double(q, out q);
                    ExtendedPoint4.Double(q, out q);
                    ExtendedPoint4.Double(q, out q);
                    ExtendedPoint4.Double(q, out q);
                }
                for (int i = 0; i < nd; i++)
                {
                    dynTables[i].Select(digits[i * 64 + j], out e);
                    ExtendedPoint4.Add(q, e, out q);
                }
                for (int i = 0; i < ns; i++)
                {
                    tables[i].Select4(digits[(nd + i) * 64 + j], out e);
                    ExtendedPoint4.Add(q, e, out q);
                }
            }
            return q.ToEdwards();
        }
        finally
        {
            // The digits are the secret scalars in another form, the tables multiples of secret-weighted points:
            // wipe the digits before the buffer is reused.
            Array.Clear(digits, 0, n * 64);
            ArrayPool<sbyte>.Shared.Return(digits);
            ArrayPool<LookupTable8x4>.Shared.Return(dynTables);
        }
    }
}
