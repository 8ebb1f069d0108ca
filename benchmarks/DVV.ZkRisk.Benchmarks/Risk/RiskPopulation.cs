using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Benchmarks.Risk;

/// <summary>
/// Deterministic synthetic venue for the risk benchmarks: a BTC-like market (spot 65,000, SVI
/// smile per expiry), a listed universe of 8 expiries x 25 strikes x call/put (400 options) plus a
/// perpetual, and traders with 1..40 positions each (about 20 on average), a third of them
/// collateralised close to their IM so that liquidation flags and CAVB are non-trivial.
/// </summary>
internal static class RiskPopulation
{
    public static readonly DateTimeOffset AsOf = new(2025, 6, 20, 8, 0, 0, TimeSpan.Zero);
    public const double Spot = 65_000;

    public static MarketSnapshot Market()
    {
        var slices = new[] { 1.0, 3, 7, 14, 30, 60, 90, 180, 365 }.Select(d =>
        {
            double t = d / 365.0, b = 0.25 * Math.Sqrt(t);
            return new SviSlice(t, 0.36 * t - b * 0.1, b, -0.3, 0.0, 0.1);
        });
        return new MarketSnapshot(AsOf, Spot, new VolSurface(slices), 0.0, 0.0, depthCoins: 2_000, clearingFundUsd: 60_000_000);
    }

    public static List<Instrument> Universe()
    {
        var list = new List<Instrument>();
        foreach (double d in new double[] { 2, 5, 10, 21, 45, 75, 120, 240 })
            for (int i = 0; i < 25; i++)
            {
                double k = Math.Round(Spot * (0.5 + 0.05 * i));
                list.Add(new OptionContract(OptionType.Call, k, AsOf.AddDays(d)));
                list.Add(new OptionContract(OptionType.Put, k, AsOf.AddDays(d)));
            }
        list.Add(new PerpetualFuture());
        return list;
    }

    /// <summary>Traders drawn from the universe; collateral set from each book's IM under <paramref name="context"/>.</summary>
    public static List<PositionBook> Traders(MarginContext context, int count, int seed = 42)
    {
        var rng = new Random(seed);
        var options = context.Instruments.OfType<OptionContract>().ToArray();
        var perp = context.Instruments.OfType<PerpetualFuture>().First();
        var im = new InitialMarginEngine(context);
        var books = new List<PositionBook>(count);
        for (int i = 0; i < count; i++)
        {
            int n = 1 + rng.Next(40);
            var pos = new List<Position>(n + 1);
            for (int j = 0; j < n; j++)
                pos.Add(Position.Of(options[rng.Next(options.Length)], (rng.NextDouble() < 0.7 ? -1 : 1) * (1 + rng.Next(50)) * 0.1));
            if (rng.NextDouble() < 0.5) pos.Add(Position.Of(perp, Math.Round((rng.NextDouble() - 0.5) * 10, 4)));
            var bare = new PositionBook($"t{i}", pos, 0);
            var r = im.Evaluate(context.Resolve(bare));
            double cushion = i % 3 == 0 ? 1.0 + 0.2 * rng.NextDouble() : 2 + 3 * rng.NextDouble();
            books.Add(new PositionBook($"t{i}", pos, cushion * Math.Max(r.InitialMargin, 1000) - r.Equity));
        }
        return books;
    }

    /// <summary>A book of <paramref name="options"/> distinct options of the universe (plus a perp hedge), thinly collateralised.</summary>
    public static PositionBook BigBook(MarginContext context, int options, int seed = 7)
    {
        var rng = new Random(seed);
        var all = context.Instruments.OfType<OptionContract>().OrderBy(_ => rng.Next()).Take(options).ToArray();
        var pos = all.Select(o => Position.Of(o, (rng.NextDouble() < 0.6 ? -1 : 1) * (1 + rng.Next(30)) * 0.5)).ToList();
        pos.Add(Position.Of(new PerpetualFuture(), 12.5));
        var bare = new PositionBook("big", pos, 0);
        var r = new InitialMarginEngine(context).Evaluate(context.Resolve(bare));
        return new PositionBook("big", pos, 1.1 * r.InitialMargin - r.Equity);
    }
}
