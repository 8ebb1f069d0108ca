using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// The openings of a submission's commitments, which only the venue reads (wire: dvv.zkrisk.v1.Opening, the plaintext of
/// the sealed box): per band the values S_b, L_b and blindings r_b, the indicator blindings t_b, the exact book bytes the
/// values were computed from and the collateral. Secret: never logged, never public beyond the trader and the venue.
/// </summary>
public sealed record Opening
{
    public IReadOnlyList<ulong> ShortValues { get; init; } = [];
    public IReadOnlyList<ulong> LongValues { get; init; } = [];
    public IReadOnlyList<Scalar> ShortBlindings { get; init; } = [];
    public IReadOnlyList<Scalar> LongBlindings { get; init; } = [];
    /// <summary>The position book, the exact UTF-8 JSON bytes (samples/book.json format).</summary>
    public ReadOnlyMemory<byte> BookJson { get; init; }
    /// <summary>Decimal string, USD.</summary>
    public string CollateralUsd { get; init; } = "";
    public IReadOnlyList<Scalar> ShortIndicatorBlindings { get; init; } = [];
    public IReadOnlyList<Scalar> LongIndicatorBlindings { get; init; } = [];
    /// <summary>Openings of the collateral commitments: E_usd in 10^-8 USD and E_coin in 10^-8 coin
    /// (<see cref="Flags.CollateralUnits"/> of the book) and their blindings; zero when the submission has none.</summary>
    public ulong CollateralUsdUnits { get; init; }
    public ulong CollateralCoinUnits { get; init; }
    public Scalar CollateralUsdBlinding { get; init; }
    public Scalar CollateralCoinBlinding { get; init; }
    /// <summary>Zeros that pad the encoding to a size class (<see cref="Submissions.OpeningPadding"/>).</summary>
    public int PaddingLength { get; init; }
}
