namespace DVV.ZkRisk.Risk;

/// <summary>
/// One trader's (or cluster's) open interest per band: short S_b and long L_b, u64 in contracts x
/// 10^4 (DESIGN.md 2): the values a trader commits to each epoch. A short position of q contracts
/// in an option of band b adds q x 10^4 to S_b; longs add to L_b; perpetuals add nothing.
/// Positions are netted per instrument first (a book is a function instrument -> size), not across
/// instruments: a short and a long at different strikes of one band both count.
/// </summary>
public sealed class BandExposure
{
    public BandExposure(ulong[] shortE4, ulong[] longE4)
    {
        ArgumentNullException.ThrowIfNull(shortE4);
        ArgumentNullException.ThrowIfNull(longE4);
        if (shortE4.Length != longE4.Length) throw new RiskInputException("short and long exposure vectors differ in length");
        Short = shortE4;
        Long = longE4;
    }

    public static BandExposure Zero(int bands) => new(new ulong[bands], new ulong[bands]);

    /// <summary>
    /// The exposure of <paramref name="book"/> on <paramref name="grid"/> under <paramref name="market"/>: each netted
    /// option position's |size| in E4 units added to S or L of its band <see cref="BandGrid.BandOf(OptionContract, MarketSnapshot)"/>
    /// (the one band mapping; <see cref="MarginContext"/> uses it too). Throws <see cref="RiskInputException"/> for an
    /// option expired at the market's time; the sums are checked.
    /// </summary>
    public static BandExposure Of(PositionBook book, BandGrid grid, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(book);
        var e = Zero(grid.Count);
        foreach (var p in book.Positions)
        {
            if (p.Instrument is not OptionContract o) continue;
            if (!(market.DaysToExpiry(o.Expiry) > 0))
                throw RiskInputException.At("positions", $"option {o.Id} has expired (market as of {market.AsOf:yyyy-MM-ddTHH:mm:ssZ})");
            int b = grid.BandOf(o, market);
            if (p.QuantityE4 < 0) e.Short[b] = checked(e.Short[b] + (ulong)(-p.QuantityE4));
            else e.Long[b] = checked(e.Long[b] + (ulong)p.QuantityE4);
        }
        return e;
    }

    /// <summary>S_b, contracts x 10^4.</summary>
    public ulong[] Short { get; }
    /// <summary>L_b, contracts x 10^4.</summary>
    public ulong[] Long { get; }
    public int Count => Short.Length;

    /// <summary>Element-wise sum (checked): the exposure of several accounts together.</summary>
    public static BandExposure Sum(IEnumerable<BandExposure> parts, int bands)
    {
        var s = new ulong[bands];
        var l = new ulong[bands];
        foreach (var p in parts)
        {
            if (p.Count != bands) throw new RiskInputException($"band exposure has {p.Count} bands, expected {bands}");
            for (int b = 0; b < bands; b++)
            {
                s[b] = checked(s[b] + p.Short[b]);
                l[b] = checked(l[b] + p.Long[b]);
            }
        }
        return new BandExposure(s, l);
    }
}
