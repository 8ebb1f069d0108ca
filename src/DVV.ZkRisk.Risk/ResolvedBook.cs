namespace DVV.ZkRisk.Risk;

/// <summary>
/// A <see cref="PositionBook"/> bound to a <see cref="MarginContext"/>: instrument indices into the
/// context's risk arrays and sizes, in flat arrays, so margining a book touches no dictionaries,
/// no objects per position and allocates nothing. Build with <see cref="MarginContext.Resolve"/>.
/// </summary>
public sealed class ResolvedBook
{
    internal ResolvedBook(MarginContext context, string accountId, int[] index, long[] quantityE4, double collateralUsd, double collateralCoin)
    {
        Context = context; AccountId = accountId; Index = index; QuantityE4 = quantityE4;
        Contracts = new double[quantityE4.Length];
        for (int i = 0; i < quantityE4.Length; i++) Contracts[i] = Quantity.ToContracts(quantityE4[i]);
        CollateralUsd = collateralUsd; CollateralCoin = collateralCoin;
    }

    public MarginContext Context { get; }
    public string AccountId { get; }
    internal int[] Index { get; }
    internal long[] QuantityE4 { get; }
    internal double[] Contracts { get; }
    public double CollateralUsd { get; }
    public double CollateralCoin { get; }
    public int PositionCount => Index.Length;
}
