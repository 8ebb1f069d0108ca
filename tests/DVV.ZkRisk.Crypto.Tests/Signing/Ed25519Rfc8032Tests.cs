using DVV.ZkRisk.Crypto.Signing;

namespace DVV.ZkRisk.Crypto.Tests.Signing;

/// <summary>RFC 8032 section 7.1, tests 1-3 (Ed25519, pure).</summary>
public class Ed25519Rfc8032Tests
{
    public static readonly TheoryData<string, string, string, string> Vectors = new()
    {
        { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
        { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
        { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
          "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_and_verify_match_rfc8032(string sk, string pk, string msg, string sig)
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(sk));
        Assert.Equal(pk, key.PublicKey.ToString());
        var s = key.Sign(Convert.FromHexString(msg));
        Assert.Equal(sig, Convert.ToHexStringLower(s));
        var pub = Ed25519PublicKey.FromBytes(Convert.FromHexString(pk));
        Assert.True(pub.Verify(Convert.FromHexString(msg), Convert.FromHexString(sig)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Altered_message_or_signature_is_rejected(string sk, string pk, string msg, string sig)
    {
        _ = sk;
        var pub = Ed25519PublicKey.FromBytes(Convert.FromHexString(pk));
        var m = Convert.FromHexString(msg + "00");
        Assert.False(pub.Verify(m, Convert.FromHexString(sig)));
        var s = Convert.FromHexString(sig);
        s[5] ^= 0x10;
        Assert.False(pub.Verify(Convert.FromHexString(msg), s));
        Assert.False(pub.Verify(Convert.FromHexString(msg), s.AsSpan(0, 63)));
    }

    [Fact]
    public void Non_canonical_S_is_rejected()
    {
        // RFC 8032 section 5.1.7: S must be < L. Adding L to a valid S keeps the verification equation but must be refused.
        var key = Ed25519PrivateKey.FromSeed(new byte[32]);
        var msg = "m"u8.ToArray();
        var sig = key.Sign(msg);
        var l = System.Numerics.BigInteger.Parse("7237005577332262213973186563042994240857116359379907606001950938285454250989");
        var s = new System.Numerics.BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: false) + l;
        var sb = s.ToByteArray(isUnsigned: true, isBigEndian: false);
        Array.Clear(sig, 32, 32);
        sb.CopyTo(sig, 32);
        Assert.False(key.PublicKey.Verify(msg, sig));
    }

    [Fact]
    public void Fresh_keys_round_trip()
    {
        var k = Ed25519PrivateKey.Generate();
        var k2 = Ed25519PrivateKey.FromSeed(k.ToSeed());
        Assert.Equal(k.PublicKey, k2.PublicKey);
        Assert.True(k.PublicKey.Verify("x"u8, k2.Sign("x"u8)));
        Assert.False(Ed25519PublicKey.TryFromBytes(new byte[31], out _));
        var nonCanonicalY = Enumerable.Repeat((byte)0xFF, 32).ToArray(); nonCanonicalY[31] = 0x7F;
        Assert.False(Ed25519PublicKey.TryFromBytes(nonCanonicalY, out _));
    }
}
