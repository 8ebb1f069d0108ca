namespace DVV.ZkRisk.Risk;

/// <summary>
/// A listed contract on the venue's single underlying. Instruments are value objects (records):
/// two positions on equal instruments net in a <see cref="PositionBook"/>, and a
/// <see cref="MarginContext"/> prices each distinct instrument once per scenario.
/// </summary>
public abstract record Instrument
{
    private protected Instrument() { }

    /// <summary>Linear (USD) or inverse (coin-settled).</summary>
    public abstract SettlementConvention Convention { get; }

    /// <summary>Human-readable, stable identifier, e.g. <c>C-70000-2025-07-25T08:00Z-linear</c>.</summary>
    public abstract string Id { get; }

    public sealed override string ToString() => Id;
}
