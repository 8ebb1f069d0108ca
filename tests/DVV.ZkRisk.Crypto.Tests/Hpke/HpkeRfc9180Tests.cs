using DVV.ZkRisk.Crypto.Hpke;

namespace DVV.ZkRisk.Crypto.Tests.Hpke;

/// <summary>RFC 9180 appendix A.2.1: mode 0 (base), KEM 0x0020, KDF 0x0001, AEAD 0x0003 (ChaCha20Poly1305).</summary>
public class HpkeRfc9180Tests
{
    private static byte[] H(string hex) => Convert.FromHexString(hex);

    private const string Info = "4f6465206f6e2061204772656369616e2055726e";
    private const string IkmE = "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b";
    private const string PkEm = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
    private const string SkEm = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600";
    private const string IkmR = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df";
    private const string PkRm = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a";
    private const string SkRm = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb";
    private const string SharedSecret = "0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7";
    private const string Key = "ad2744de8e17f4ebba575b3f5f5a8fa1f69c2a07f6e7500bc60ca6e3e3ec1c91";
    private const string BaseNonce = "5c4d98150661b848853b547f";
    private const string ExporterSecret = "a3b010d4994890e2c6968a36f64470d3c824c8f5029942feb11e7a74b2921922";
    private const string Pt = "4265617574792069732074727574682c20747275746820626561757479";

    public static readonly TheoryData<int, string> Encryptions = new()
    {
        { 0, "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28" },
        { 1, "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c" },
        { 2, "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b" },
        { 4, "63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122bb153495ff0b02e9e54a50dbe16" },
        { 255, "18ab939d63ddec9f6ac2b60d61d36a7375d2070c9b683861110757062c52b8880a5f6b3936da9cd6c23ef2a95c" },
        { 256, "7a4a13e9ef23978e2c520fd4d2e757514ae160cd0cd05e556ef692370ca53076214c0c40d4c728d6ed9e727a5b" },
    };

    private static byte[] Aad(int seq) => System.Text.Encoding.ASCII.GetBytes($"Count-{seq}");

    [Fact]
    public void DeriveKeyPair_matches_vector()
    {
        var e = DVV.ZkRisk.Crypto.Hpke.Hpke.DeriveKeyPair(H(IkmE));
        Assert.Equal(SkEm, Convert.ToHexStringLower(e.PrivateKey));
        Assert.Equal(PkEm, Convert.ToHexStringLower(e.PublicKey));
        var r = DVV.ZkRisk.Crypto.Hpke.Hpke.DeriveKeyPair(H(IkmR));
        Assert.Equal(SkRm, Convert.ToHexStringLower(r.PrivateKey));
        Assert.Equal(PkRm, Convert.ToHexStringLower(r.PublicKey));
    }

    [Fact]
    public void Encap_and_key_schedule_match_vector()
    {
        var eph = HpkeKeyPair.FromPrivateKey(H(SkEm));
        var (ss, enc) = DVV.ZkRisk.Crypto.Hpke.Hpke.Encap(H(PkRm), eph);
        Assert.Equal(PkEm, Convert.ToHexStringLower(enc));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(ss));
        var ctx = DVV.ZkRisk.Crypto.Hpke.Hpke.KeySchedule(ss, H(Info));
        Assert.Equal(Key, Convert.ToHexStringLower(ctx.Key));
        Assert.Equal(BaseNonce, Convert.ToHexStringLower(ctx.BaseNonce));
        Assert.Equal(ExporterSecret, Convert.ToHexStringLower(ctx.ExporterSecret));
        var rec = HpkeKeyPair.FromPrivateKey(H(SkRm));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(DVV.ZkRisk.Crypto.Hpke.Hpke.Decap(enc, rec)));
    }

    [Fact]
    public void Sequence_of_encryptions_matches_vector_for_sender_and_recipient()
    {
        var (enc, sender) = DVV.ZkRisk.Crypto.Hpke.Hpke.SetupBaseSender(H(PkRm), H(Info), HpkeKeyPair.FromPrivateKey(H(SkEm)));
        Assert.Equal(PkEm, Convert.ToHexStringLower(enc));
        var recipient = DVV.ZkRisk.Crypto.Hpke.Hpke.SetupBaseRecipient(enc, HpkeKeyPair.FromPrivateKey(H(SkRm)), H(Info));
        var expected = Encryptions.ToDictionary(r => (int)r[0], r => (string)r[1]);
        for (int seq = 0; seq <= 256; seq++)
        {
            var ct = sender.Seal(Aad(seq), H(Pt));
            if (expected.TryGetValue(seq, out var want)) Assert.Equal(want, Convert.ToHexStringLower(ct));
            Assert.Equal(Pt, Convert.ToHexStringLower(recipient.Open(Aad(seq), ct)));
        }
    }

    [Theory]
    [InlineData("", "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e")]
    [InlineData("00", "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69")]
    [InlineData("54657374436f6e74657874", "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53")]
    public void Exported_values_match_vector(string context, string want)
    {
        var ctx = DVV.ZkRisk.Crypto.Hpke.Hpke.SetupBaseRecipient(H(PkEm), HpkeKeyPair.FromPrivateKey(H(SkRm)), H(Info));
        Assert.Equal(want, Convert.ToHexStringLower(ctx.Export(H(context), 32)));
    }

    [Fact]
    public void Single_shot_open_of_vector_ciphertext()
    {
        var pt = DVV.ZkRisk.Crypto.Hpke.Hpke.Open(H(PkEm), HpkeKeyPair.FromPrivateKey(H(SkRm)), H(Info), Aad(0), H((string)Encryptions.First()[1]));
        Assert.Equal(Pt, Convert.ToHexStringLower(pt));
    }

    [Fact]
    public void Tampering_anything_fails_to_open()
    {
        var r = HpkeKeyPair.Generate();
        var (enc, ct) = DVV.ZkRisk.Crypto.Hpke.Hpke.Seal(r.PublicKey, "info"u8, "aad"u8, "secret book"u8);
        Assert.Equal("secret book"u8.ToArray(), DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, r, "info"u8, "aad"u8, ct));
        var badCt = (byte[])ct.Clone(); badCt[3] ^= 1;
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, r, "info"u8, "aad"u8, badCt));
        var badEnc = (byte[])enc.Clone(); badEnc[0] ^= 1;
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(badEnc, r, "info"u8, "aad"u8, ct));
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, r, "info"u8, "aaX"u8, ct));
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, r, "infX"u8, "aad"u8, ct));
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, HpkeKeyPair.Generate(), "info"u8, "aad"u8, ct));
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(enc, r, "info"u8, "aad"u8, ct.AsSpan(0, 10)));
        // A low-order enc (all zero) gives an all-zero DH, which RFC 9180 section 7.1.4 says to reject.
        Assert.Throws<HpkeOpenException>(() => DVV.ZkRisk.Crypto.Hpke.Hpke.Open(new byte[32], r, "info"u8, "aad"u8, ct));
    }
}
