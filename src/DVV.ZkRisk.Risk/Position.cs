namespace DVV.ZkRisk.Risk;

/// <summary>
/// A signed holding: positive = long, negative = short, in E4 units (10^-4 contract, see
/// <see cref="Quantity"/>).
/// </summary>
public readonly record struct Position(Instrument Instrument, long QuantityE4)
{
    /// <summary>Size in contracts (signed).</summary>
    public double Contracts => Quantity.ToContracts(QuantityE4);

    /// <summary>Builds a position from a size in contracts (must be a multiple of 0.0001).</summary>
    public static Position Of(Instrument instrument, double contracts) => new(instrument ?? throw new RiskInputException("position instrument is missing"), Quantity.FromContracts(contracts));
}
