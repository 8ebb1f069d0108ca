using System.Globalization;
using System.Text;

namespace DVV.ZkRisk.Cli.Demo;

/// <summary>Plausible option books for demos, tests and benchmarks, in the book format (samples/book.json): strikes around
/// the forward, expiries from 0.3 to 90 days.</summary>
public static class SampleBooks
{
    public static byte[] Generate(Random rng, double forward, DateTimeOffset valuationTime, int positions = 24, bool coverAllBands = false, string account = "trader")
    {
        var sb = new StringBuilder();
        sb.Append("{\"account\":\"").Append(account).Append("\",\"collateralUsd\":").Append((rng.Next(10, 500) * 1000).ToString(CultureInfo.InvariantCulture)).Append(",\"positions\":[");
        double[] dtes = [0.5, 3, 14, 60];
        for (int i = 0; i < positions; i++)
        {
            if (i > 0) sb.Append(',');
            double dte, k;
            if (coverAllBands)
            {
                // one position per band: bucket = i / 8, moneyness band = i % 8 (centre of the band)
                dte = dtes[(i / 8) % 4];
                k = ((i % 8) - 4 + 0.5) * 0.05;
            }
            else
            {
                dte = 0.3 + rng.NextDouble() * 90;
                k = (rng.NextDouble() - 0.5) * 0.5;
            }
            double strike = Math.Round(forward * Math.Exp(k) / 500) * 500;
            if (strike <= 0) strike = 500;
            var expiry = valuationTime.AddDays(dte).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            decimal qty = Math.Round((decimal)(rng.NextDouble() * 50 + 0.1), 4) * (rng.Next(2) == 0 ? -1 : 1);
            sb.Append("{\"instrument\":\"option\",\"type\":\"").Append(k < 0 ? "put" : "call")
              .Append("\",\"strike\":").Append(strike.ToString(CultureInfo.InvariantCulture))
              .Append(",\"expiry\":\"").Append(expiry).Append("\",\"size\":").Append(qty.ToString(CultureInfo.InvariantCulture))
              .Append(",\"convention\":\"").Append(rng.Next(3) == 0 ? "inverse" : "linear").Append("\"}");
        }
        sb.Append(",{\"instrument\":\"perpetual\",\"size\":").Append(rng.Next(-5, 6)).Append("}]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
