using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Risk;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Flags;

/// <summary>
/// The band-model liquidation flag in the integers a proof works on (DESIGN.md 9, circuits/flag.v1.json): per shock s
/// <code>
///   d_s = E_usd + kappa_s E_coin + Sum_b (LongCoefficient_sb L_b + ShortCoefficient_sb S_b)       lam_s = [d_s &lt; 0]
///   LongCoefficient_sb  = round(10^4 (Value_sb - LongMaintenance_sb))     10^-8 USD per 10^-4 contract
///   ShortCoefficient_sb = -round(10^4 (Value_sb + ShortMaintenance_sb))
///   kappa_s             = round(S0 (1 + spot shock_s))                    10^-8 USD per 10^-8 coin
/// </code>
/// with S_b, L_b the committed band exposures (contracts x 10^4), E_usd the committed USD collateral in 10^-8 USD and
/// E_coin the committed coin collateral in 10^-8 coin; d_s is in 10^-8 USD (<see cref="BandRevaluation"/> gives the
/// per-contract figures). Every coefficient is public, recomputed by a verifier from the epoch's parameter set and
/// market; a bundle carries the ones its venue used and a verifier accepts each within <see cref="Tolerance"/> of its
/// own (floating point may differ in the last bit between machines, as for the LSF weights: 10^-4 USD per contract).
/// |coefficient| &lt; 2^<see cref="CoefficientBits"/>, so |d_s| &lt; 2^64 (1 + 2^40 + 2 B 2^40 (2^64 + 1)) &lt; 2^117 for B &lt;= 1,024
/// bands: far below l - 2^64, which is what the sign proof's soundness needs (no value wraps mod l).
/// </summary>
internal sealed class FlagModel
{
    /// <summary>Units of d and E_usd per USD, and of E_coin per coin.</summary>
    public const long UsdUnits = 100_000_000, CoinUnits = 100_000_000;
    public const int CoefficientBits = 40;
    public const long Tolerance = 1;
    /// <summary>The sign proof's bit width: d_s + lam 2^64 in [0, 2^64), so an honest d_s must lie in [-2^63, 2^63) (a long).</summary>
    public const int DistanceBits = 64;

    private readonly long[] _long, _short, _coin;   // [s * B + b], [s * B + b], [s]
    // the same coefficients mod l, converted once: every trader's X_s and blinding use them
    private readonly Scalar[] _longScalar, _shortScalar, _coinScalar;

    private FlagModel(int bands, int shocks, long[] longCoefficients, long[] shortCoefficients, long[] coinCoefficients)
    {
        Bands = bands; Shocks = shocks; _long = longCoefficients; _short = shortCoefficients; _coin = coinCoefficients;
        _longScalar = Array.ConvertAll(_long, SignRangeProof.SignedScalar);
        _shortScalar = Array.ConvertAll(_short, SignRangeProof.SignedScalar);
        _coinScalar = Array.ConvertAll(_coin, SignRangeProof.SignedScalar);
    }

    public int Bands { get; }
    public int Shocks { get; }

    /// <summary>SHA-256 over the coefficients (long, short, coin; each little-endian i64), bound into every flag transcript.</summary>
    public byte[] Digest => _digest ??= ComputeDigest();
    private byte[]? _digest;

    private byte[] ComputeDigest()
    {
        var bytes = new byte[8 * (_long.Length + _short.Length + _coin.Length) + 8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, Bands);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Shocks);
        int o = 8;
        foreach (var a in new[] { _long, _short, _coin })
            foreach (long c in a) { System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(o), c); o += 8; }
        return System.Security.Cryptography.SHA256.HashData(bytes);
    }

    public ReadOnlySpan<long> LongCoefficients => _long;
    public ReadOnlySpan<long> ShortCoefficients => _short;
    public ReadOnlySpan<long> CoinCoefficients => _coin;
    public long LongCoefficient(int shock, int band) => _long[shock * Bands + band];
    public long ShortCoefficient(int shock, int band) => _short[shock * Bands + band];
    public long CoinCoefficient(int shock) => _coin[shock];

    /// <summary>The coefficients of an epoch, from its public parameter set and market.</summary>
    public static FlagModel Compute(DVV.ZkRisk.Risk.ParameterSet parameters, MarketSnapshot market)
    {
        var rev = new BandRevaluation(parameters, market);
        int bands = rev.Bands, shocks = rev.Shocks;
        var lc = new long[shocks * bands];
        var sc = new long[shocks * bands];
        var cc = new long[shocks];
        const double perUnit = UsdUnits / (double)Quantity.UnitsPerContract;   // 10^-8 USD per 10^-4 contract, per USD per contract
        for (int s = 0; s < shocks; s++)
        {
            cc[s] = Checked(Math.Round(rev.Spot * rev.SpotMultiplier[s] * UsdUnits / CoinUnits), "coin");
            for (int b = 0; b < bands; b++)
            {
                lc[s * bands + b] = Checked(Math.Round(perUnit * (rev.Value(s, b) - rev.LongMaintenance(s, b))), "long");
                sc[s * bands + b] = -Checked(Math.Round(perUnit * (rev.Value(s, b) + rev.ShortMaintenance(s, b))), "short");
            }
        }
        return new FlagModel(bands, shocks, lc, sc, cc);
    }

    private static long Checked(double x, string what)
    {
        if (!double.IsFinite(x) || Math.Abs(x) >= 1L << CoefficientBits)
            throw new RiskInputException($"band-model {what} coefficient {x} is outside +-2^{CoefficientBits}: the market cannot be margined in the proven band model");
        return (long)x;
    }

    /// <summary>The coefficients as a bundle publishes them, checked for shape and bounds (null and a reason otherwise).</summary>
    public static FlagModel? FromPublished(int bands, int shocks, IReadOnlyList<long> longCoefficients, IReadOnlyList<long> shortCoefficients,
        IReadOnlyList<long> coinCoefficients, out string? reason)
    {
        reason = null;
        if (longCoefficients.Count != bands * shocks || shortCoefficients.Count != bands * shocks || coinCoefficients.Count != shocks)
            reason = $"flag coefficients: {longCoefficients.Count} long, {shortCoefficients.Count} short and {coinCoefficients.Count} coin, expected {bands * shocks}, {bands * shocks} and {shocks}";
        else if (longCoefficients.Concat(shortCoefficients).Concat(coinCoefficients).Any(c => c <= -(1L << CoefficientBits) || c >= 1L << CoefficientBits))
            reason = $"flag coefficients: a coefficient is outside +-2^{CoefficientBits} (the sign proof would not be sound)";
        return reason is null ? new FlagModel(bands, shocks, longCoefficients.ToArray(), shortCoefficients.ToArray(), coinCoefficients.ToArray()) : null;
    }

    /// <summary>Whether every coefficient is within <see cref="Tolerance"/> of <paramref name="expected"/>'s; the first that is not, by name.</summary>
    public bool AgreesWith(FlagModel expected, out string? reason)
    {
        reason = null;
        if (expected.Bands != Bands || expected.Shocks != Shocks) { reason = "flag coefficients: band or shock grid differs from the parameter set"; return false; }
        for (int i = 0; i < _long.Length && reason is null; i++)
        {
            if (Math.Abs(_long[i] - expected._long[i]) > Tolerance) reason = Name("long", i, _long[i], expected._long[i]);
            else if (Math.Abs(_short[i] - expected._short[i]) > Tolerance) reason = Name("short", i, _short[i], expected._short[i]);
        }
        for (int s = 0; s < Shocks && reason is null; s++)
            if (Math.Abs(_coin[s] - expected._coin[s]) > Tolerance) reason = $"flag coefficients: coin[{s}] is {_coin[s]}, the parameter set and market give {expected._coin[s]}";
        return reason is null;
        string Name(string what, int i, long got, long want) =>
            $"flag coefficients: {what}[shock {i / Bands}, band {i % Bands}] is {got}, the parameter set and market give {want}";
    }

    /// <summary>d_s exactly (in 10^-8 USD), from a trader's opening; null when it is outside [-2^63, 2^63), where no sign
    /// proof exists (the gateway refuses such a book).</summary>
    public long? Distance(int shock, ReadOnlySpan<ulong> shortValues, ReadOnlySpan<ulong> longValues, ulong collateralUsd, ulong collateralCoin)
    {
        if (shortValues.Length != Bands || longValues.Length != Bands) throw new ArgumentException($"{shortValues.Length} short and {longValues.Length} long values for {Bands} bands");
        Int128 d = (Int128)collateralUsd + (Int128)_coin[shock] * collateralCoin;
        int o = shock * Bands;
        for (int b = 0; b < Bands; b++) d += (Int128)_long[o + b] * longValues[b] + (Int128)_short[o + b] * shortValues[b];
        return d >= long.MinValue && d <= long.MaxValue ? (long)d : null;
    }

    /// <summary>lam_s = [d_s &lt; 0] for every shock: the band-model flags of an opening (the sealer's rule, and the simulator's
    /// in the clear); null when some d_s is outside [-2^63, 2^63).</summary>
    public LiquidationFlags? Flags(ReadOnlySpan<ulong> shortValues, ReadOnlySpan<ulong> longValues, ulong collateralUsd, ulong collateralCoin)
    {
        uint mask = 0;
        for (int s = 0; s < Shocks; s++)
        {
            if (Distance(s, shortValues, longValues, collateralUsd, collateralCoin) is not { } d) return null;
            mask |= (uint)SignRangeProof.NegativeBit(d) << s;
        }
        return new LiquidationFlags(mask, Shocks);
    }

    /// <summary>The commitment X_s to d_s, from the submission's commitments with public scalars (verifier side, variable time).</summary>
    public RistrettoPoint DistanceCommitment(int shock, IReadOnlyList<RistrettoPoint> shortCommitments, IReadOnlyList<RistrettoPoint> longCommitments,
        in RistrettoPoint collateralUsd, in RistrettoPoint collateralCoin)
    {
        int n = 2 * Bands + 2;
        var scalars = new Scalar[n];
        var points = new RistrettoPoint[n];
        int o = shock * Bands;
        _longScalar.AsSpan(o, Bands).CopyTo(scalars);
        _shortScalar.AsSpan(o, Bands).CopyTo(scalars.AsSpan(Bands));
        for (int b = 0; b < Bands; b++) { points[b] = longCommitments[b]; points[Bands + b] = shortCommitments[b]; }
        scalars[2 * Bands] = Scalar.One; points[2 * Bands] = collateralUsd;
        scalars[2 * Bands + 1] = _coinScalar[shock]; points[2 * Bands + 1] = collateralCoin;
        return MultiscalarMul.Vartime(scalars, points);
    }

    /// <summary>The blinding of X_s: the same public combination of the trader's blindings (venue side).</summary>
    public Scalar DistanceBlinding(int shock, IReadOnlyList<Scalar> shortBlindings, IReadOnlyList<Scalar> longBlindings, in Scalar collateralUsd, in Scalar collateralCoin)
    {
        Scalar r = collateralUsd + _coinScalar[shock] * collateralCoin;
        int o = shock * Bands;
        for (int b = 0; b < Bands; b++)
            r += _longScalar[o + b] * longBlindings[b] + _shortScalar[o + b] * shortBlindings[b];
        return r;
    }
}
