using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Cli.Demo;

/// <summary>A generated trader: its kind (vault, herd, hedger), key and book (a book file, samples/book.json's format).</summary>
public sealed record DemoTrader(string Name, string Kind, Ed25519PrivateKey Key, byte[] BookJson)
{
    public string KeyHex => Convert.ToHexStringLower(Key.PublicKey.ToBytes());
}

/// <summary>
/// Realistic option books for the demo, the tests and the benchmarks: a few large short-volatility vaults (short
/// strangles), leveraged herds that sell the same out-of-the-money puts (so they cluster in the same bands and are
/// liquidated together in a crash), and hedgers with mixed books and ample collateral. Collateral is set from each
/// book's initial margin under the epoch's market (the risk engine), so flags are realistic.
/// </summary>
public static class DemoPopulation
{
    /// <param name="sizeScale">multiplies every size (the tests use small sizes to fit 16-bit range proofs)</param>
    public static List<DemoTrader> Generate(int count, EpochParameters parameters, int seed, double sizeScale = 1.0)
    {
        var rng = new Random(seed);
        var risk = RiskBridge.RiskParameters(parameters);
        var market = RiskBridge.Market(parameters);
        int vaults = Math.Max(1, count / 12), herd = Math.Max(1, (int)(count * 0.45));
        var list = new List<DemoTrader>(count);
        for (int i = 0; i < count; i++)
        {
            string kind = i < vaults ? "vault" : i < vaults + herd ? "herd" : "hedger";
            var key = Ed25519PrivateKey.FromSeed(Seed(seed, i));
            string name = $"{kind}-{i:D3}";
            list.Add(new DemoTrader(name, kind, key, Book(name, kind, rng, risk, market, sizeScale)));
        }
        return list;
    }

    /// <summary>A changed book for a trader between epochs (sizes moved by -30%..+50%).</summary>
    public static byte[] Resize(DemoTrader t, EpochParameters parameters, int seed, double sizeScale = 1.0)
    {
        var rng = new Random(seed);
        var risk = RiskBridge.RiskParameters(parameters);
        var market = RiskBridge.Market(parameters);
        return Book(t.Name, t.Kind, rng, risk, market, sizeScale * (0.7 + 0.8 * rng.NextDouble()));
    }

    private static byte[] Seed(int seed, int i)
    {
        var s = new byte[32];
        BitConverter.GetBytes(seed).CopyTo(s, 0);
        BitConverter.GetBytes(i).CopyTo(s, 4);
        s[31] = 0x5a;
        return s;
    }

    private sealed record Leg(string Type, double K, double Days, double Qty);

    private static byte[] Book(string name, string kind, Random rng, DVV.ZkRisk.Risk.ParameterSet risk, MarketSnapshot market, double scale)
    {
        var legs = new List<Leg>();
        double perp = 0, collateralFactor;
        switch (kind)
        {
            case "vault":   // short strangle, large, 2-4 weeks
            {
                double days = 14 + rng.Next(0, 14);
                legs.Add(new Leg("put", -0.12 - 0.03 * rng.NextDouble(), days, -(60 + rng.Next(0, 60)) * scale));
                legs.Add(new Leg("call", 0.10 + 0.04 * rng.NextDouble(), days, -(40 + rng.Next(0, 40)) * scale));
                legs.Add(new Leg("put", -0.25, days, (10 + rng.Next(0, 10)) * scale));   // a far wing
                collateralFactor = 1.25 + 0.3 * rng.NextDouble();
                break;
            }
            case "herd":    // the crowd: the same OTM put, levered
            {
                legs.Add(new Leg("put", -0.075, 21, -(3 + 6 * rng.NextDouble()) * scale));
                if (rng.Next(3) == 0) legs.Add(new Leg("put", -0.125, 21, -(1 + 3 * rng.NextDouble()) * scale));
                collateralFactor = 1.05 + 0.35 * rng.NextDouble();
                break;
            }
            default:        // hedgers: mixed, well collateralised
            {
                int n = 2 + rng.Next(0, 5);
                for (int j = 0; j < n; j++)
                {
                    double k = (rng.NextDouble() - 0.5) * 0.4;
                    double days = new[] { 3.0, 10, 21, 45, 75 }[rng.Next(5)];
                    legs.Add(new Leg(k < 0 ? "put" : "call", k, days, (rng.NextDouble() * 8 + 0.5) * (rng.Next(2) == 0 ? -1 : 1) * scale));
                }
                perp = Math.Round((rng.NextDouble() - 0.5) * 4 * scale, 2);
                collateralFactor = 2 + 2 * rng.NextDouble();
                break;
            }
        }
        var riskPositions = new List<Position>();
        foreach (var l in legs)
        {
            double t = l.Days / 365.0;
            double strike = Math.Round(market.Forward(t) * Math.Exp(l.K) / 500) * 500;
            var expiry = market.AsOf.AddDays(l.Days).UtcDateTime;
            expiry = new DateTime(expiry.Year, expiry.Month, expiry.Day, 8, 0, 0, DateTimeKind.Utc);
            if ((expiry - market.AsOf.UtcDateTime).TotalDays < 1.5) expiry = expiry.AddDays(1);
            double qty = Math.Round(l.Qty, 4);
            if (qty == 0) continue;
            riskPositions.Add(new Position(new OptionContract(l.Type == "call" ? OptionType.Call : OptionType.Put, strike, expiry), Quantity.FromContracts(qty)));
        }
        if (perp != 0)
        {
            riskPositions.Add(new Position(new PerpetualFuture(), Quantity.FromContracts(perp)));
        }
        var book = new DVV.ZkRisk.Risk.PositionBook("x", riskPositions);
        var calc = new MarginCalculator(MarginContext.ForBooks(risk, market, [book]));
        var r = calc.InitialMargin.Evaluate(calc.Context.Resolve(book));
        // equity = collateral + MTM: set collateral so that equity is collateralFactor x IM
        double mtm = r.Equity;
        double collateral = Math.Max(1000, Math.Round(collateralFactor * r.InitialMargin - mtm));
        return PositionBookFile.Write(new DVV.ZkRisk.Risk.PositionBook(name, riskPositions, collateral));
    }
}
