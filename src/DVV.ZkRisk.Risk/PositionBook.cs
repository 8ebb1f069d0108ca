namespace DVV.ZkRisk.Risk;

/// <summary>
/// One account's positions and collateral. Positions on the same instrument are netted on
/// construction (a book is a function instrument -> signed size), zero positions dropped, and the
/// order made canonical (by <see cref="Instrument.Id"/>), so that equal books give equal band
/// exposures and equal margins whatever order the positions were listed in.
/// Equity = CollateralUsd + CollateralCoin * S + mark-to-market of the positions; coin collateral is
/// revalued at the shocked spot when liquidation flags are decided (DESIGN.md 2, step 4).
/// </summary>
public sealed class PositionBook
{
    private readonly Position[] _positions;

    public PositionBook(string accountId, IEnumerable<Position> positions, double collateralUsd = 0, double collateralCoin = 0)
    {
        if (string.IsNullOrWhiteSpace(accountId))
            throw new RiskInputException("account id must not be empty");
        ArgumentNullException.ThrowIfNull(positions);
        RiskInputException.RequireFinite(collateralUsd, $"collateralUsd of account '{accountId}'");
        RiskInputException.RequireFinite(collateralCoin, $"collateralCoin of account '{accountId}'");
        AccountId = accountId;
        CollateralUsd = collateralUsd;
        CollateralCoin = collateralCoin;

        var net = new Dictionary<Instrument, long>();
        foreach (var p in positions)
        {
            if (p.Instrument is null) throw new RiskInputException($"a position of account '{accountId}' has no instrument");
            net.TryGetValue(p.Instrument, out long q);
            net[p.Instrument] = checked(q + p.QuantityE4);
        }
        _positions = net.Where(kv => kv.Value != 0)
                        .Select(kv => new Position(kv.Key, kv.Value))
                        .OrderBy(p => p.Instrument.Id, StringComparer.Ordinal)
                        .ToArray();
    }

    public string AccountId { get; }
    /// <summary>USD (stablecoin) collateral.</summary>
    public double CollateralUsd { get; }
    /// <summary>Coin collateral, valued at spot (and at the shocked spot under an LSF shock).</summary>
    public double CollateralCoin { get; }
    /// <summary>Netted, non-zero positions in canonical order.</summary>
    public IReadOnlyList<Position> Positions => _positions;

    /// <summary>The earliest option expiry (null without options): a submission of this book is valid until then.</summary>
    public DateTimeOffset? EarliestExpiry
    {
        get
        {
            DateTimeOffset? first = null;
            foreach (var p in _positions)
                if (p.Instrument is OptionContract o && (first is null || o.Expiry < first)) first = o.Expiry;
            return first;
        }
    }

    /// <summary>
    /// The book of a linked-account cluster: all positions and collateral of the members summed.
    /// Clusters are margined as one (DESIGN.md 4) so that splitting a book cannot lower the margin.
    /// </summary>
    public static PositionBook Merge(string clusterId, IEnumerable<PositionBook> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToList();
        if (list.Count == 0) throw new RiskInputException($"cluster '{clusterId}' has no accounts");
        return new PositionBook(clusterId,
            list.SelectMany(b => b.Positions),
            list.Sum(b => b.CollateralUsd),
            list.Sum(b => b.CollateralCoin));
    }

    /// <summary>A copy of this book with every size multiplied by an integer factor (tests, what-ifs).</summary>
    public PositionBook Scale(long factor, string? accountId = null) =>
        new(accountId ?? AccountId, _positions.Select(p => p with { QuantityE4 = checked(p.QuantityE4 * factor) }), CollateralUsd * factor, CollateralCoin * factor);
}
