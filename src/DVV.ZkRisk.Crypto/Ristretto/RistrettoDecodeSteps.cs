using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Field;

namespace DVV.ZkRisk.Crypto.Ristretto;

/// <summary>
/// RFC 9496 section 4.3.1 (decode) cut around its one expensive step, the power (p - 5)/8 inside
/// SQRT_RATIO_M1(1, v u2^2) (section 4.2): <see cref="Begin"/> runs everything before it, <see cref="Finish"/>
/// everything after. <see cref="RistrettoPoint.Decode"/> computes the power in between with the serial field,
/// <see cref="RistrettoBatchDecoder"/> for four encodings at once in vector lanes; both share these steps.
/// </summary>
internal static class RistrettoDecodeSteps
{
    /// <summary>The values of one decode that the steps after the power need.</summary>
    internal struct State
    {
        public FieldElement S, U1, U2, V, VPrime, V3;
        /// <summary>The base of the power: v'^7 with v' = v u2^2.</summary>
        public FieldElement V7;
    }

    internal enum Check { Ok, NonCanonical, Negative }

    /// <summary>s from the bytes, its checks (canonical, non-negative), then ss, u1, u2, v, v' = v u2^2, v'^3, v'^7.</summary>
    public static Check Begin(ReadOnlySpan<byte> bytes, out State st)
    {
        st = default;
        st.S = FieldElement.FromBytes(bytes);
        Span<byte> canonical = stackalloc byte[32];
        st.S.WriteTo(canonical);
        // Comparing the re-encoding catches both s >= p and a set top bit.
        Check check = !CryptographicOperations.FixedTimeEquals(canonical, bytes) ? Check.NonCanonical
            : st.S.IsNegative() == 1 ? Check.Negative : Check.Ok;
        FieldElement one = FieldElement.One;
        FieldElement ss = FieldElement.Square(st.S);
        st.U1 = one - ss;
        st.U2 = one + ss;
        FieldElement u2Sq = FieldElement.Square(st.U2);
        st.V = -(FieldConstants.D * FieldElement.Square(st.U1)) - u2Sq;
        st.VPrime = st.V * u2Sq;
        st.V3 = FieldElement.Square(st.VPrime) * st.VPrime;
        st.V7 = FieldElement.Square(st.V3) * st.VPrime;
        return check;
    }

    /// <summary>
    /// Given pow = (v'^7)^((p-5)/8): r = v'^3 pow and the sign cases of SQRT_RATIO_M1 with u = 1, then x, y, t and the
    /// final checks (was square, t non-negative, y non-zero). False when the encoding is not a group element.
    /// </summary>
    public static bool Finish(in State st, in FieldElement pow, out EdwardsPoint point)
    {
        FieldElement one = FieldElement.One;
        FieldElement r = st.V3 * pow;
        FieldElement check = st.VPrime * FieldElement.Square(r);
        FieldElement negOne = -one;
        int correctSign = FieldElement.CtEquals(check, one);
        int flippedSign = FieldElement.CtEquals(check, negOne);
        int flippedSignI = FieldElement.CtEquals(check, negOne * FieldConstants.SqrtM1);
        r = FieldElement.Abs(FieldElement.Select(r, FieldConstants.SqrtM1 * r, flippedSign | flippedSignI));
        int wasSquare = correctSign | flippedSign;

        FieldElement denX = r * st.U2;
        FieldElement denY = r * denX * st.V;
        FieldElement x = FieldElement.Abs((st.S + st.S) * denX);
        FieldElement y = st.U1 * denY;
        FieldElement t = x * y;
        point = new EdwardsPoint(x, y, one, t);
        return (wasSquare == 1) & (t.IsNegative() == 0) & (y.IsZero() == 0);
    }
}
