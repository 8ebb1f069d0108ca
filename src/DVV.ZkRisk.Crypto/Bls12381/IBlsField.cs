using System.Numerics;
using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// The operations the curve code needs from a coordinate field (<see cref="Fp"/> for G1, <see cref="Fp2"/> for G2),
/// as static abstract members so that generic code over <typeparamref name="T"/> is specialised by the JIT for each
/// struct and calls the field's own (inlined) methods: no interface dispatch, no boxing.
/// Internal: the public surface of Fp and Fp2 is unchanged.
/// </summary>
internal interface IBlsField<T> : IEquatable<T> where T : unmanaged, IBlsField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }

    static abstract T Add(in T a, in T b);
    static abstract T Sub(in T a, in T b);
    static abstract T Double(in T a);
    static abstract T Negate(in T a);
    static abstract T Mul(in T a, in T b);
    static abstract T Square(in T a);
    /// <summary>Inverse; zero maps to zero.</summary>
    static abstract T Invert(in T a);
    /// <summary>b when m is all ones, a when m is zero, without branching on m.</summary>
    static abstract T SelectMask(in T a, in T b, ulong m);
    static abstract bool TrySqrt(in T a, out T root);

    /// <summary>Bytes of the ZCash big-endian encoding of one element (48 for Fp, 96 for Fp2: c1 then c0).</summary>
    static abstract int EncodedLength { get; }
    static abstract void WriteZcash(in T a, Span<byte> dest);
    /// <summary>Parses <see cref="EncodedLength"/> bytes; false when a component is not canonical.</summary>
    static abstract bool TryReadZcash(ReadOnlySpan<byte> src, out T value);

    bool IsZero { get; }
    bool IsOne { get; }
    bool IsLexicographicallyLargest { get; }
}

/// <summary>Algorithms written once for any <see cref="IBlsField{T}"/>.</summary>
internal static class BlsField
{
    /// <summary>a^e for a public non-negative exponent (square and multiply, variable time: used for constants).</summary>
    public static T PowVartime<T>(in T a, BigInteger e) where T : unmanaged, IBlsField<T>
    {
        var r = T.One;
        var b = a;
        while (e > 0)
        {
            if (!e.IsEven) r = T.Mul(r, b);
            b = T.Square(b);
            e >>= 1;
        }
        return r;
    }
}
