namespace DVV.ZkRisk.Risk.Tests;

/// <summary>Shared market, universe and book builders for the tests.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset AsOf = new(2025, 6, 20, 8, 0, 0, TimeSpan.Zero);
    public const double Spot = 65_000;

    /// <summary>
    /// A crypto-like smile per expiry: ATM vol 60%, skew rho = -0.3, wings b = 0.25 sqrt(T),
    /// w(0) = atm^2 T. Increasing in T at every k (no calendar arbitrage), slopes far below 4.
    /// </summary>
    public static SviSlice Slice(double t, double atmVol = 0.60, double rho = -0.3)
    {
        double b = 0.25 * Math.Sqrt(t), sig = 0.1;
        double a = atmVol * atmVol * t - b * sig;
        return new SviSlice(t, a, b, rho, 0.0, sig);
    }

    public static readonly double[] SliceDays = { 1, 3, 7, 14, 30, 60, 90, 180, 365 };

    public static VolSurface Surface(double atmVol = 0.60) => new(SliceDays.Select(d => Slice(d / 365.0, atmVol)));

    public static MarketSnapshot Market(double depthCoins = 500, double fundUsd = 100_000_000, double atmVol = 0.60, double carry = 0.0, double rate = 0.0) =>
        new(AsOf, Spot, Surface(atmVol), rate, carry, depthCoins, fundUsd);

    public static DateTimeOffset Expiry(double days) => AsOf.AddDays(days);

    public static OptionContract Call(double strike, double days, SettlementConvention c = SettlementConvention.Linear) => new(OptionType.Call, strike, Expiry(days), c);
    public static OptionContract Put(double strike, double days, SettlementConvention c = SettlementConvention.Linear) => new(OptionType.Put, strike, Expiry(days), c);

    public static readonly PerpetualFuture Perp = new(SettlementConvention.Linear, 1.0);

    /// <summary>A listed universe: 8 expiries x 21 strikes (50%..150% of spot) x call/put, both conventions, plus perps.</summary>
    public static List<Instrument> Universe()
    {
        var list = new List<Instrument>();
        foreach (double d in new double[] { 2, 5, 10, 21, 45, 75, 120, 240 })
            for (int i = 0; i <= 20; i++)
            {
                double k = Math.Round(Spot * (0.5 + 0.05 * i));
                foreach (var c in new[] { SettlementConvention.Linear, SettlementConvention.Inverse })
                {
                    list.Add(new OptionContract(OptionType.Call, k, Expiry(d), c));
                    list.Add(new OptionContract(OptionType.Put, k, Expiry(d), c));
                }
            }
        list.Add(Perp);
        list.Add(new PerpetualFuture(SettlementConvention.Inverse, 10));
        return list;
    }

    public static PositionBook Book(string id, double collateralUsd, params (Instrument ins, double size)[] pos) =>
        new(id, pos.Select(p => Position.Of(p.ins, p.size)), collateralUsd);

    /// <summary>Builds proven aggregates from the accounts' own data (sum of lam_is S_ib), as the sealer would.</summary>
    public static ProvenAggregates Aggregates(MarginCalculator calc, IEnumerable<IReadOnlyList<PositionBook>> clusters, long epoch = 7)
    {
        var p = calc.Context.Parameters;
        var acc = new LsvAccumulator(p);
        foreach (var cluster in clusters)
        {
            var (own, _) = calc.ClusterOwnData(cluster);
            // Every member account contributes its own S_ib under the cluster's flags.
            foreach (var member in cluster)
                acc.Add(own.Flags, calc.Context.ExposureOf(calc.Context.Resolve(member)).Short);
        }
        return ProvenAggregates.FromVerifiedTotals(epoch, p, acc.Totals(), acc.ContributorCounts());
    }

    public static ProvenAggregates Aggregates(MarginCalculator calc, IEnumerable<PositionBook> books, long epoch = 7) =>
        Aggregates(calc, books.Select(b => (IReadOnlyList<PositionBook>)new[] { b }), epoch);

    /// <summary>Walks up from the test binary to the repository root (the folder holding DVV.ZkRisk.sln).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DVV.ZkRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
