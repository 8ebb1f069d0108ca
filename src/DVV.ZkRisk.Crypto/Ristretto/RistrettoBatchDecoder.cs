using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Decodes many ristretto255 encodings (RFC 9496 section 4.3.1) four at a time. Nearly all of a decode is the
/// exponentiation to (p - 5)/8 inside SQRT_RATIO_M1 (section 4.2): 252 squarings and 11 multiplications. Here
/// that chain runs on four encodings at once in the lanes of <see cref="FieldElement2625x4"/>; the few
/// operations before and after it stay serial per encoding. An epoch verifier decodes millions of
/// commitments, so this is its largest single cost.
///
/// The work is variable time only in which encodings are valid (encodings are public); the values are
/// handled with the same constant-time field code as <see cref="RistrettoPoint.Decode"/>. Results equal that
/// method's exactly (same Edwards representative, Z = 1), which the tests check on valid and invalid inputs.
/// </summary>
public static class RistrettoBatchDecoder
{
    /// <summary>The 4-way path needs AVX2; otherwise each encoding is decoded on its own.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>
    /// Decodes encodings.Length / 32 points into <paramref name="points"/>; <paramref name="valid"/>[i] tells whether
    /// encoding i was a canonical encoding of a group element (invalid slots hold the identity). Returns the number of
    /// valid encodings.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> encodings, Span<RistrettoPoint> points, Span<bool> valid)
    {
        if (encodings.Length % 32 != 0) throw new ArgumentException("encodings must be a whole number of 32-byte points", nameof(encodings));
        int n = encodings.Length / 32;
        if (points.Length < n || valid.Length < n) throw new ArgumentException("output spans are shorter than the input");
        int ok = 0;
        int i = 0;
        if (IsAccelerated)
            for (; i + 4 <= n; i += 4) ok += Decode4(encodings.Slice(32 * i, 128), points.Slice(i, 4), valid.Slice(i, 4));
        for (; i < n; i++)
        {
            valid[i] = RistrettoPoint.TryDecode(encodings.Slice(32 * i, 32), out points[i]);
            if (!valid[i]) points[i] = RistrettoPoint.Identity;
            else ok++;
        }
        return ok;
    }

    private static int Decode4(ReadOnlySpan<byte> enc, Span<RistrettoPoint> points, Span<bool> valid)
    {
        Span<RistrettoDecodeSteps.State> lanes = stackalloc RistrettoDecodeSteps.State[4];
        Span<bool> prefixOk = stackalloc bool[4];
        for (int k = 0; k < 4; k++)
            prefixOk[k] = RistrettoDecodeSteps.Begin(enc.Slice(32 * k, 32), out lanes[k]) == RistrettoDecodeSteps.Check.Ok;

        // (v'^7)^((p-5)/8) for the four lanes at once.
        var x = FieldElement2625x4.FromFieldElements(lanes[0].V7, lanes[1].V7, lanes[2].V7, lanes[3].V7);
        PowP58(x, out var pow);
        pow.Split(out var p0, out var p1, out var p2, out var p3);

        int count = 0;
        for (int k = 0; k < 4; k++)
        {
            FieldElement pk = k switch { 0 => p0, 1 => p1, 2 => p2, _ => p3 };
            bool ok = RistrettoDecodeSteps.Finish(lanes[k], pk, out var p) & prefixOk[k];
            valid[k] = ok;
            points[k] = ok ? new RistrettoPoint(p) : RistrettoPoint.Identity;
            if (ok) count++;
        }
        return count;
    }

    /// <summary>x^(2^252 - 3) lane-wise, the addition chain of <see cref="FieldElement.PowP58"/> (2^250 - 1 first, then two squarings and x).</summary>
    private static void PowP58(in FieldElement2625x4 x, out FieldElement2625x4 r)
    {
        FieldElement2625x4.Square(x, out var t0);                 // 2
        SquareTimes(t0, 2, out var t1);                           // 8
        FieldElement2625x4.Mul(x, t1, out var t2);                // 9
        FieldElement2625x4.Mul(t0, t2, out var t3);               // 11
        FieldElement2625x4.Square(t3, out var t4);                // 22
        FieldElement2625x4.Mul(t2, t4, out var t5);               // 2^5 - 1
        SquareTimes(t5, 5, out var t6);
        FieldElement2625x4.Mul(t6, t5, out var t7);               // 2^10 - 1
        SquareTimes(t7, 10, out var t8);
        FieldElement2625x4.Mul(t8, t7, out var t9);               // 2^20 - 1
        SquareTimes(t9, 20, out var t10);
        FieldElement2625x4.Mul(t10, t9, out var t11);             // 2^40 - 1
        SquareTimes(t11, 10, out var t12);
        FieldElement2625x4.Mul(t12, t7, out var t13);             // 2^50 - 1
        SquareTimes(t13, 50, out var t14);
        FieldElement2625x4.Mul(t14, t13, out var t15);            // 2^100 - 1
        SquareTimes(t15, 100, out var t16);
        FieldElement2625x4.Mul(t16, t15, out var t17);            // 2^200 - 1
        SquareTimes(t17, 50, out var t18);
        FieldElement2625x4.Mul(t18, t13, out var t19);            // 2^250 - 1
        SquareTimes(t19, 2, out var t20);                         // 2^252 - 4
        FieldElement2625x4.Mul(t20, x, out r);                    // 2^252 - 3
    }

    private static void SquareTimes(in FieldElement2625x4 a, int k, out FieldElement2625x4 r)
    {
        FieldElement2625x4.Square(a, out r);
        for (int i = 1; i < k; i++) FieldElement2625x4.Square(r, out r);
    }
}
