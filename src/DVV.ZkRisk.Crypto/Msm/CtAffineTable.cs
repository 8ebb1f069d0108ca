using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Precomputed [1]G..[8]G of a fixed generator in affine Niels form for the constant-time Straus MSM: the prover's
/// S commitment and first inner-product round multiply the fixed G_i, H_i by secret scalars. Against a per-call
/// <see cref="LookupTable8"/> this saves building the table (7 additions per point and call) and one field
/// multiplication per addition (mixed addition, Z = 1). The read is the same masked scan of all eight entries
/// (no secret-dependent index or branch), on 256-bit vectors; each entry is padded to 16 limbs (128 bytes).
/// Memory: 1 KiB per generator, plus 1.25 KiB for the packed 4-way form (<see cref="Select4"/>) once it is used.
/// </summary>
internal sealed class CtAffineTable
{
    private const int Stride = 16;
    private readonly ulong[] _limbs = new ulong[8 * Stride];
    private uint[]? _packed;

    public CtAffineTable(in EdwardsPoint p)
    {
        Span<EdwardsPoint> multiples = stackalloc EdwardsPoint[8];
        multiples[0] = p;
        var pn = p.ToProjectiveNiels();
        for (int j = 1; j < 8; j++) multiples[j] = EdwardsPoint.Add(multiples[j - 1], pn);
        Span<AffineNielsPoint> affine = stackalloc AffineNielsPoint[8];
        AffineBatch.ToAffineNiels(multiples, affine);
        for (int j = 0; j < 8; j++)
        {
            Write(affine[j].YPlusX, j * Stride);
            Write(affine[j].YMinusX, j * Stride + 5);
            Write(affine[j].XY2d, j * Stride + 10);
        }
    }

    /// <summary>
    /// [1]G..[8]G as packed cached points (<see cref="PackedCachedPoint4"/>, entry j-1 at words [40(j-1), 40 j)),
    /// built on first use from the affine entries. Two threads may both build it; the arrays are equal.
    /// </summary>
    private uint[] Packed => _packed ??= BuildPacked();

    private uint[] BuildPacked()
    {
        var words = new uint[8 * PackedCachedPoint4.Words];
        for (int j = 0; j < 8; j++)
        {
            int o = j * Stride;
            var yPlusX = new FieldElement(_limbs[o], _limbs[o + 1], _limbs[o + 2], _limbs[o + 3], _limbs[o + 4]);
            var yMinusX = new FieldElement(_limbs[o + 5], _limbs[o + 6], _limbs[o + 7], _limbs[o + 8], _limbs[o + 9]);
            var xy2d = new FieldElement(_limbs[o + 10], _limbs[o + 11], _limbs[o + 12], _limbs[o + 13], _limbs[o + 14]);
            var cached = PackedCachedPoint4.FromAffineNiels(new AffineNielsPoint(yPlusX, yMinusX, xy2d));
            PackedCachedPoint4.Pack(cached, words.AsSpan(j * PackedCachedPoint4.Words, PackedCachedPoint4.Words));
        }
        return words;
    }

    /// <summary>
    /// [digit]G for digit in [-8, 8] in the 4-way cached form, constant time: all eight packed entries are loaded
    /// (8 * 160 bytes) and combined under masks that are all ones exactly for entry |digit|; the
    /// identity (1, 1, 0, 2) is the start value and is kept when digit = 0; the sign is applied by a masked
    /// negation. No memory index or branch depends on the digit. Requires AVX2.
    /// </summary>
    public void Select4(int digit, out CachedPoint4 r)
    {
        int signMask = digit >> 31;
        int abs = (digit + signMask) ^ signMask;
        ulong zeroMask = (ulong)(long)(((abs | -abs) >> 31) ^ -1);
        // Packed words of the identity, masked: limb 0 lanes (1, 1, 0, 2), every other limb 0.
        Vector128<uint> l0 = Vector128.Create(1u, 1u, 0u, 2u) & Vector128.Create((uint)zeroMask);
        Vector128<uint> l1 = default, l2 = default, l3 = default, l4 = default, l5 = default, l6 = default, l7 = default, l8 = default, l9 = default;
        ref uint baseRef = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(Packed);
        for (int j = 1; j <= 8; j++)
        {
            Vector128<uint> m = Vector128.Create((uint)(((abs ^ j) - 1) >> 31));
            nuint o = (nuint)((j - 1) * PackedCachedPoint4.Words);
            l0 |= Vector128.LoadUnsafe(ref baseRef, o) & m;
            l1 |= Vector128.LoadUnsafe(ref baseRef, o + 4) & m;
            l2 |= Vector128.LoadUnsafe(ref baseRef, o + 8) & m;
            l3 |= Vector128.LoadUnsafe(ref baseRef, o + 12) & m;
            l4 |= Vector128.LoadUnsafe(ref baseRef, o + 16) & m;
            l5 |= Vector128.LoadUnsafe(ref baseRef, o + 20) & m;
            l6 |= Vector128.LoadUnsafe(ref baseRef, o + 24) & m;
            l7 |= Vector128.LoadUnsafe(ref baseRef, o + 28) & m;
            l8 |= Vector128.LoadUnsafe(ref baseRef, o + 32) & m;
            l9 |= Vector128.LoadUnsafe(ref baseRef, o + 36) & m;
        }
        r.V.L0 = Avx2.ConvertToVector256Int64(l0).AsUInt64();
        r.V.L1 = Avx2.ConvertToVector256Int64(l1).AsUInt64();
        r.V.L2 = Avx2.ConvertToVector256Int64(l2).AsUInt64();
        r.V.L3 = Avx2.ConvertToVector256Int64(l3).AsUInt64();
        r.V.L4 = Avx2.ConvertToVector256Int64(l4).AsUInt64();
        r.V.L5 = Avx2.ConvertToVector256Int64(l5).AsUInt64();
        r.V.L6 = Avx2.ConvertToVector256Int64(l6).AsUInt64();
        r.V.L7 = Avx2.ConvertToVector256Int64(l7).AsUInt64();
        r.V.L8 = Avx2.ConvertToVector256Int64(l8).AsUInt64();
        r.V.L9 = Avx2.ConvertToVector256Int64(l9).AsUInt64();
        r.ConditionalNegateInPlace(Vector256.Create((ulong)(long)signMask));
    }

    private void Write(in FieldElement f, int o)
    {
        _limbs[o] = f.L0; _limbs[o + 1] = f.L1; _limbs[o + 2] = f.L2; _limbs[o + 3] = f.L3; _limbs[o + 4] = f.L4;
    }

    /// <summary>[digit]G for digit in [-8, 8], constant time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AffineNielsPoint Select(int digit)
    {
        int signMask = digit >> 31;
        int abs = (digit + signMask) ^ signMask;
        ulong v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14;
        if (Vector256.IsHardwareAccelerated)
        {
            // Identity (1, 1, 0) masked by abs == 0, then entry j masked by abs == j.
            ulong zeroMask = (ulong)(long)(((abs | -abs) >> 31) ^ -1);
            Vector256<ulong> m0 = Vector256.Create(zeroMask);
            Vector256<ulong> a = Vector256.Create(1UL, 0, 0, 0) & m0;      // limbs 0-3: YPlusX[0..4)
            Vector256<ulong> b = Vector256.Create(0UL, 1, 0, 0) & m0;      // YPlusX[4], YMinusX[0..3)
            Vector256<ulong> c = Vector256<ulong>.Zero;                    // YMinusX[3..5), XY2d[0..2)
            Vector256<ulong> d = Vector256<ulong>.Zero;                    // XY2d[2..5), padding
            ref ulong baseRef = ref _limbs[0];
            for (int j = 1; j <= 8; j++)
            {
                Vector256<ulong> m = Vector256.Create((ulong)(long)(((abs ^ j) - 1) >> 31));
                nuint o = (nuint)((j - 1) * Stride);
                a |= Vector256.LoadUnsafe(ref baseRef, o) & m;
                b |= Vector256.LoadUnsafe(ref baseRef, o + 4) & m;
                c |= Vector256.LoadUnsafe(ref baseRef, o + 8) & m;
                d |= Vector256.LoadUnsafe(ref baseRef, o + 12) & m;
            }
            v0 = a[0]; v1 = a[1]; v2 = a[2]; v3 = a[3];
            v4 = b[0]; v5 = b[1]; v6 = b[2]; v7 = b[3];
            v8 = c[0]; v9 = c[1]; v10 = c[2]; v11 = c[3];
            v12 = d[0]; v13 = d[1]; v14 = d[2];
        }
        else
        {
            ulong zm = (ulong)(long)(((abs | -abs) >> 31) ^ -1);
            v0 = 1 & zm; v5 = 1 & zm;
            v1 = v2 = v3 = v4 = v6 = v7 = v8 = v9 = v10 = v11 = v12 = v13 = v14 = 0;
            for (int j = 1; j <= 8; j++)
            {
                ulong m = (ulong)(long)(((abs ^ j) - 1) >> 31);
                int o = (j - 1) * Stride;
                v0 |= _limbs[o] & m; v1 |= _limbs[o + 1] & m; v2 |= _limbs[o + 2] & m; v3 |= _limbs[o + 3] & m; v4 |= _limbs[o + 4] & m;
                v5 |= _limbs[o + 5] & m; v6 |= _limbs[o + 6] & m; v7 |= _limbs[o + 7] & m; v8 |= _limbs[o + 8] & m; v9 |= _limbs[o + 9] & m;
                v10 |= _limbs[o + 10] & m; v11 |= _limbs[o + 11] & m; v12 |= _limbs[o + 12] & m; v13 |= _limbs[o + 13] & m; v14 |= _limbs[o + 14] & m;
            }
        }
        var r = new AffineNielsPoint(new FieldElement(v0, v1, v2, v3, v4), new FieldElement(v5, v6, v7, v8, v9), new FieldElement(v10, v11, v12, v13, v14));
        return r.ConditionalNegate(signMask & 1);
    }
}
