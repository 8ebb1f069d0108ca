using System.Security.Cryptography;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace DVV.ZkRisk.Crypto.Signing;

/// <summary>An Ed25519 (RFC 8032, pure) signing key: the 32-byte seed and its public key.</summary>
public sealed class Ed25519PrivateKey
{
    public const int SeedLength = 32;
    private readonly byte[] _seed;

    public Ed25519PublicKey PublicKey { get; }

    private Ed25519PrivateKey(byte[] seed)
    {
        _seed = seed;
        var pk = new byte[Ed25519PublicKey.Length];
        BcEd25519.GeneratePublicKey(_seed, 0, pk, 0);
        PublicKey = new Ed25519PublicKey(pk);
    }

    /// <summary>A fresh key from the OS CSPRNG.</summary>
    public static Ed25519PrivateKey Generate() => new(RandomNumberGenerator.GetBytes(SeedLength));

    /// <summary>The key whose RFC 8032 secret (seed) is <paramref name="seed"/> (32 bytes).</summary>
    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength) throw new ArgumentException($"Ed25519 seed must be {SeedLength} bytes, got {seed.Length}", nameof(seed));
        return new(seed.ToArray());
    }

    /// <summary>The 32-byte seed (secret).</summary>
    public byte[] ToSeed() => (byte[])_seed.Clone();

    /// <summary>A 64-byte deterministic signature over <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var sig = new byte[Ed25519PublicKey.SignatureLength];
        var msg = message.ToArray();
        BcEd25519.Sign(_seed, 0, PublicKey.RawBytes, 0, msg, 0, msg.Length, sig, 0);
        return sig;
    }
}

/// <summary>An Ed25519 public key (32 bytes, as encoded by RFC 8032).</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    public const int Length = 32;
    public const int SignatureLength = 64;
    internal byte[] RawBytes { get; }

    internal Ed25519PublicKey(byte[] bytes) => RawBytes = bytes;

    /// <summary>Parses a 32-byte public key; throws <see cref="FormatException"/> when it is not a valid curve point encoding.</summary>
    public static Ed25519PublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBytes(bytes, out var pk)) throw new FormatException($"not an Ed25519 public key ({bytes.Length} bytes)");
        return pk!;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Ed25519PublicKey? key)
    {
        key = null;
        if (bytes.Length != Length) return false;
        var copy = bytes.ToArray();
        // Structural check at the door (y < p); whether the point decodes is checked by Verify.
        if (!YIsCanonical(copy)) return false;
        key = new Ed25519PublicKey(copy);
        return true;
    }

    private static bool YIsCanonical(byte[] b)
    {
        // y = b with the top bit cleared; canonical when y < 2^255 - 19.
        if ((b[31] & 0x7F) != 0x7F) return true;
        for (int i = 30; i >= 1; i--) if (b[i] != 0xFF) return true;
        return b[0] < 0xED;
    }

    public byte[] ToBytes() => (byte[])RawBytes.Clone();

    /// <summary>RFC 8032 verification (BouncyCastle: rejects S &gt;= L and undecodable R or A).</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength) return false;
        var msg = message.ToArray();
        var sig = signature.ToArray();
        try { return BcEd25519.Verify(sig, 0, RawBytes, 0, msg, 0, msg.Length); }
        catch (Exception) { return false; }
    }

    public bool Equals(Ed25519PublicKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(RawBytes, other.RawBytes);
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);
    public override int GetHashCode() => BitConverter.ToInt32(RawBytes, 0);
    public override string ToString() => Convert.ToHexStringLower(RawBytes);
}
