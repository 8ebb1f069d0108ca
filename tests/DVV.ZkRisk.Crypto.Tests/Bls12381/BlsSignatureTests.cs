using System.Numerics;
using System.Text;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

public class BlsSignatureTests
{
    private static byte[] M(string s) => Encoding.UTF8.GetBytes(s);

    // EIP-2333 master keys are exactly KeyGen of draft v4/v5 with empty key_info (HKDF_mod_r).
    [Theory]
    [InlineData("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04", "6083874454709270928345386274498605044986640685124978867557563392430687146096")]
    [InlineData("3141592653589793238462643383279502884197169399375105820974944592", "29757020647961307431480504535336562678282505419141012933316116377660817309383")]
    [InlineData("0099FF991111002299DD7744EE3355BBDD8844115566CC55663355668888CC00", "27580842291869792442942448775674722299803720648445448686099262467207037398656")]
    [InlineData("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3", "19022158461524446591288038168518313374041767046816487870552872741050760015818")]
    public void KeyGen_MatchesEip2333MasterKeys(string seedHex, string expected)
    {
        var sk = Bls.KeyGen(Convert.FromHexString(seedHex));
        Assert.Equal(BigInteger.Parse(expected), new BigInteger(sk, isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void KeyGen_RejectsShortIkm() => Assert.Throws<ArgumentException>(() => Bls.KeyGen(new byte[31]));

    [Fact]
    public void SignVerify_RoundTripAndNegatives()
    {
        using var sk = BlsSecretKey.Generate();
        using var other = BlsSecretKey.Generate();
        var sig = sk.Sign(M("epoch 7"));
        Assert.True(sk.PublicKey.Verify(M("epoch 7"), sig));
        Assert.False(sk.PublicKey.Verify(M("epoch 8"), sig));          // wrong message
        Assert.False(other.PublicKey.Verify(M("epoch 7"), sig));       // wrong key
        Assert.True(Bls.Verify(sk.PublicKey.ToBytes(), M("epoch 7"), sig.ToBytes()));
        Assert.False(Bls.Verify(sk.PublicKey.ToBytes(), M("epoch 7"), other.Sign(M("epoch 7")).ToBytes()));
        // a proof of possession is not a signature on the key bytes under the message DST, and vice versa
        var pop = sk.ProvePossession();
        Assert.True(sk.PublicKey.VerifyPossession(pop));
        Assert.False(sk.PublicKey.Verify(sk.PublicKey.ToBytes(), pop));
        Assert.False(sk.PublicKey.VerifyPossession(sk.Sign(sk.PublicKey.ToBytes())));
        Assert.False(other.PublicKey.VerifyPossession(pop));
        // deterministic
        Assert.Equal(sig, sk.Sign(M("epoch 7")));
        // byte API
        Assert.Equal(sk.PublicKey.ToBytes(), Bls.SkToPk(sk.ToBytes()));
        Assert.True(Bls.PopVerify(sk.PublicKey.ToBytes(), Bls.PopProve(sk.ToBytes())));
    }

    [Fact]
    public void SecretKey_RejectsZeroAndOutOfRange()
    {
        Assert.Equal(BlsEncodingError.InvalidScalar, Assert.Throws<BlsEncodingException>(() => BlsSecretKey.FromBytes(new byte[32])).Error);
        Assert.Equal(BlsEncodingError.InvalidScalar, Assert.Throws<BlsEncodingException>(() => BlsSecretKey.FromBytes(BlsScalar.Order.ToByteArray(true, true))).Error);
        Assert.Equal(BlsEncodingError.WrongLength, Assert.Throws<BlsEncodingException>(() => BlsSecretKey.FromBytes(new byte[31])).Error);
        var one = new byte[32]; one[31] = 1;
        Assert.Equal(CurveTests.G1GeneratorCompressed, Convert.ToHexString(Bls.SkToPk(one)).ToLowerInvariant());
    }

    [Fact]
    public void KeyValidate_RejectsIdentityAndNonSubgroupKeys()
    {
        Assert.False(Bls.KeyValidate(G1Point.Identity.ToCompressed()));
        Assert.Equal(BlsEncodingError.IdentityNotAllowed, Assert.Throws<BlsEncodingException>(() => BlsPublicKey.FromBytes(G1Point.Identity.ToCompressed())).Error);
        var bad = CurveTests.RandomNonSubgroupG1(new Random(5)).ToCompressed();
        Assert.False(Bls.KeyValidate(bad));
        Assert.Equal(BlsEncodingError.NotInSubgroup, Assert.Throws<BlsEncodingException>(() => BlsPublicKey.FromBytes(bad)).Error);
        Assert.False(Bls.Verify(bad, M("x"), BlsSecretKey.Generate().Sign(M("x")).ToBytes()));
        Assert.True(Bls.KeyValidate(Convert.FromHexString(CurveTests.G1GeneratorCompressed)));
    }

    [Fact]
    public void Verify_RejectsNonSubgroupAndIdentitySignatures()
    {
        using var sk = BlsSecretKey.Generate();
        var bad = CurveTests.RandomNonSubgroupG2(new Random(6)).ToCompressed();
        Assert.False(Bls.Verify(sk.PublicKey.ToBytes(), M("m"), bad));
        Assert.Equal(BlsEncodingError.NotInSubgroup, Assert.Throws<BlsEncodingException>(() => BlsSignature.FromBytes(bad)).Error);
        Assert.False(Bls.Verify(sk.PublicKey.ToBytes(), M("m"), G2Point.Identity.ToCompressed()));
        Assert.False(Bls.Verify(sk.PublicKey.ToBytes(), M("m"), new byte[95]));
    }

    [Fact]
    public void Aggregate_FastAggregateVerifyAndAggregateVerify()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => BlsSecretKey.Generate()).ToArray();
        var pks = keys.Select(k => k.PublicKey).ToArray();
        var msg = M("bundle");
        var agg = BlsSignature.Aggregate(keys.Select(k => k.Sign(msg)));
        Assert.True(Bls.FastAggregateVerify(pks, msg, agg));
        Assert.False(Bls.FastAggregateVerify(pks[..4], msg, agg));            // missing signer
        Assert.False(Bls.FastAggregateVerify(pks, M("bundle2"), agg));        // wrong message
        Assert.False(Bls.FastAggregateVerify(Array.Empty<BlsPublicKey>(), msg, agg));
        Assert.True(Bls.FastAggregateVerify(pks.Select(p => p.ToBytes()), msg, agg.ToBytes()));
        Assert.Equal(agg.ToBytes(), Bls.Aggregate(keys.Select(k => k.Sign(msg).ToBytes())));

        var msgs = Enumerable.Range(0, 5).Select(i => M("m" + i)).ToArray();
        var agg2 = BlsSignature.Aggregate(keys.Select((k, i) => k.Sign(msgs[i])));
        Assert.True(Bls.AggregateVerify(pks, msgs, agg2));
        Assert.False(Bls.AggregateVerify(pks, msgs.Reverse().ToArray(), agg2));
        Assert.True(Bls.AggregateVerify(pks.Select(p => p.ToBytes()).ToArray(), msgs, agg2.ToBytes()));
        Assert.Throws<ArgumentException>(() => BlsSignature.Aggregate(Array.Empty<BlsSignature>()));
    }

    /// <summary>
    /// The rogue-key attack: with unchecked keys, an attacker who registers pk_r = a*G - pk_victim can produce an
    /// aggregate signature that FastAggregateVerify accepts as signed by both, alone. Registration with a proof of
    /// possession stops it: the attacker cannot sign hash_pop(pk_r) because it does not know log(pk_r).
    /// </summary>
    [Fact]
    public void RogueKeyAttack_WorksOnNaiveAggregation_BlockedByProofOfPossession()
    {
        using var victim = BlsSecretKey.Generate();
        var a = BlsScalar.Random();
        var rogue = new BlsPublicKey(G1Point.Multiply(G1Point.Generator, a) - victim.PublicKey.Point);
        var msg = VerifierCommittee.AttestationMessage(9, new byte[32]);
        var forged = new BlsSignature(G2Point.Multiply(HashToCurve.HashToG2(msg, Bls.SignatureDst), a));

        // naive aggregation (no proof of possession): the forgery verifies as if the victim had signed
        Assert.True(Bls.FastAggregateVerify(new[] { victim.PublicKey, rogue }, msg, forged));
        Assert.False(victim.PublicKey.Verify(msg, forged));

        // what the attacker can offer as proof of possession: a signature under a (the only secret it has), or the victim's proof
        var popAttempt = new BlsSignature(G2Point.Multiply(HashToCurve.HashToG2(rogue.ToBytes(), Bls.PopDst), a));
        Assert.False(rogue.VerifyPossession(popAttempt));
        Assert.False(rogue.VerifyPossession(victim.ProvePossession()));
        var ex = Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(new[]
        {
            (victim.PublicKey, victim.ProvePossession()),
            (rogue, popAttempt),
        }, 2));
        Assert.Equal(CommitteeRegistrationError.InvalidProofOfPossession, ex.Error);
        Assert.Equal(1, ex.MemberIndex);
    }
}
