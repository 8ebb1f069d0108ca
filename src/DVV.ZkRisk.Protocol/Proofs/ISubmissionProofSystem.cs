namespace DVV.ZkRisk.Protocol.Proofs;

/// <summary>What a submission's range proofs are bound to: transcript label (one per proof of the submission), epoch,
/// parameter hash, trader key and the combined hash of the statement definitions (circuits/).</summary>
public sealed record RangeProofContext(ulong Epoch, byte[] ParameterHash, byte[] TraderPublicKey, byte[] StatementHash, string Label = RangeProofContext.TranscriptLabel)
{
    /// <summary>The exposure proof: every v_b - z_b in [0, 2^64) over C_b - Z_b.</summary>
    public const string TranscriptLabel = DomainLabels.SubmissionRange;
    /// <summary>The indicator proof: every z_b and 1 - z_b in [0, 2^8) over Z_b and B - Z_b.</summary>
    public const string IndicatorLabel = DomainLabels.SubmissionIndicators;

    /// <summary>The collateral proof: E_usd and E_coin in [0, 2^64) over CE_usd and CE_coin.</summary>
    public const string CollateralLabel = DomainLabels.SubmissionCollateral;

    public RangeProofContext ForIndicators() => this with { Label = IndicatorLabel };
    public RangeProofContext ForCollateral() => this with { Label = CollateralLabel };
}

/// <summary>An encoding the group or scalar field refuses; <see cref="Reason"/> says why (non-canonical, not on the group, ...).</summary>
public sealed class ProofEncodingException(string reason) : FormatException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// The narrow seam between submissions and the group/proof code: Pedersen commitments over Ristretto255 and
/// aggregated Bulletproofs range proofs. Encodings are 32-byte canonical points and scalars.
/// </summary>
public interface ISubmissionProofSystem
{
    string Name { get; }

    /// <summary>A fresh uniformly random blinding (canonical scalar bytes).</summary>
    byte[] RandomBlinding();

    /// <summary>Throws <see cref="ProofEncodingException"/> unless <paramref name="point"/> is a canonical point encoding.</summary>
    void ValidatePoint(ReadOnlySpan<byte> point);

    /// <summary>Throws <see cref="ProofEncodingException"/> unless <paramref name="scalar"/> is canonical (&lt; l).</summary>
    void ValidateScalar(ReadOnlySpan<byte> scalar);

    /// <summary>C = v*B + r*B_blinding, encoded.</summary>
    byte[] Commit(ulong value, ReadOnlySpan<byte> blinding);

    /// <summary>True when every (value, blinding) opens its commitment; one random-weighted batch check
    /// (sum w_i C_i == (sum w_i v_i) B + (sum w_i r_i) B_blinding). Inputs are already validated.</summary>
    bool VerifyOpeningsBatch(IReadOnlyList<byte[]> commitments, IReadOnlyList<ulong> values, IReadOnlyList<byte[]> blindings);

    /// <summary>One aggregated proof that every value lies in [0, 2^bitSize); values.Count a power of two.</summary>
    byte[] ProveRange(RangeProofContext context, IReadOnlyList<ulong> values, IReadOnlyList<byte[]> blindings, int bitSize);

    /// <summary>True when <paramref name="proof"/> proves every commitment in range; throws <see cref="ProofEncodingException"/> when the proof bytes do not decode.</summary>
    bool VerifyRange(RangeProofContext context, IReadOnlyList<byte[]> commitments, ReadOnlySpan<byte> proof, int bitSize);
}
