using System.Security.Cryptography;
using System.Text;

namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>
/// The IETF BLS signature scheme (draft-irtf-cfrg-bls-signature-05), minimal-pubkey-size variant with proof of
/// possession: ciphersuite <see cref="SignatureDst"/>. Public keys are G1 points (48 bytes compressed), signatures
/// G2 points (96 bytes compressed). The byte-level functions carry the draft's names and return false on any
/// invalid input, as the draft's INVALID; the typed API lives on <see cref="BlsSecretKey"/>,
/// <see cref="BlsPublicKey"/> and <see cref="BlsSignature"/>.
/// </summary>
public static class Bls
{
    /// <summary>Ciphersuite ID, used as the DST of hash_to_point for messages.</summary>
    public const string SignatureDst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// <summary>DST of hash_pubkey_to_point for proofs of possession.</summary>
    public const string PopDst = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    internal static readonly byte[] SignatureDstBytes = Encoding.ASCII.GetBytes(SignatureDst);
    internal static readonly byte[] PopDstBytes = Encoding.ASCII.GetBytes(PopDst);
    internal static readonly G1Point NegG1 = G1Point.Negate(G1Point.Generator);

    /// <summary>KeyGen(IKM, key_info): IKM must be at least 32 bytes of secret randomness. Returns the 32-byte secret key.</summary>
    public static byte[] KeyGen(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> keyInfo = default)
    {
        using var sk = BlsSecretKey.KeyGen(ikm, keyInfo);
        return sk.ToBytes();
    }

    /// <summary>SkToPk: 48-byte compressed public key. Throws <see cref="BlsEncodingException"/> on an invalid secret key.</summary>
    public static byte[] SkToPk(ReadOnlySpan<byte> sk)
    {
        using var k = BlsSecretKey.FromBytes(sk);
        return k.PublicKey.ToBytes();
    }

    /// <summary>KeyValidate: a canonical compressed G1 point, in the subgroup, not the identity.</summary>
    public static bool KeyValidate(ReadOnlySpan<byte> pk) => BlsPublicKey.TryFromBytes(pk, out _, out _);

    /// <summary>Sign(SK, message): 96-byte signature.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> sk, ReadOnlySpan<byte> message)
    {
        using var k = BlsSecretKey.FromBytes(sk);
        return k.Sign(message).ToBytes();
    }

    /// <summary>Verify(PK, message, signature).</summary>
    public static bool Verify(ReadOnlySpan<byte> pk, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        => BlsPublicKey.TryFromBytes(pk, out var key, out _) && BlsSignature.TryFromBytes(signature, out var sig, out _)
           && key!.Verify(message, sig!);

    /// <summary>Aggregate(signature_1, ..., signature_n): each must decode and be in G2. Throws on invalid input or n = 0.</summary>
    public static byte[] Aggregate(IEnumerable<byte[]> signatures)
        => BlsSignature.Aggregate(signatures.Select(s => BlsSignature.FromBytes(s))).ToBytes();

    /// <summary>FastAggregateVerify(PK_1..PK_n, message, signature): all signers signed the same message.
    /// Sound only when every public key's proof of possession was checked.</summary>
    public static bool FastAggregateVerify(IEnumerable<byte[]> pks, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var keys = new List<BlsPublicKey>();
        foreach (var pk in pks)
        {
            if (!BlsPublicKey.TryFromBytes(pk, out var k, out _)) return false;
            keys.Add(k!);
        }
        return BlsSignature.TryFromBytes(signature, out var sig, out _) && FastAggregateVerify(keys, message, sig!);
    }

    /// <summary>FastAggregateVerify on decoded (already validated) keys.</summary>
    public static bool FastAggregateVerify(IReadOnlyCollection<BlsPublicKey> pks, ReadOnlySpan<byte> message, BlsSignature signature)
    {
        if (pks.Count == 0) return false;
        var agg = G1Point.Identity;
        foreach (var pk in pks) agg = G1Point.Add(agg, pk.Point);
        if (agg.IsIdentity) return false;
        return CoreVerify(agg, message, signature.Point, SignatureDstBytes);
    }

    /// <summary>AggregateVerify((PK_1, message_1), ..., (PK_n, message_n), signature): one Miller loop over n + 1 pairs.
    /// In the proof-of-possession ciphersuite the messages need not be distinct.</summary>
    public static bool AggregateVerify(IReadOnlyList<byte[]> pks, IReadOnlyList<byte[]> messages, ReadOnlySpan<byte> signature)
    {
        if (pks.Count != messages.Count || pks.Count == 0) return false;
        var keys = new BlsPublicKey[pks.Count];
        for (int i = 0; i < pks.Count; i++)
            if (!BlsPublicKey.TryFromBytes(pks[i], out keys[i]!, out _)) return false;
        return BlsSignature.TryFromBytes(signature, out var sig, out _) && AggregateVerify(keys, messages, sig!);
    }

    public static bool AggregateVerify(IReadOnlyList<BlsPublicKey> pks, IReadOnlyList<byte[]> messages, BlsSignature signature)
    {
        if (pks.Count != messages.Count || pks.Count == 0) return false;
        var pairs = new (G1Point, G2Point)[pks.Count + 1];
        for (int i = 0; i < pks.Count; i++)
            pairs[i] = (pks[i].Point, HashToCurve.HashToG2(messages[i], SignatureDstBytes));
        pairs[^1] = (NegG1, signature.Point);
        return Pairing.PairingProductIsOne(pairs);
    }

    /// <summary>PopProve(SK): a signature over the compressed public key with the POP DST.</summary>
    public static byte[] PopProve(ReadOnlySpan<byte> sk)
    {
        using var k = BlsSecretKey.FromBytes(sk);
        return k.ProvePossession().ToBytes();
    }

    /// <summary>PopVerify(PK, proof).</summary>
    public static bool PopVerify(ReadOnlySpan<byte> pk, ReadOnlySpan<byte> proof)
        => BlsPublicKey.TryFromBytes(pk, out var key, out _) && BlsSignature.TryFromBytes(proof, out var sig, out _)
           && key!.VerifyPossession(sig!);

    /// <summary>e(PK, H(m)) == e(G1, sig), checked as e(PK, H(m)) * e(-G1, sig) == 1 with one final exponentiation.</summary>
    internal static bool CoreVerify(in G1Point pk, ReadOnlySpan<byte> message, in G2Point sig, byte[] dst)
    {
        var h = HashToCurve.HashToG2(message, dst);
        return Pairing.PairingProductIsOne(new[] { (pk, h), (NegG1, sig) });
    }
}

/// <summary>A BLS secret key: an integer 1 &lt;= SK &lt; r. BlsScalar multiplications by it are constant time. Dispose to wipe.</summary>
public sealed class BlsSecretKey : IDisposable
{
    private BlsScalar _sk;
    private BlsPublicKey? _pk;

    private BlsSecretKey(BlsScalar sk) { _sk = sk; }

    /// <summary>KeyGen of draft-irtf-cfrg-bls-signature-05 section 2.3 (salt = H("BLS-SIG-KEYGEN-SALT-") first, then
    /// re-hashed while SK = 0), HKDF-SHA-256 with L = 48.</summary>
    public static BlsSecretKey KeyGen(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> keyInfo = default)
    {
        if (ikm.Length < 32) throw new ArgumentException("IKM must be at least 32 bytes", nameof(ikm));
        const int L = 48;
        byte[] salt = Encoding.ASCII.GetBytes("BLS-SIG-KEYGEN-SALT-");
        var ikm0 = new byte[ikm.Length + 1];
        ikm.CopyTo(ikm0);
        var info = new byte[keyInfo.Length + 2];
        keyInfo.CopyTo(info);
        info[^2] = 0; info[^1] = L;
        var okm = new byte[L];
        var prk = new byte[32];
        try
        {
            while (true)
            {
                salt = SHA256.HashData(salt);
                HKDF.Extract(HashAlgorithmName.SHA256, ikm0, salt, prk);
                HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, info);
                var sk = BlsScalar.FromBytesWide(okm);
                if (!sk.IsZero) return new BlsSecretKey(sk);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm0);
            CryptographicOperations.ZeroMemory(okm);
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>A fresh key from 32 bytes of OS randomness through KeyGen.</summary>
    public static BlsSecretKey Generate()
    {
        Span<byte> ikm = stackalloc byte[32];
        RandomNumberGenerator.Fill(ikm);
        try { return KeyGen(ikm); }
        finally { CryptographicOperations.ZeroMemory(ikm); }
    }

    /// <summary>Parses a 32-byte big-endian secret key; zero or values &gt;= r are refused.</summary>
    public static BlsSecretKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != BlsScalar.ByteLength)
            throw new BlsEncodingException(BlsEncodingError.WrongLength, "a secret key is 32 bytes");
        if (!BlsScalar.TryFromBytes(bytes, out var s) || s.IsZero)
            throw new BlsEncodingException(BlsEncodingError.InvalidScalar, "secret key is zero or not below r");
        return new BlsSecretKey(s);
    }

    public byte[] ToBytes() => _sk.ToBytes();

    /// <summary>SkToPk: SK * G1 (constant time).</summary>
    public BlsPublicKey PublicKey => _pk ??= new BlsPublicKey(G1Point.Multiply(G1Point.Generator, _sk));

    /// <summary>Sign: SK * hash_to_point(message) with the ciphersuite DST (constant time in SK).</summary>
    public BlsSignature Sign(ReadOnlySpan<byte> message)
        => new(G2Point.Multiply(HashToCurve.HashToG2(message, Bls.SignatureDstBytes), _sk));

    /// <summary>PopProve: SK * hash_pubkey_to_point(PK) with the POP DST.</summary>
    public BlsSignature ProvePossession()
        => new(G2Point.Multiply(HashToCurve.HashToG2(PublicKey.ToBytes(), Bls.PopDstBytes), _sk));

    internal BlsScalar Value => _sk;

    public void Dispose() { _sk = BlsScalar.Zero; }
}

/// <summary>A validated BLS public key: a G1 subgroup point other than the identity (KeyValidate passed).</summary>
public sealed class BlsPublicKey : IEquatable<BlsPublicKey>
{
    public const int Size = G1Point.CompressedSize;
    internal G1Point Point { get; }
    private readonly byte[] _bytes;

    internal BlsPublicKey(G1Point p)
    {
        if (p.IsIdentity) throw new BlsEncodingException(BlsEncodingError.IdentityNotAllowed, "public key is the identity");
        Point = p.Normalize();
        _bytes = Point.ToCompressed();
    }

    /// <summary>Decodes and validates (KeyValidate). Throws <see cref="BlsEncodingException"/> with the reason.</summary>
    public static BlsPublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var pk, out var err))
            throw BlsEncodingException.Invalid(err, "public key");
        return pk!;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out BlsPublicKey? pk, out BlsEncodingError error)
    {
        pk = null;
        if (bytes.Length != Size) { error = BlsEncodingError.WrongLength; return false; }
        if (!G1Point.TryFromBytes(bytes, out var p, out error)) return false;
        if (p.IsIdentity) { error = BlsEncodingError.IdentityNotAllowed; return false; }
        pk = new BlsPublicKey(p);
        return true;
    }

    public static BlsPublicKey FromHex(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>48-byte compressed encoding.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();
    public string ToHex() => Convert.ToHexString(_bytes).ToLowerInvariant();

    /// <summary>Verify(PK, message, signature).</summary>
    public bool Verify(ReadOnlySpan<byte> message, BlsSignature signature)
        => Bls.CoreVerify(Point, message, signature.Point, Bls.SignatureDstBytes);

    /// <summary>PopVerify(PK, proof).</summary>
    public bool VerifyPossession(BlsSignature proof)
        => Bls.CoreVerify(Point, _bytes, proof.Point, Bls.PopDstBytes);

    /// <summary>Sum of public keys (for FastAggregateVerify). Throws if empty or if the sum is the identity.</summary>
    public static BlsPublicKey Aggregate(IEnumerable<BlsPublicKey> keys)
    {
        var acc = G1Point.Identity;
        int n = 0;
        foreach (var k in keys) { acc = G1Point.Add(acc, k.Point); n++; }
        if (n == 0) throw new ArgumentException("nothing to aggregate", nameof(keys));
        return new BlsPublicKey(acc);
    }

    public bool Equals(BlsPublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => Equals(obj as BlsPublicKey);
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 1);
    public override string ToString() => ToHex();
}

/// <summary>A BLS signature (or aggregate, or proof of possession): a G2 subgroup point.</summary>
public sealed class BlsSignature : IEquatable<BlsSignature>
{
    public const int Size = G2Point.CompressedSize;
    internal G2Point Point { get; }
    private readonly byte[] _bytes;

    internal BlsSignature(G2Point p)
    {
        Point = p.Normalize();
        _bytes = Point.ToCompressed();
    }

    /// <summary>Decodes with the subgroup check (signature_subgroup_check). Throws <see cref="BlsEncodingException"/>.</summary>
    public static BlsSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var s, out var err))
            throw BlsEncodingException.Invalid(err, "signature");
        return s!;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out BlsSignature? sig, out BlsEncodingError error)
    {
        sig = null;
        if (bytes.Length != Size) { error = BlsEncodingError.WrongLength; return false; }
        if (!G2Point.TryFromBytes(bytes, out var p, out error)) return false;
        sig = new BlsSignature(p);
        return true;
    }

    public static BlsSignature FromHex(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>96-byte compressed encoding.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();
    public string ToHex() => Convert.ToHexString(_bytes).ToLowerInvariant();

    /// <summary>Aggregate: the sum of the signatures. Throws if empty.</summary>
    public static BlsSignature Aggregate(IEnumerable<BlsSignature> signatures)
    {
        var acc = G2Point.Identity;
        int n = 0;
        foreach (var s in signatures) { acc = G2Point.Add(acc, s.Point); n++; }
        if (n == 0) throw new ArgumentException("nothing to aggregate", nameof(signatures));
        return new BlsSignature(acc);
    }

    public bool Equals(BlsSignature? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => Equals(obj as BlsSignature);
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 1);
    public override string ToString() => ToHex();
}

/// <summary>Strict hex decoding that reports <see cref="BlsEncodingError.InvalidHex"/>.</summary>
internal static class Hex
{
    public static byte[] Decode(string hex)
    {
        hex = hex.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { throw new BlsEncodingException(BlsEncodingError.InvalidHex, "not valid hexadecimal"); }
    }
}
