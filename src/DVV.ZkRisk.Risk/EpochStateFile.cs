using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DVV.ZkRisk.Risk;

/// <summary>An epoch's public state as read from an aggregates file: market data and proven aggregates.</summary>
public sealed record EpochState(long Epoch, MarketSnapshot Market, ProvenAggregates Aggregates);

/// <summary>
/// The aggregates file format (aggregates.json; README "Risk engine" documents it with
/// samples/aggregates.json): the public state of one epoch as an attested bundle publishes it.
/// <code>
/// { "epoch": 1842, "parameterHash": "&lt;hex SHA-256 of the parameter set&gt;",
///   "market": { "asOf": "2025-06-20T08:00:00Z", "spot": 65000, "rate": 0, "carry": 0,
///               "depthCoins": 400, "clearingFundUsd": 60000000,
///               "surface": [ { "expiryYears": 0.0833, "a": 0.004, "b": 0.03, "rho": -0.3, "m": 0.0, "sigma": 0.1 }, ... ] },
///   "lsv":          [ [u64 x bands] x shocks ],    LSV_sb, contracts x 10^4
///   "contributors": [ [int x bands] x shocks ] }   flagged contributors per cell
/// </code>
/// A surface slice gives either "expiryYears" or "expiry" (ISO date-time, converted ACT/365 from asOf).
///
/// Loading builds <see cref="ProvenAggregates"/> and is therefore internal: it is the CLI's offline
/// replay of totals published in an attested epoch (the file is trusted as published). Once the
/// epoch layer exists, margining should start from a verified bundle instead.
/// </summary>
internal static class EpochStateFile
{
    public static EpochState Load(string path, ParameterSet parameters)
    {
        string text = JsonFields.ReadFile(path, "aggregates file");
        try { return Parse(text, parameters); }
        catch (RiskInputException e) { throw new RiskInputException($"{path}: {e.Message}", e); }
    }

    public static EpochState Parse(string json, ParameterSet parameters)
    {
        using var doc = JsonFields.Parse(json, "aggregates file");
        var root = doc.RootElement;
        JsonFields.RequireObject(root, "", "epoch", "parameterHash", "market", "lsv", "contributors");
        long epoch = JsonFields.Int64(root, "epoch", "");
        string hash = JsonFields.String(root, "parameterHash", "");
        if (!string.Equals(hash, parameters.HashHex, StringComparison.OrdinalIgnoreCase))
            throw new RiskInputException($"parameterHash: the aggregates were proven under parameter set {hash}, but the parameters in use hash to {parameters.HashHex} (pass the matching --params file)");
        var market = ParseMarket(JsonFields.Required(root, "market", ""), "market");
        int shocks = parameters.ShockCount, bands = parameters.TotalBands;
        var lsv = new ulong[shocks, bands];
        var cnt = new int[shocks, bands];
        ReadMatrix(JsonFields.Array(root, "lsv", ""), "lsv", shocks, bands, (s, b, v, p) => lsv[s, b] = JsonFields.AsUInt64(v, p));
        ReadMatrix(JsonFields.Array(root, "contributors", ""), "contributors", shocks, bands, (s, b, v, p) => cnt[s, b] = JsonFields.AsInt32(v, p));
        return new EpochState(epoch, market, ProvenAggregates.FromVerifiedTotals(epoch, parameters, lsv, cnt));
    }

    private static void ReadMatrix(JsonElement arr, string name, int rows, int cols, Action<int, int, JsonElement, string> set)
    {
        if (arr.GetArrayLength() != rows) throw new RiskInputException($"{name}: expected {rows} rows (one per LSF shock), got {arr.GetArrayLength()}");
        int s = 0;
        foreach (var row in arr.EnumerateArray())
        {
            string rp = $"{name}[{s}]";
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != cols)
                throw new RiskInputException($"{rp}: expected an array of {cols} values (one per band)");
            int b = 0;
            foreach (var v in row.EnumerateArray()) { set(s, b, v, $"{rp}[{b}]"); b++; }
            s++;
        }
    }

    public static MarketSnapshot ParseMarket(JsonElement e, string path)
    {
        JsonFields.RequireObject(e, path, "asOf", "spot", "rate", "carry", "depthCoins", "clearingFundUsd", "surface");
        var asOf = JsonFields.Instant(e, "asOf", path);
        var slices = new List<SviSlice>();
        int i = 0;
        foreach (var s in JsonFields.Array(e, "surface", path).EnumerateArray())
        {
            string sp = $"{path}.surface[{i++}]";
            JsonFields.RequireObject(s, sp, "expiryYears", "expiry", "a", "b", "rho", "m", "sigma");
            double t;
            if (JsonFields.Has(s, "expiryYears") == JsonFields.Has(s, "expiry"))
                throw new RiskInputException($"{sp}: give exactly one of \"expiryYears\" and \"expiry\"");
            t = JsonFields.Has(s, "expiryYears") ? JsonFields.Number(s, "expiryYears", sp) : (JsonFields.Instant(s, "expiry", sp) - asOf).TotalDays / 365.0;
            try
            {
                slices.Add(new SviSlice(t, JsonFields.Number(s, "a", sp), JsonFields.Number(s, "b", sp), JsonFields.Number(s, "rho", sp),
                                        JsonFields.Number(s, "m", sp), JsonFields.Number(s, "sigma", sp)));
            }
            catch (RiskInputException ex) { throw new RiskInputException($"{sp}: {ex.Message}", ex); }
        }
        try
        {
            return new MarketSnapshot(asOf, JsonFields.Number(e, "spot", path), new VolSurface(slices),
                JsonFields.Number(e, "rate", path, 0), JsonFields.Number(e, "carry", path, 0),
                JsonFields.Number(e, "depthCoins", path), JsonFields.Number(e, "clearingFundUsd", path));
        }
        catch (RiskInputException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
        { throw new RiskInputException($"{path}: {ex.Message}", ex); }
    }

    /// <summary>Writes an epoch state file (used to produce samples/aggregates.json and by tests).</summary>
    public static string Write(long epoch, ParameterSet parameters, MarketSnapshot market, ulong[,] lsv, int[,] contributors)
    {
        var ci = CultureInfo.InvariantCulture;
        string Num(double v) => v.ToString("R", ci);
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append(ci, $"  \"epoch\": {epoch},\n");
        sb.Append(ci, $"  \"parameterHash\": \"{parameters.HashHex}\",\n");
        sb.Append("  \"market\": {\n");
        sb.Append(ci, $"    \"asOf\": \"{market.AsOf:yyyy-MM-ddTHH:mm:ssZ}\",\n");
        sb.Append(ci, $"    \"spot\": {Num(market.Spot)},\n    \"rate\": {Num(market.Rate)},\n    \"carry\": {Num(market.Carry)},\n");
        sb.Append(ci, $"    \"depthCoins\": {Num(market.DepthCoins)},\n    \"clearingFundUsd\": {Num(market.ClearingFundUsd)},\n");
        sb.Append("    \"surface\": [\n");
        var sl = market.Surface.Slices;
        for (int i = 0; i < sl.Count; i++)
        {
            var s = sl[i];
            sb.Append(ci, $"      {{ \"expiryYears\": {Num(s.ExpiryYears)}, \"a\": {Num(s.A)}, \"b\": {Num(s.B)}, \"rho\": {Num(s.Rho)}, \"m\": {Num(s.M)}, \"sigma\": {Num(s.Sigma)} }}");
            sb.Append(i + 1 < sl.Count ? ",\n" : "\n");
        }
        sb.Append("    ]\n  },\n");
        void Matrix<T>(string name, T[,] m, bool last)
        {
            sb.Append(ci, $"  \"{name}\": [\n");
            for (int s = 0; s < m.GetLength(0); s++)
            {
                sb.Append("    [");
                for (int b = 0; b < m.GetLength(1); b++)
                {
                    if (b > 0) sb.Append(", ");
                    sb.Append(Convert.ToString(m[s, b], ci));
                }
                sb.Append(s + 1 < m.GetLength(0) ? "],\n" : "]\n");
            }
            sb.Append(last ? "  ]\n" : "  ],\n");
        }
        Matrix("lsv", lsv, false);
        Matrix("contributors", contributors, true);
        sb.Append("}\n");
        return sb.ToString();
    }
}
