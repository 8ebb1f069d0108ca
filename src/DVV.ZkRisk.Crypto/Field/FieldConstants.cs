using System.Numerics;

namespace DVV.ZkRisk.Crypto.Field;

/// <summary>
/// Curve25519 / ristretto255 constants, the decimal values printed in RFC 9496 section 4.1 (which fixes
/// which square root is meant). The tests check each against its definition: d = -121665/121666,
/// SQRT_M1^2 = -1, SQRT_AD_MINUS_ONE^2 = a*d - 1, INVSQRT_A_MINUS_D^2 * (a - d) = 1, and so on.
/// </summary>
public static class FieldConstants
{
    public static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    internal static readonly BigInteger DInt = BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555");
    internal static readonly BigInteger SqrtM1Int = BigInteger.Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752");
    internal static readonly BigInteger SqrtAdMinusOneInt = BigInteger.Parse("25063068953384623474111414158702152701244531502492656460079210482610430750235");
    internal static readonly BigInteger InvSqrtAMinusDInt = BigInteger.Parse("54469307008909316920995813868745141605393597292927456921205312896311721017578");
    internal static readonly BigInteger OneMinusDSqInt = BigInteger.Parse("1159843021668779879193775521855586647937357759715417654439879720876111806838");
    internal static readonly BigInteger DMinusOneSqInt = BigInteger.Parse("40440834346308536858101042469323190826248399146238708352240133220865137265952");

    public static readonly FieldElement D = FromBig(DInt);
    public static readonly FieldElement D2 = FromBig(2 * DInt % P);
    public static readonly FieldElement SqrtM1 = FromBig(SqrtM1Int);
    public static readonly FieldElement SqrtAdMinusOne = FromBig(SqrtAdMinusOneInt);
    public static readonly FieldElement InvSqrtAMinusD = FromBig(InvSqrtAMinusDInt);
    public static readonly FieldElement OneMinusDSq = FromBig(OneMinusDSqInt);
    public static readonly FieldElement DMinusOneSq = FromBig(DMinusOneSqInt);

    internal static FieldElement FromBig(BigInteger x)
    {
        var b = new byte[32];
        x.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return FieldElement.FromBytes(b);
    }
}
