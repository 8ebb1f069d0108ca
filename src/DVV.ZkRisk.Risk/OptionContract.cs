using System.Globalization;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// European option on the underlying, one coin of notional per contract in both conventions (as on
/// Deribit). Priced with Black-76 on the forward of its expiry (<see cref="Black76"/>).
/// </summary>
public sealed record OptionContract : Instrument
{
    public OptionContract(OptionType type, double strike, DateTimeOffset expiry, SettlementConvention convention = SettlementConvention.Linear)
    {
        RiskInputException.RequirePositive(strike, "option strike");
        if (type is not (OptionType.Call or OptionType.Put))
            throw new RiskInputException($"unknown option type {(int)type}");
        if (convention is not (SettlementConvention.Linear or SettlementConvention.Inverse))
            throw new RiskInputException($"unknown settlement convention {(int)convention}");
        Type = type;
        Strike = strike;
        Expiry = expiry.ToUniversalTime();
        _convention = convention;
    }

    private readonly SettlementConvention _convention;

    public OptionType Type { get; }
    /// <summary>Strike in USD per coin.</summary>
    public double Strike { get; }
    /// <summary>Expiry instant (UTC).</summary>
    public DateTimeOffset Expiry { get; }
    public override SettlementConvention Convention => _convention;

    public override string Id =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(Type == OptionType.Call ? 'C' : 'P')}-{Strike:R}-{Expiry:yyyy-MM-ddTHH:mm:ssZ}-{(Convention == SettlementConvention.Linear ? "linear" : "inverse")}");
}
