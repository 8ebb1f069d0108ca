using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>Branch-free multi-precision helpers on 64-bit limbs shared by <see cref="Fp"/> and <see cref="BlsScalar"/>.</summary>
internal static class Limbs
{
    /// <summary>Returns the low word of a*b + c + carry and leaves the high word in carry. Never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        lo += c;
        hi += lo < c ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    /// <summary>a + b + carry (carry in {0,1}); carry out in {0,1}, computed without branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddC(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b + carry;
        carry = ((a & b) | ((a | b) & ~s)) >> 63;
        return s;
    }

    /// <summary>a - b - borrow (borrow in {0,1}); borrow out in {0,1}, computed without branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubB(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b - borrow;
        borrow = ((~a & b) | (~(a ^ b) & d)) >> 63;
        return d;
    }
}
