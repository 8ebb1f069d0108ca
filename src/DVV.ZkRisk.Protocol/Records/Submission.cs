using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// A trader's submission for one epoch (wire: dvv.zkrisk.v1.Submission), decoded: per band the Pedersen commitments
/// C_b = S_b B + r_b B~ (short, long) and the contributor indicators Z_b = [S_b != 0] B + t_b B~, the two aggregated range
/// proofs, the opening sealed to the venue (or, as a bundle publishes it, only the box's hash), the onboarding
/// authority's admission and the trader's Ed25519 signature over <see cref="Submissions.SubmissionDigest.Signed(Submission)"/>.
/// Points are valid Ristretto encodings by construction; whether they are the right ones is for the gateway and the
/// verifier to check.
/// </summary>
public sealed record Submission
{
    public ulong Epoch { get; init; }
    public ReadOnlyMemory<byte> ParameterHash { get; init; }
    /// <summary>Ed25519, 32 bytes.</summary>
    public ReadOnlyMemory<byte> TraderPublicKey { get; init; }
    public IReadOnlyList<Commitment> ShortCommitments { get; init; } = [];
    public IReadOnlyList<Commitment> LongCommitments { get; init; } = [];
    /// <summary>The exposure proof over C_b - Z_b (circuits/range.v2.json).</summary>
    public AggregatedRangeProof? RangeProof { get; init; }
    public SealedBox? SealedOpening { get; init; }
    /// <summary>16 random bytes.</summary>
    public ReadOnlyMemory<byte> Nonce { get; init; }
    public long CreatedAtUnixMs { get; init; }
    public long ValidUntilUnixMs { get; init; }
    public Admission? Admission { get; init; }
    public IReadOnlyList<Commitment> ShortIndicators { get; init; } = [];
    public IReadOnlyList<Commitment> LongIndicators { get; init; } = [];
    /// <summary>The 8-bit indicator proof over Z_S, Z_L, B - Z_S, B - Z_L (circuits/indicator.v1.json).</summary>
    public AggregatedRangeProof? IndicatorProof { get; init; }
    /// <summary>64 bytes.</summary>
    public ReadOnlyMemory<byte> Signature { get; init; }
    /// <summary>What a bundle carries instead of <see cref="SealedOpening"/>: the box's hash.</summary>
    public ReadOnlyMemory<byte> SealedOpeningHash { get; init; }
    /// <summary>CE_usd = E_usd B + r_usd B~, E_usd the book's USD collateral in 10^-8 USD (circuits/flag.v1.json); null in a
    /// submission made for statements without the flag relation.</summary>
    public Commitment? CollateralUsd { get; init; }
    /// <summary>CE_coin, the coin collateral in 10^-8 coin.</summary>
    public Commitment? CollateralCoin { get; init; }
    /// <summary>The 64-bit proof over CE_usd and CE_coin (2 values).</summary>
    public AggregatedRangeProof? CollateralProof { get; init; }

    /// <summary>The trader's declaration of linked accounts (circuits/cluster.v1.json): the Ed25519 keys of the other accounts
    /// it is margined with as one, strictly ascending, without its own. Signed with the rest of the submission; accounts
    /// whose live submissions all name each other form a declared cluster.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> LinkedAccounts { get; init; } = [];

    /// <summary>Whether the submission commits to its collateral (both commitments present).</summary>
    public bool HasCollateral => CollateralUsd is not null && CollateralCoin is not null;

    public int BandCount => ShortCommitments.Count;
}

/// <summary>An aggregated Bulletproofs range proof with the shape it claims (wire: dvv.zkrisk.v1.RangeProof): every one of
/// <see cref="ValueCount"/> values in [0, 2^<see cref="BitSize"/>). <see cref="Proof"/> is null when the wire carries
/// no proof bytes.</summary>
public sealed record AggregatedRangeProof(RangeProof? Proof, uint BitSize, uint ValueCount);

/// <summary>An HPKE box (RFC 9180; wire: dvv.zkrisk.v1.HpkeBox): the suite, the 32-byte X25519 encapsulated key, the
/// ciphertext with its 16-byte tag.</summary>
public sealed record SealedBox(uint KemId, uint KdfId, uint AeadId, ReadOnlyMemory<byte> Enc, ReadOnlyMemory<byte> Ciphertext);
