using System.Security.Cryptography;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Risk;
using Google.Protobuf;

namespace DVV.ZkRisk.Protocol.Submissions;

public sealed record BuiltSubmission(Submission Submission, Opening Opening, BandExposure Exposures, byte[] Digest);

/// <summary>
/// The trader side: from a position book and the epoch's information, per-band exposures, fresh blindings,
/// commitments, one aggregated range proof, the opening sealed to the venue with HPKE, and the Ed25519 signature.
/// </summary>
public sealed class TraderSdk(ISubmissionProofSystem proofs)
{
    /// <summary>Bit width of the indicator proof: z and 1 - z both in [0, 2^8) leaves z in {0, 1} (circuits/indicator.v1.json).</summary>
    public const int IndicatorBits = 8;

    public ISubmissionProofSystem Proofs { get; } = proofs;

    /// <summary>The band exposures a book (in the book format, samples/book.json) commits to in the epoch.</summary>
    public static BandExposure ComputeExposures(EpochInfo info, ReadOnlyMemory<byte> bookJson) =>
        EpochContext.Of(info.Parameters).Exposure(OpeningBook.Parse(bookJson));

    /// <param name="withRangeProof">false leaves the range proof empty: for benchmarks of sealing and of the other
    /// verification stages only (the gateway and the verifier refuse such a submission).</param>
    /// <param name="admission">the onboarding authority's admission of <paramref name="key"/> (the gateway refuses a submission without one)</param>
    public BuiltSubmission Build(EpochInfo info, Ed25519PrivateKey key, byte[] bookJson, Admission? admission, IProgress<string>? progress = null, bool withRangeProof = true)
    {
        progress?.Report("exposures");
        var epoch = EpochContext.Of(info.Parameters);
        var book = OpeningBook.Parse(bookJson);
        var exposures = epoch.Exposure(book);
        int bands = exposures.Count;

        progress?.Report("commitments");
        var values = exposures.Short.Concat(exposures.Long).ToArray();
        var blindings = values.Select(_ => Proofs.RandomBlinding()).ToArray();
        var commitments = values.Select((v, i) => Proofs.Commit(v, blindings[i])).ToArray();
        // contributor indicators z = [v != 0] (circuits/indicator.v1.json)
        var bits = values.Select(v => v != 0 ? 1UL : 0UL).ToArray();
        var tBlind = values.Select(_ => Proofs.RandomBlinding()).ToArray();
        var indicators = bits.Select((z, i) => Proofs.Commit(z, tBlind[i])).ToArray();

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
        static Commitment C(byte[] p) => new() { Point = new CompressedRistretto { Data = ByteString.CopyFrom(p) } };
        for (int b = 0; b < bands; b++)
        {
            s.ShortCommitments.Add(C(commitments[b]));
            s.LongCommitments.Add(C(commitments[bands + b]));
            s.ShortIndicators.Add(C(indicators[b]));
            s.LongIndicators.Add(C(indicators[bands + b]));
        }

        progress?.Report("range proof");
        int rangeBits = epoch.RangeBits;
        var ctx = new RangeProofContext(info.Epoch, info.ParameterHash.ToByteArray(), key.PublicKey.ToBytes(), Sealing.StatementSet.CombinedHashOf(info.Statements));
        // exposure proof over C_b - Z_b: v_b - z_b in range (so z_b = 1 only when v_b >= 1), blinding r_b - t_b
        var r = blindings.Select(x => RistrettoProofSystem.DecodeScalar(x)).ToArray();
        var t = tBlind.Select(x => RistrettoProofSystem.DecodeScalar(x)).ToArray();
        var shifted = values.Select((v, i) => v - bits[i]).ToArray();
        var shiftedBlind = r.Select((x, i) => (x - t[i]).ToBytes()).ToArray();
        // indicator proof over Z_b and B - Z_b: z_b and 1 - z_b in [0, 2^8), blindings t_b and -t_b
        var indValues = bits.Concat(bits.Select(z => 1 - z)).ToArray();
        var indBlind = t.Select(x => x.ToBytes()).Concat(t.Select(x => (Crypto.Scalar.Zero - x).ToBytes())).ToArray();
        s.RangeProof = new RangeProof
        {
            Data = withRangeProof ? ByteString.CopyFrom(Proofs.ProveRange(ctx, shifted, shiftedBlind, rangeBits)) : ByteString.Empty,
            BitSize = (uint)rangeBits,
            ValueCount = (uint)values.Length,
        };
        s.IndicatorProof = new RangeProof
        {
            Data = withRangeProof ? ByteString.CopyFrom(Proofs.ProveRange(ctx.ForIndicators(), indValues, indBlind, IndicatorBits)) : ByteString.Empty,
            BitSize = IndicatorBits,
            ValueCount = (uint)indValues.Length,
        };

        var opening = new Opening
        {
            BookJson = ByteString.CopyFrom(bookJson),
            CollateralUsd = book.CollateralUsd.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        opening.ShortValues.Add(exposures.Short);
        opening.LongValues.Add(exposures.Long);
        static Api.V1.Scalar Sc(byte[] x) => new() { Data = ByteString.CopyFrom(x) };
        for (int b = 0; b < bands; b++)
        {
            opening.ShortBlindings.Add(Sc(blindings[b]));
            opening.LongBlindings.Add(Sc(blindings[bands + b]));
            opening.ShortIndicatorBlindings.Add(Sc(tBlind[b]));
            opening.LongIndicatorBlindings.Add(Sc(tBlind[bands + b]));
        }

        progress?.Report("sealing (HPKE)");
        Seal(info, s, opening);
        progress?.Report("signing");
        var digest = Sign(s, key);
        return new BuiltSubmission(s, opening, exposures, digest);
    }

    /// <summary>Seals <paramref name="opening"/> to the venue's HPKE key with aad = the public digest of <paramref name="s"/>.</summary>
    public static void Seal(EpochInfo info, Submission s, Opening opening) => SealRaw(info, s, OpeningPadding.Pad(opening).ToByteArray());

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
