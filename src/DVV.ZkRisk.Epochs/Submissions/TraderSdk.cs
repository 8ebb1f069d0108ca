using System.Security.Cryptography;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Epochs.Bands;
using DVV.ZkRisk.Epochs.Book;
using DVV.ZkRisk.Epochs.Proofs;
using Google.Protobuf;

namespace DVV.ZkRisk.Epochs.Submissions;

public sealed record BuiltSubmission(Submission Submission, Opening Opening, BandExposures Exposures, byte[] Digest);

/// <summary>
/// The trader side: from a position book and the epoch's information, per-band exposures, fresh blindings,
/// commitments, one aggregated range proof, the opening sealed to the venue with HPKE, and the Ed25519 signature.
/// </summary>
public sealed class TraderSdk(ISubmissionProofSystem proofs)
{
    public ISubmissionProofSystem Proofs { get; } = proofs;

    public static BandExposures ComputeExposures(EpochInfo info, ReadOnlySpan<byte> bookJson)
    {
        var book = PositionBook.Parse(bookJson);
        return book.Exposures(BandGrids.For(info.Parameters), DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs));
    }

    /// <param name="withRangeProof">false leaves the range proof empty: for benchmarks of sealing and of the other
    /// verification stages only (the gateway and the verifier refuse such a submission).</param>
    /// <param name="admission">the onboarding authority's admission of <paramref name="key"/> (the gateway refuses a submission without one)</param>
    public BuiltSubmission Build(EpochInfo info, Ed25519PrivateKey key, byte[] bookJson, Admission? admission, IProgress<string>? progress = null, bool withRangeProof = true)
    {
        progress?.Report("exposures");
        var book = PositionBook.Parse(bookJson);
        var exposures = book.Exposures(BandGrids.For(info.Parameters), DateTimeOffset.FromUnixTimeMilliseconds(info.Parameters.ValuationTimeUnixMs));
        int bands = exposures.BandCount;

        progress?.Report("commitments");
        var values = exposures.Short.Concat(exposures.Long).ToArray();
        var blindings = values.Select(_ => Proofs.RandomBlinding()).ToArray();
        var commitments = values.Select((v, i) => Proofs.Commit(v, blindings[i])).ToArray();

        var s = new Submission
        {
            Epoch = info.Epoch,
            ParameterHash = info.ParameterHash,
            TraderPublicKey = ByteString.CopyFrom(key.PublicKey.ToBytes()),
            Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16)),
            CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            // the submission leaves the state when its first option expires: the trader resubmits before then
            ValidUntilUnixMs = book.EarliestExpiry?.ToUnixTimeMilliseconds() ?? 0,
            Admission = admission,
        };
        for (int b = 0; b < bands; b++)
        {
            s.ShortCommitments.Add(new Commitment { Point = new CompressedRistretto { Data = ByteString.CopyFrom(commitments[b]) } });
            s.LongCommitments.Add(new Commitment { Point = new CompressedRistretto { Data = ByteString.CopyFrom(commitments[bands + b]) } });
        }

        progress?.Report("range proof");
        int bits = (int)(info.Parameters.RangeBits == 0 ? 64 : info.Parameters.RangeBits);
        var ctx = new RangeProofContext(info.Epoch, info.ParameterHash.ToByteArray(), key.PublicKey.ToBytes(), Sealing.StatementSet.CombinedHashOf(info.Statements));
        s.RangeProof = new RangeProof
        {
            Data = withRangeProof ? ByteString.CopyFrom(Proofs.ProveRange(ctx, values, blindings, bits)) : ByteString.Empty,
            BitSize = (uint)bits,
            ValueCount = (uint)values.Length,
        };

        var opening = new Opening
        {
            BookJson = ByteString.CopyFrom(bookJson),
            CollateralUsd = book.CollateralUsd.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        opening.ShortValues.Add(exposures.Short);
        opening.LongValues.Add(exposures.Long);
        for (int b = 0; b < bands; b++)
        {
            opening.ShortBlindings.Add(new Api.V1.Scalar { Data = ByteString.CopyFrom(blindings[b]) });
            opening.LongBlindings.Add(new Api.V1.Scalar { Data = ByteString.CopyFrom(blindings[bands + b]) });
        }

        progress?.Report("sealing (HPKE)");
        Seal(info, s, opening);
        progress?.Report("signing");
        var digest = Sign(s, key);
        return new BuiltSubmission(s, opening, exposures, digest);
    }

    /// <summary>Seals <paramref name="opening"/> to the venue's HPKE key with aad = the public digest of <paramref name="s"/>.</summary>
    public static void Seal(EpochInfo info, Submission s, Opening opening) => SealRaw(info, s, opening.ToByteArray());

    public static void SealRaw(EpochInfo info, Submission s, byte[] plaintext)
    {
        var (enc, ct) = Hpke.Seal(info.VenueHpkePublicKey.Span, System.Text.Encoding.ASCII.GetBytes(SubmissionDigest.HpkeInfo),
            SubmissionDigest.Public(s), plaintext);
        s.SealedOpening = new HpkeBox
        {
            KemId = Hpke.KemId, KdfId = Hpke.KdfId, AeadId = Hpke.AeadId,
            Enc = ByteString.CopyFrom(enc), Ciphertext = ByteString.CopyFrom(ct),
        };
    }

    /// <summary>Signs the submission digest; returns the digest.</summary>
    public static byte[] Sign(Submission s, Ed25519PrivateKey key)
    {
        var digest = SubmissionDigest.Signed(s);
        s.Signature = ByteString.CopyFrom(key.Sign(digest));
        return digest;
    }

    /// <summary>Checks a receipt's venue signature and that it acknowledges <paramref name="digest"/>.</summary>
    public static bool VerifyReceipt(Receipt r, ReadOnlySpan<byte> venueSigningKey, ReadOnlySpan<byte> digest)
    {
        if (!r.SubmissionDigest.Span.SequenceEqual(digest) || !r.VenuePublicKey.Span.SequenceEqual(venueSigningKey)) return false;
        if (!Ed25519PublicKey.TryFromBytes(venueSigningKey, out var pk)) return false;
        return pk!.Verify(SubmissionDigest.Receipt(r), r.VenueSignature.Span);
    }
}
