using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace DVV.ZkRisk.Crypto.Hpke;

/// <summary>Raised when an HPKE box cannot be opened (wrong key, tampered ciphertext, enc or aad, or an all-zero DH).</summary>
public sealed class HpkeOpenException : CryptographicException
{
    public HpkeOpenException(string message) : base(message) { }
}

/// <summary>An X25519 key pair for DHKEM(X25519, HKDF-SHA256).</summary>
public sealed class HpkeKeyPair
{
    public const int KeyLength = 32;
    private readonly byte[] _sk;
    public byte[] PublicKey { get; }

    internal HpkeKeyPair(byte[] sk)
    {
        if (sk.Length != KeyLength) throw new ArgumentException("X25519 private key must be 32 bytes");
        _sk = sk;
        PublicKey = new byte[KeyLength];
        X25519.ScalarMultBase(_sk, 0, PublicKey, 0);
    }

    /// <summary>Serialized private key (the 32 bytes given or derived; X25519 clamps on use).</summary>
    public byte[] PrivateKey => (byte[])_sk.Clone();

    public static HpkeKeyPair Generate() => Hpke.DeriveKeyPair(RandomNumberGenerator.GetBytes(32));
    public static HpkeKeyPair FromPrivateKey(ReadOnlySpan<byte> sk) => new(sk.ToArray());
}

/// <summary>
/// RFC 9180 HPKE, base mode only, one fixed suite: DHKEM(X25519, HKDF-SHA256) (0x0020), HKDF-SHA256 (0x0001),
/// ChaCha20-Poly1305 (0x0003). X25519 from BouncyCastle; HKDF and the AEAD from .NET.
/// </summary>
public static class Hpke
{
    public const ushort KemId = 0x0020, KdfId = 0x0001, AeadId = 0x0003;
    public const int NEnc = 32, NPk = 32, NSecret = 32, NK = 32, NN = 12, NH = 32, NT = 16;
    private const byte ModeBase = 0x00;

    private static readonly byte[] Version = "HPKE-v1"u8.ToArray();
    private static readonly byte[] KemSuiteId = ["KEM"u8[0], "KEM"u8[1], "KEM"u8[2], 0x00, 0x20];
    private static readonly byte[] HpkeSuiteId = ["HPKE"u8[0], "HPKE"u8[1], "HPKE"u8[2], "HPKE"u8[3], 0x00, 0x20, 0x00, 0x01, 0x00, 0x03];

    // ---- RFC 9180 section 4: labeled HKDF ----
    internal static byte[] LabeledExtract(byte[] suiteId, ReadOnlySpan<byte> salt, string label, ReadOnlySpan<byte> ikm)
    {
        var labeled = Concat(Version, suiteId, Encoding.ASCII.GetBytes(label), ikm.ToArray());
        return HKDF.Extract(HashAlgorithmName.SHA256, labeled, salt.ToArray());
    }

    internal static byte[] LabeledExpand(byte[] suiteId, ReadOnlySpan<byte> prk, string label, ReadOnlySpan<byte> info, int length)
    {
        if (length > 255 * NH) throw new ArgumentOutOfRangeException(nameof(length));
        var l = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(l, (ushort)length);
        var labeledInfo = Concat(l, Version, suiteId, Encoding.ASCII.GetBytes(label), info.ToArray());
        return HKDF.Expand(HashAlgorithmName.SHA256, prk.ToArray(), length, labeledInfo);
    }

    // ---- RFC 9180 section 4.1 / 7.1: DHKEM(X25519, HKDF-SHA256) ----
    /// <summary>DeriveKeyPair(ikm) of RFC 9180 section 7.1.3 for X25519.</summary>
    public static HpkeKeyPair DeriveKeyPair(ReadOnlySpan<byte> ikm)
    {
        var dkpPrk = LabeledExtract(KemSuiteId, [], "dkp_prk", ikm);
        var sk = LabeledExpand(KemSuiteId, dkpPrk, "sk", [], 32);
        return new HpkeKeyPair(sk);
    }

    private static byte[] Dh(byte[] sk, ReadOnlySpan<byte> pk)
    {
        var shared = new byte[32];
        X25519.ScalarMult(sk, 0, pk.ToArray(), 0, shared, 0);
        int acc = 0;
        foreach (var b in shared) acc |= b;
        if (acc == 0) throw new HpkeOpenException("X25519 shared secret is all zero (low-order public key)");
        return shared;
    }

    private static byte[] ExtractAndExpand(byte[] dh, byte[] kemContext)
    {
        var eaePrk = LabeledExtract(KemSuiteId, [], "eae_prk", dh);
        return LabeledExpand(KemSuiteId, eaePrk, "shared_secret", kemContext, NSecret);
    }

    internal static (byte[] SharedSecret, byte[] Enc) Encap(ReadOnlySpan<byte> pkR, HpkeKeyPair ephemeral)
    {
        if (pkR.Length != NPk) throw new ArgumentException($"recipient public key must be {NPk} bytes");
        var dh = Dh(ephemeral.PrivateKey, pkR);
        var enc = ephemeral.PublicKey;
        return (ExtractAndExpand(dh, Concat(enc, pkR.ToArray())), enc);
    }

    internal static byte[] Decap(ReadOnlySpan<byte> enc, HpkeKeyPair recipient)
    {
        if (enc.Length != NEnc) throw new HpkeOpenException($"enc must be {NEnc} bytes, got {enc.Length}");
        var dh = Dh(recipient.PrivateKey, enc);
        return ExtractAndExpand(dh, Concat(enc.ToArray(), recipient.PublicKey));
    }

    // ---- RFC 9180 section 5.1: key schedule (base mode) ----
    internal static HpkeContext KeySchedule(byte[] sharedSecret, ReadOnlySpan<byte> info)
    {
        var pskIdHash = LabeledExtract(HpkeSuiteId, [], "psk_id_hash", []);
        var infoHash = LabeledExtract(HpkeSuiteId, [], "info_hash", info);
        var ksContext = Concat([ModeBase], pskIdHash, infoHash);
        var secret = LabeledExtract(HpkeSuiteId, sharedSecret, "secret", []);
        var key = LabeledExpand(HpkeSuiteId, secret, "key", ksContext, NK);
        var baseNonce = LabeledExpand(HpkeSuiteId, secret, "base_nonce", ksContext, NN);
        var exporter = LabeledExpand(HpkeSuiteId, secret, "exp", ksContext, NH);
        return new HpkeContext(key, baseNonce, exporter);
    }

    /// <summary>SetupBaseS with a caller-chosen ephemeral key (tests reproduce the RFC vector with it).</summary>
    public static (byte[] Enc, HpkeContext Context) SetupBaseSender(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> info, HpkeKeyPair? ephemeral = null)
    {
        var (ss, enc) = Encap(pkR, ephemeral ?? HpkeKeyPair.Generate());
        return (enc, KeySchedule(ss, info));
    }

    public static HpkeContext SetupBaseRecipient(ReadOnlySpan<byte> enc, HpkeKeyPair recipient, ReadOnlySpan<byte> info)
        => KeySchedule(Decap(enc, recipient), info);

    /// <summary>Single-shot Seal (RFC 9180 section 6.1): returns enc and ciphertext (plaintext + 16-byte tag).</summary>
    public static (byte[] Enc, byte[] Ciphertext) Seal(ReadOnlySpan<byte> pkR, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
    {
        var (enc, ctx) = SetupBaseSender(pkR, info);
        return (enc, ctx.Seal(aad, plaintext));
    }

    /// <summary>Single-shot Open; throws <see cref="HpkeOpenException"/> when the box does not open.</summary>
    public static byte[] Open(ReadOnlySpan<byte> enc, HpkeKeyPair recipient, ReadOnlySpan<byte> info, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
        => SetupBaseRecipient(enc, recipient, info).Open(aad, ciphertext);

    internal static byte[] Concat(params byte[][] parts)
    {
        var r = new byte[parts.Sum(p => p.Length)];
        int o = 0;
        foreach (var p in parts) { p.CopyTo(r, o); o += p.Length; }
        return r;
    }
}

/// <summary>An HPKE encryption context (RFC 9180 section 5.2): key, base nonce, sequence number, exporter secret.</summary>
public sealed class HpkeContext
{
    private readonly byte[] _key, _baseNonce, _exporterSecret;
    private ulong _seq;

    internal HpkeContext(byte[] key, byte[] baseNonce, byte[] exporterSecret)
    {
        _key = key; _baseNonce = baseNonce; _exporterSecret = exporterSecret;
    }

    internal byte[] Key => _key;
    internal byte[] BaseNonce => _baseNonce;
    internal byte[] ExporterSecret => _exporterSecret;
    public ulong Sequence => _seq;

    private byte[] ComputeNonce()
    {
        var seqBytes = new byte[Hpke.NN];
        BinaryPrimitives.WriteUInt64BigEndian(seqBytes.AsSpan(Hpke.NN - 8), _seq);
        for (int i = 0; i < Hpke.NN; i++) seqBytes[i] ^= _baseNonce[i];
        return seqBytes;
    }

    private void IncrementSeq()
    {
        // Nn = 12 so the limit 2^96 - 1 is never reached by a ulong counter; guard the ulong wrap anyway.
        if (_seq == ulong.MaxValue) throw new CryptographicException("HPKE message limit reached");
        _seq++;
    }

    public byte[] Seal(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
    {
        var nonce = ComputeNonce();
        var ct = new byte[plaintext.Length + Hpke.NT];
        using (var aead = new ChaCha20Poly1305(_key))
            aead.Encrypt(nonce, plaintext, ct.AsSpan(0, plaintext.Length), ct.AsSpan(plaintext.Length), aad);
        IncrementSeq();
        return ct;
    }

    public byte[] Open(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < Hpke.NT) throw new HpkeOpenException($"ciphertext shorter than the {Hpke.NT}-byte tag");
        var nonce = ComputeNonce();
        var pt = new byte[ciphertext.Length - Hpke.NT];
        try
        {
            using var aead = new ChaCha20Poly1305(_key);
            aead.Decrypt(nonce, ciphertext[..pt.Length], ciphertext[pt.Length..], pt, aad);
        }
        catch (AuthenticationTagMismatchException) { throw new HpkeOpenException("AEAD authentication failed"); }
        IncrementSeq();
        return pt;
    }

    /// <summary>Secret export (RFC 9180 section 5.3).</summary>
    public byte[] Export(ReadOnlySpan<byte> exporterContext, int length)
        => Hpke.LabeledExpand(HpkeSuiteIdPublic, _exporterSecret, "sec", exporterContext, length);

    private static readonly byte[] HpkeSuiteIdPublic = [(byte)'H', (byte)'P', (byte)'K', (byte)'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x03];
}
