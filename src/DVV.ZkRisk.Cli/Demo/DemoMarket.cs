using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Cli.Demo;

/// <summary>
/// The demo's market: a skewed SVI surface around a forward of 100,000, the default risk parameters. `dvv-zk serve`
/// uses it when the operator gives no market (`--market`), the demo, the benchmarks and the tests use it; a venue's
/// own assemblies carry no market of their own.
/// </summary>
public static class DemoMarket
{
    public const double Forward = 100_000;

    /// <summary>A skewed SVI surface (7, 30, 90 days) with the given at-the-money vol: the demo's, the default market's and
    /// the contagion simulator's (one definition, in DVV.ZkRisk.Vaults).</summary>
    public static VolSurface SkewedSurface(double atmVol = 0.6) => DVV.ZkRisk.Vaults.SkewedSurface.Create(atmVol);

    /// <summary>The demo market as of <paramref name="asOf"/>: spot <paramref name="spot"/>, the skewed surface, 400 coins of
    /// depth and a 60 M USD clearing fund.</summary>
    public static MarketSnapshot Snapshot(DateTimeOffset asOf, double spot = Forward) =>
        new(asOf, spot, SkewedSurface(), depthCoins: 400, clearingFundUsd: 60_000_000);

    /// <summary>The default parameter set (DESIGN.md section 4: expiry edges 1, 7, 30 days x 8 log-moneyness bands of width
    /// 0.05) on the demo market as of <paramref name="valuationTime"/>.</summary>
    public static EpochParameters Parameters(DateTimeOffset valuationTime, double referenceForward = Forward) =>
        DVV.ZkRisk.Protocol.Submissions.Parameters.Create(ParameterSet.Default, Snapshot(valuationTime, referenceForward));
}
