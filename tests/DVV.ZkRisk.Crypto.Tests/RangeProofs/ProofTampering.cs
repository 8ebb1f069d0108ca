using System.Numerics;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// Malformed and tampered variants of a serialized dalek-layout range proof:
/// A, S, T_1, T_2, t_x, t_x_blinding, e_blinding, (L_i, R_i) for i &lt; lg(n*m), a, b — 32 bytes each.
/// </summary>
public static class ProofTampering
{
    public static string[] ElementNames(int nm)
    {
        int lg = BitOperations.Log2((uint)nm);
        var names = new List<string> { "A", "S", "T_1", "T_2", "t_x", "t_x_blinding", "e_blinding" };
        for (int i = 0; i < lg; i++) { names.Add($"L_{i}"); names.Add($"R_{i}"); }
        names.Add("a"); names.Add("b");
        return names.ToArray();
    }

    public static bool IsScalar(string name) => name is "t_x" or "t_x_blinding" or "e_blinding" or "a" or "b";

    /// <summary>Every element tampered several ways, plus truncations and paddings. None of them is a valid proof.</summary>
    public static IEnumerable<(string What, byte[] Bytes)> Variants(byte[] proof, int nm)
    {
        var names = ElementNames(nm);
        if (proof.Length != 32 * names.Length) throw new ArgumentException($"proof is {proof.Length} bytes, expected {32 * names.Length} for n*m={nm}");
        byte[] otherPoint = RistrettoPoint.Basepoint.ToBytes();
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i];
            yield return ($"{name}: low bit flipped", With(proof, i, e => e[0] ^= 1));
            yield return ($"{name}: byte 17 changed", With(proof, i, e => e[17] ^= 0x40));
            if (IsScalar(name))
            {
                // the same residue, non-canonical encoding (value + l < 2^255): a strict decoder must refuse it
                yield return ($"{name}: non-canonical (+l)", With(proof, i, e =>
                {
                    var v = new BigInteger(e, isUnsigned: true, isBigEndian: false) + Scalar.Order;
                    Array.Clear(e);
                    v.ToByteArray(isUnsigned: true, isBigEndian: false).CopyTo(e, 0);
                }));
                yield return ($"{name}: zero", With(proof, i, e => Array.Clear(e)));
            }
            else
            {
                yield return ($"{name}: identity", With(proof, i, e => Array.Clear(e)));
                yield return ($"{name}: another valid point", With(proof, i, e =>
                {
                    if (e.AsSpan().SequenceEqual(otherPoint)) RistrettoPoint.Basepoint.Double().ToBytes().CopyTo(e, 0);
                    else otherPoint.CopyTo(e, 0);
                }));
            }
        }
        // swapping two L/R entries keeps every element valid but breaks the transcript
        if (names.Length > 11) yield return ("L_0 and R_0 exchanged", Swap(proof, 7, 8));
        yield return ("A and S exchanged", Swap(proof, 0, 1));
        yield return ("truncated by 1 byte", proof[..^1]);
        yield return ("truncated by 32 bytes", proof[..^32]);
        yield return ("truncated by 64 bytes (one L/R pair fewer)", proof[..^64]);
        yield return ("padded by 1 byte", [.. proof, 0]);
        yield return ("padded by 32 bytes", [.. proof, .. new byte[32]]);
        yield return ("an extra L/R pair (64 bytes inserted before a, b)", [.. proof[..^64], .. otherPoint, .. otherPoint, .. proof[^64..]]);
        yield return ("empty", []);
        yield return ("only the first 7 elements", proof[..(7 * 32)]);
    }

    private static byte[] With(byte[] proof, int element, Action<byte[]> change)
    {
        var copy = (byte[])proof.Clone();
        var e = copy.AsSpan(element * 32, 32).ToArray();
        change(e);
        e.CopyTo(copy, element * 32);
        return copy;
    }

    private static byte[] Swap(byte[] proof, int i, int j)
    {
        var copy = (byte[])proof.Clone();
        proof.AsSpan(i * 32, 32).CopyTo(copy.AsSpan(j * 32));
        proof.AsSpan(j * 32, 32).CopyTo(copy.AsSpan(i * 32));
        return copy;
    }
}
