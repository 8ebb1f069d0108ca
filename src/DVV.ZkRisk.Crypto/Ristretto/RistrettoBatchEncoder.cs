using System.Runtime.Intrinsics.X86;
using DVV.ZkRisk.Crypto.Field;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Encodes many ristretto255 points (RFC 9496 section 4.3.2) four at a time, the mirror of
/// <see cref="RistrettoBatchDecoder"/>: nearly all of an encoding is the exponentiation to (p - 5)/8 inside the inverse
/// square root of u1 u2^2, and here that chain runs on four points at once in the lanes of
/// <see cref="FieldElement2625x4"/>. A verifier encodes the points it derives (the range-proof transcript binds
/// C - Z and B - Z, which arrived as nobody's bytes), so this is one of the gateway's per-submission costs.
/// Constant time in the points, like <see cref="RistrettoPoint.WriteTo"/>, whose bytes it reproduces exactly.
/// </summary>
public static class RistrettoBatchEncoder
{
    /// <summary>Writes the 32-byte encodings of <paramref name="points"/> back to back into <paramref name="dst"/>.</summary>
    public static void Encode(ReadOnlySpan<RistrettoPoint> points, Span<byte> dst)
    {
        int n = points.Length;
        if (dst.Length < 32 * n) throw new ArgumentException($"needs {32 * n} bytes, got {dst.Length}", nameof(dst));
        int i = 0;
        if (Avx2.IsSupported)
            for (; i + 4 <= n; i += 4) Encode4(points.Slice(i, 4), dst.Slice(32 * i, 128));
        for (; i < n; i++) points[i].WriteTo(dst.Slice(32 * i, 32));
    }

    /// <summary>The encodings of <paramref name="points"/> as one array (32 bytes each).</summary>
    public static byte[] Encode(ReadOnlySpan<RistrettoPoint> points)
    {
        var dst = new byte[32 * points.Length];
        Encode(points, dst);
        return dst;
    }

    private static void Encode4(ReadOnlySpan<RistrettoPoint> p, Span<byte> dst)
    {
        Span<FieldElement> u1 = stackalloc FieldElement[4], u2 = stackalloc FieldElement[4], v = stackalloc FieldElement[4], v3 = stackalloc FieldElement[4];
        Span<FieldElement> v7 = stackalloc FieldElement[4];
        for (int k = 0; k < 4; k++)
        {
            v[k] = p[k].EncodeRadicand(out u1[k], out u2[k]);
            v3[k] = FieldElement.Square(v[k]) * v[k];
            v7[k] = FieldElement.Square(v3[k]) * v[k];   // u v^7 with u = 1 (SQRT_RATIO_M1(1, v), section 4.2)
        }
        FieldElement2625x4.PowP58(FieldElement2625x4.FromFieldElements(v7[0], v7[1], v7[2], v7[3]), out var pow);
        pow.Split(out var p0, out var p1, out var p2, out var p3);
        for (int k = 0; k < 4; k++)
        {
            FieldElement pk = k switch { 0 => p0, 1 => p1, 2 => p2, _ => p3 };
            var (_, invSqrt) = FieldElement.SqrtRatioM1Finish(FieldElement.One, v[k], v3[k], pk);
            p[k].EncodeFinish(dst.Slice(32 * k, 32), u1[k], u2[k], invSqrt);
        }
    }
}
