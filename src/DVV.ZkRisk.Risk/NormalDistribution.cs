using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Standard normal N(x) and density phi(x). N is computed as erfc(-x/sqrt 2)/2 with MathNet's erfc,
/// which keeps full relative precision deep in the lower tail (N(-37) ~ 6e-300): the implied-vol
/// solver depends on that for far out-of-the-money, short-dated quotes.
/// </summary>
public static class NormalDistribution
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);
}
