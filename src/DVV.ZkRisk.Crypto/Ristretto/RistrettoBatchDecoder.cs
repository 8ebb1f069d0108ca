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
        FieldElement2625x4.PowP58(x, out var pow);
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
}
