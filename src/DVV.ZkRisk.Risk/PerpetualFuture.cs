using System.Globalization;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Perpetual future used as a delta hedge. Linear: one contract is <see cref="ContractSize"/> coins,
/// USD PnL = size * (S' - S). Inverse: one contract is <see cref="ContractSize"/> USD of face, coin
/// PnL = face * (1/S - 1/S'), worth face * (S'/S - 1) USD at the new spot S'. Funding is ignored
/// (it is paid continuously and is not a scenario risk). Perpetuals carry no band exposure: bands
/// are for options (DESIGN.md 4), but perpetuals do move a book's PnL and so its liquidation flags.
/// </summary>
public sealed record PerpetualFuture : Instrument
{
    public PerpetualFuture(SettlementConvention convention = SettlementConvention.Linear, double contractSize = 1.0)
    {
        if (convention is not (SettlementConvention.Linear or SettlementConvention.Inverse))
            throw new RiskInputException($"unknown settlement convention {(int)convention}");
        RiskInputException.RequirePositive(contractSize, "perpetual contract size");
        _convention = convention;
        ContractSize = contractSize;
    }

    private readonly SettlementConvention _convention;

    public override SettlementConvention Convention => _convention;

    /// <summary>Coins per contract (linear) or USD face per contract (inverse).</summary>
    public double ContractSize { get; }

    public override string Id =>
        string.Create(CultureInfo.InvariantCulture,
            $"PERP-{(Convention == SettlementConvention.Linear ? "linear" : "inverse")}-{ContractSize:R}");
}
