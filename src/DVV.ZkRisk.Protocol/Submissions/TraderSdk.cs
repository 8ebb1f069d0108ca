using System.Security.Cryptography;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Submissions;

public sealed record BuiltSubmission(Submission Submission, Opening Opening, BandExposure Exposures, byte[] Digest);

/// <summary>
/// The trader side: from a position book and the epoch's information, per-band exposures, fresh blindings,
/// commitments and indicators with their range proofs, the committed collateral with its range proof when the epoch
/// proves the flags, the opening sealed to the venue with HPKE, and the Ed25519 signature.
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
    /// <param name="linkedAccounts">the other accounts this one is margined with as one (circuits/cluster.v1.json): each
    /// of them must declare the same group in its own submission for the cluster to be declared</param>
    public BuiltSubmission Build(EpochInfo info, Ed25519PrivateKey key, byte[] bookJson, Admission? admission, IProgress<string>? progress = null, bool withRangeProof = true,
        IEnumerable<ReadOnlyMemory<byte>>? linkedAccounts = null)
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

        var trader = key.PublicKey.ToBytes();
        progress?.Report("range proof");
        int rangeBits = epoch.RangeBits;
        var ctx = new RangeProofContext(info.Epoch, info.ParameterHash.ToArray(), trader, Sealing.StatementSet.CombinedHashOf(info.Statements));
        // exposure proof over C_b - Z_b: v_b - z_b in range (so z_b = 1 only when v_b >= 1), blinding r_b - t_b
        var r = blindings.Select(x => RistrettoProofSystem.DecodeScalar(x)).ToArray();
        var t = tBlind.Select(x => RistrettoProofSystem.DecodeScalar(x)).ToArray();
        var shifted = values.Select((v, i) => v - bits[i]).ToArray();
        var shiftedBlind = r.Select((x, i) => (x - t[i]).ToBytes()).ToArray();
        // indicator proof over Z_b and B - Z_b: z_b and 1 - z_b in [0, 2^8), blindings t_b and -t_b
        var indValues = bits.Concat(bits.Select(z => 1 - z)).ToArray();
        var indBlind = t.Select(x => x.ToBytes()).Concat(t.Select(x => (Crypto.Scalar.Zero - x).ToBytes())).ToArray();
        RangeProof? Prove(RangeProofContext c, ulong[] v, byte[][] b, int n) => withRangeProof ? RangeProof.FromBytes(Proofs.ProveRange(c, v, b, n)) : null;
        // the collateral, committed when the epoch proves the flags (circuits/flag.v1.json): E_usd, E_coin in 10^-8 units
        bool committed = Sealing.StatementSet.NamesFlag(info.Statements);
        ulong usdUnits = 0, coinUnits = 0;
        byte[] usdBlind = [], coinBlind = [];
        if (committed)
        {
            if (!Flags.CollateralUnits.TryOf(book, out usdUnits, out coinUnits, out var field, out var reason)) throw RiskInputException.At(field!, reason!);
            usdBlind = Proofs.RandomBlinding();
            coinBlind = Proofs.RandomBlinding();
        }

        static Commitment C(byte[] p) => Commitment.Of(RistrettoProofSystem.DecodePoint(p));
        var s = new Submission
        {
            Epoch = info.Epoch,
            ParameterHash = info.ParameterHash,
            TraderPublicKey = trader,
            ShortCommitments = commitments[..bands].Select(C).ToArray(),
            LongCommitments = commitments[bands..].Select(C).ToArray(),
            ShortIndicators = indicators[..bands].Select(C).ToArray(),
            LongIndicators = indicators[bands..].Select(C).ToArray(),
            RangeProof = new AggregatedRangeProof(Prove(ctx, shifted, shiftedBlind, rangeBits), (uint)rangeBits, (uint)values.Length),
            IndicatorProof = new AggregatedRangeProof(Prove(ctx.ForIndicators(), indValues, indBlind, IndicatorBits), IndicatorBits, (uint)indValues.Length),
            Nonce = RandomNumberGenerator.GetBytes(16),
            CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            // the submission leaves the state when its first option expires: the trader resubmits before then
            ValidUntilUnixMs = book.EarliestExpiry?.ToUnixTimeMilliseconds() ?? 0,
            Admission = admission,
            LinkedAccounts = linkedAccounts is null ? [] : LinkedAccounts.Canonical(linkedAccounts, trader),
        };
        if (s.LinkedAccounts.Count > 0 && !info.Statements.Any(d => d.Name == "cluster"))
            throw new ArgumentException("the epoch's statements do not include the cluster relation: it margins no linked accounts", nameof(linkedAccounts));
        if (committed)
        {
            progress?.Report("collateral proof");
            s = s with
            {
                CollateralUsd = C(Proofs.Commit(usdUnits, usdBlind)), CollateralCoin = C(Proofs.Commit(coinUnits, coinBlind)),
                CollateralProof = new AggregatedRangeProof(Prove(ctx.ForCollateral(), [usdUnits, coinUnits], [usdBlind, coinBlind], Verification.SubmissionRangeClaims.CollateralBits),
                    Verification.SubmissionRangeClaims.CollateralBits, 2),
            };
        }

        static Crypto.Scalar Sc(byte[] x) => RistrettoProofSystem.DecodeScalar(x);
        var opening = new Opening
        {
            ShortValues = exposures.Short.ToArray(), LongValues = exposures.Long.ToArray(),
            ShortBlindings = blindings[..bands].Select(Sc).ToArray(), LongBlindings = blindings[bands..].Select(Sc).ToArray(),
            BookJson = bookJson,
            CollateralUsd = book.CollateralUsd.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ShortIndicatorBlindings = tBlind[..bands].Select(Sc).ToArray(), LongIndicatorBlindings = tBlind[bands..].Select(Sc).ToArray(),
            CollateralUsdUnits = usdUnits, CollateralCoinUnits = coinUnits,
            CollateralUsdBlinding = committed ? Sc(usdBlind) : Crypto.Scalar.Zero, CollateralCoinBlinding = committed ? Sc(coinBlind) : Crypto.Scalar.Zero,
        };

        progress?.Report("sealing (HPKE)");
        s = Seal(info, s, opening);
        progress?.Report("signing");
        (s, var digest) = Sign(s, key);
        return new BuiltSubmission(s, opening, exposures, digest);
    }

    /// <summary><paramref name="s"/> with <paramref name="opening"/> sealed to the venue's HPKE key, aad = the public digest of <paramref name="s"/>.</summary>
    public static Submission Seal(EpochInfo info, Submission s, Opening opening) => SealRaw(info, s, Codec.WireCodec.Encode(OpeningPadding.Pad(opening)));

    /// <summary><paramref name="s"/> with <paramref name="plaintext"/> sealed to the venue's HPKE key (aad: its public digest).</summary>
    public static Submission SealRaw(EpochInfo info, Submission s, byte[] plaintext)
    {
        var (enc, ct) = Hpke.Seal(info.VenueHpkePublicKey.Span, System.Text.Encoding.ASCII.GetBytes(SubmissionDigest.HpkeInfo),
            SubmissionDigest.Public(s), plaintext);
        return s with { SealedOpening = new SealedBox(Hpke.KemId, Hpke.KdfId, Hpke.AeadId, enc, ct) };
    }

    /// <summary><paramref name="s"/> signed over its submission digest, and the digest.</summary>
    public static (Submission Signed, byte[] Digest) Sign(Submission s, Ed25519PrivateKey key)
    {
        var digest = SubmissionDigest.Signed(s);
        return (s with { Signature = key.Sign(digest) }, digest);
    }

    /// <summary>Checks a receipt's venue signature and that it acknowledges <paramref name="digest"/>.</summary>
    public static bool VerifyReceipt(Receipt r, ReadOnlySpan<byte> venueSigningKey, ReadOnlySpan<byte> digest)
    {
        if (!r.SubmissionDigest.Span.SequenceEqual(digest) || !r.VenuePublicKey.Span.SequenceEqual(venueSigningKey)) return false;
        if (!Ed25519PublicKey.TryFromBytes(venueSigningKey, out var pk)) return false;
        return pk!.Verify(SubmissionDigest.Receipt(r), r.VenueSignature.Span);
    }
}
