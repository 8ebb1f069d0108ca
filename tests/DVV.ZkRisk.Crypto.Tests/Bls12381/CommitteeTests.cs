using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

public class CommitteeTests
{
    private static readonly BlsSecretKey[] Keys = Enumerable.Range(0, 5).Select(i => BlsSecretKey.KeyGen(SHA256.HashData(new[] { (byte)i }))).ToArray();
    private static readonly VerifierCommittee Committee = VerifierCommittee.Register(Keys.Select(k => (k.PublicKey, k.ProvePossession())), threshold: 3);
    private static readonly byte[] BundleHash = SHA256.HashData("bundle 42"u8.ToArray());
    private const ulong Epoch = 42;

    private static Attestation Att(int i, ulong epoch = Epoch, byte[]? hash = null) => Attestation.Create(Keys[i], i, epoch, hash ?? BundleHash);

    private static AggregatedAttestation WithBitmap(AggregatedAttestation a, params int[] signers)
    {
        var bm = new SignerBitmap(Committee.Size);
        foreach (var i in signers) bm[i] = true;
        return a with { Signers = bm };
    }

    [Fact]
    public void Quorum_ReachedWithThresholdSigners()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(2), Att(4) });
        var r = QuorumCheck.Verify(Committee, agg, Epoch, BundleHash);
        Assert.True(r.IsValid, r.Reason);
        Assert.Equal(3, r.SignerCount);
        Assert.Equal("10101", agg.Signers.ToString());
        var all = AggregatedAttestation.Aggregate(Committee, Enumerable.Range(0, 5).Select(i => Att(i)));
        Assert.True(QuorumCheck.Verify(Committee, all, Epoch, BundleHash).IsValid);
    }

    [Fact]
    public void Quorum_OneShort_FailsBelowThreshold()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(1), Att(3) });
        var r = QuorumCheck.Verify(Committee, agg, Epoch, BundleHash);
        Assert.False(r.IsValid);
        Assert.Equal(QuorumFailure.BelowThreshold, r.Failure);
        Assert.Contains("threshold is 3", r.Reason);
    }

    [Fact]
    public void Quorum_MissingSignerInBitmap_FailsSignature()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(1), Att(2), Att(3) });
        var r = QuorumCheck.Verify(Committee, WithBitmap(agg, 0, 1, 2), Epoch, BundleHash);
        Assert.Equal(QuorumFailure.SignatureInvalid, r.Failure);
    }

    [Fact]
    public void Quorum_ExtraSignerInBitmap_FailsSignature()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(1), Att(2) });
        var r = QuorumCheck.Verify(Committee, WithBitmap(agg, 0, 1, 2, 4), Epoch, BundleHash);
        Assert.Equal(QuorumFailure.SignatureInvalid, r.Failure);
    }

    [Fact]
    public void Quorum_WrongEpochOrBundleOrRelabelledAttestation_Fails()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(1), Att(2) });
        Assert.Equal(QuorumFailure.EpochMismatch, QuorumCheck.Verify(Committee, agg, Epoch + 1, BundleHash).Failure);
        Assert.Equal(QuorumFailure.BundleHashMismatch, QuorumCheck.Verify(Committee, agg, Epoch, new byte[32]).Failure);
        // signatures for epoch 41 relabelled as epoch 42 (the epoch is inside the signed message)
        var old = AggregatedAttestation.Aggregate(Committee, new[] { Att(0, 41), Att(1, 41), Att(2, 41) });
        Assert.Equal(QuorumFailure.SignatureInvalid, QuorumCheck.Verify(Committee, old with { Epoch = Epoch }, Epoch, BundleHash).Failure);
        // a bitmap sized for another committee
        var small = new SignerBitmap(4); small[0] = small[1] = small[2] = true;
        Assert.Equal(QuorumFailure.BitmapSizeMismatch, QuorumCheck.Verify(Committee, agg with { Signers = small }, Epoch, BundleHash).Failure);
    }

    [Fact]
    public void Aggregate_RefusesBadDuplicateOrForeignAttestations()
    {
        var forged = Att(1) with { SignerIndex = 0 };  // member 1's signature claimed as member 0's
        Assert.Contains("does not verify", Assert.Throws<ArgumentException>(() => AggregatedAttestation.Aggregate(Committee, new[] { forged })).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(0) })).Message);
        Assert.Contains("another epoch", Assert.Throws<ArgumentException>(() => AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(1, 43) })).Message);
        Assert.False(Committee.VerifyAttestation(forged));
        Assert.True(Committee.VerifyAttestation(Att(3)));
    }

    [Fact]
    public void Registration_RefusesDuplicateKeysBadProofsAndBadThresholds()
    {
        var m = Keys.Select(k => (k.PublicKey, k.ProvePossession())).ToList();
        Assert.Equal(CommitteeRegistrationError.DuplicateKey, Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(m.Append(m[0]), 3)).Error);
        var swapped = new[] { (m[0].PublicKey, m[1].Item2), m[1] };
        var ex = Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(swapped, 1));
        Assert.Equal(CommitteeRegistrationError.InvalidProofOfPossession, ex.Error);
        Assert.Equal(0, ex.MemberIndex);
        Assert.Equal(CommitteeRegistrationError.ThresholdOutOfRange, Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(m, 6)).Error);
        Assert.Equal(CommitteeRegistrationError.ThresholdOutOfRange, Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(m, 0)).Error);
        Assert.Equal(CommitteeRegistrationError.Empty, Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.Register(Array.Empty<(BlsPublicKey, BlsSignature)>(), 1)).Error);
    }

    [Fact]
    public void AggregatedAttestation_WireFormatRoundTripsAndRejectsPadding()
    {
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(2), Att(3) });
        var bytes = agg.ToBytes();
        Assert.Equal(8 + 32 + 2 + 1 + 96, bytes.Length);
        var back = AggregatedAttestation.FromBytes(bytes);
        Assert.Equal(agg.Epoch, back.Epoch);
        Assert.Equal(agg.Signers, back.Signers);
        Assert.Equal(agg.Signature, back.Signature);
        Assert.True(QuorumCheck.Verify(Committee, back, Epoch, BundleHash).IsValid);
        var padded = (byte[])bytes.Clone(); padded[42] |= 0x80; // bit 7 of a 5-member bitmap
        Assert.Throws<FormatException>(() => AggregatedAttestation.FromBytes(padded));
        Assert.Throws<FormatException>(() => AggregatedAttestation.FromBytes(bytes[..^1]));
        var badSig = (byte[])bytes.Clone(); badSig[^1] ^= 1;
        Assert.ThrowsAny<FormatException>(() => AggregatedAttestation.FromBytes(badSig));
    }

    [Fact]
    public void CommitteeJson_RoundTripsAndRechecksProofs()
    {
        var json = Committee.ToJson();
        var back = VerifierCommittee.FromJson(json);
        Assert.Equal(Committee.CommitteeId, back.CommitteeId);
        Assert.Equal(3, back.Threshold);
        var agg = AggregatedAttestation.Aggregate(Committee, new[] { Att(0), Att(1), Att(4) });
        Assert.True(QuorumCheck.Verify(back, agg, Epoch, BundleHash).IsValid);
        // swap two proofs of possession: loading must fail on member 0
        var pop0 = Committee.Members[0].ProofOfPossession.ToHex();
        var pop1 = Committee.Members[1].ProofOfPossession.ToHex();
        var tampered = json.Replace(pop0, "X").Replace(pop1, pop0).Replace("X", pop1);
        Assert.Equal(CommitteeRegistrationError.InvalidProofOfPossession, Assert.Throws<CommitteeRegistrationException>(() => VerifierCommittee.FromJson(tampered)).Error);
        Assert.Throws<FormatException>(() => VerifierCommittee.FromJson("{"));
        Assert.ThrowsAny<FormatException>(() => VerifierCommittee.FromJson(json.Replace(Committee.Members[2].PublicKey.ToHex(), "zz")));
    }

    [Fact]
    public void AttestationMessage_IsDomainSeparated()
    {
        var msg = VerifierCommittee.AttestationMessage(0x0102030405060708, BundleHash);
        Assert.Equal("DVV.ZkRisk/attest/v1"u8.ToArray(), msg[..20]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, msg[20..28]);
        Assert.Equal(BundleHash, msg[28..]);
        Assert.Throws<ArgumentException>(() => VerifierCommittee.AttestationMessage(1, new byte[31]));
        Assert.Equal(32, Committee.CommitteeId.Length);
    }
}
