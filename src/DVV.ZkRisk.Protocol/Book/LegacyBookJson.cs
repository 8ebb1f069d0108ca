using System.Globalization;
using System.Text.Json;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Book;

/// <summary>
/// Read-only support for the venue's first book dialect, which openings sealed before the one book format carry:
/// <c>{ "collateral_usd": "250000", "positions": [ { "instrument": "option", "type": "call", "strike": 105000,
/// "expiry": "2026-03-27T08:00:00Z", "quantity": -12.5, "settlement": "linear" }, { "instrument": "perpetual",
/// "quantity": 2 } ] }</c>. No new submission may use it (the gateway and the SDK read <see cref="PositionBookFile"/>
/// only); it exists so that a trader's check of an old bundle and a restart over an old store still read their books.
/// Its positions map one to one onto the risk engine's instruments (perpetuals linear, contract size 1).
/// </summary>
internal static class LegacyBookJson
{
    /// <summary>A top-level object without "account" (and not a cluster file): the dialect had no account field.</summary>
    public static bool IsLegacy(ReadOnlySpan<byte> json)
    {
        try
        {
            var r = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("account"u8) || r.ValueTextEquals("cluster"u8)) return false;
                if (!r.Read() || !r.TrySkip()) return false;
            }
            return true;
        }
        catch (JsonException) { return false; }   // not JSON: the current reader names the error
    }

    public static PositionBook Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw RiskInputException.At("$", "not valid JSON: " + e.Message); }
        using (doc)
        {
            var root = doc.RootElement;
            double collateral = root.TryGetProperty("collateral_usd", out var c) ? (double)Decimal(c, "collateral_usd") : 0;
            if (collateral < 0 || collateral > BookLimits.MaxCollateralUsd) throw RiskInputException.At("collateral_usd", "out of range");
            if (!root.TryGetProperty("positions", out var ps) || ps.ValueKind != JsonValueKind.Array)
                throw RiskInputException.At("positions", "missing or not an array");
            var positions = new List<Position>();
            int i = 0;
            foreach (var p in ps.EnumerateArray())
            {
                string at = $"positions[{i++}]";
                if (p.ValueKind != JsonValueKind.Object) throw RiskInputException.At(at, "must be an object");
                long units = QuantityE4(p, at);
                string instrument = p.TryGetProperty("instrument", out var ins) && ins.ValueKind == JsonValueKind.String ? ins.GetString()! : "option";
                Instrument instr = instrument switch
                {
                    "perpetual" => new PerpetualFuture(),
                    "option" => Option(p, at),
                    _ => throw RiskInputException.At(at + ".instrument", $"unknown instrument '{instrument}'"),
                };
                positions.Add(new Position(instr, units));
            }
            return new PositionBook("legacy", positions, collateral);
        }
    }

    private static OptionContract Option(JsonElement p, string at)
    {
        var type = Text(p, "type", at) switch
        {
            "call" => OptionType.Call,
            "put" => OptionType.Put,
            var s => throw RiskInputException.At(at + ".type", $"'{s}' is neither call nor put"),
        };
        if (!p.TryGetProperty("strike", out var k) || !k.TryGetDouble(out var strike) || !(strike > 0) || strike > BookLimits.MaxStrike)
            throw RiskInputException.At(at + ".strike", "missing or out of range");
        if (!DateTimeOffset.TryParse(Text(p, "expiry", at), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiry))
            throw RiskInputException.At(at + ".expiry", "not an ISO-8601 time");
        var convention = p.TryGetProperty("settlement", out _) && Text(p, "settlement", at) == "inverse" ? SettlementConvention.Inverse : SettlementConvention.Linear;
        return new OptionContract(type, strike, expiry, convention);
    }

    private static long QuantityE4(JsonElement p, string at)
    {
        if (!p.TryGetProperty("quantity", out var q)) throw RiskInputException.At(at + ".quantity", "missing");
        decimal units = Decimal(q, at + ".quantity") * Quantity.UnitsPerContract;
        if (decimal.Round(units) != units || Math.Abs(units) > (decimal)BookLimits.MaxTotalContracts * Quantity.UnitsPerContract)
            throw RiskInputException.At(at + ".quantity", "more than 4 decimals or out of range");
        return (long)units;
    }

    private static decimal Decimal(JsonElement e, string field)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var d)) return d;
        if (e.ValueKind == JsonValueKind.String && decimal.TryParse(e.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d)) return d;
        throw RiskInputException.At(field, "not a decimal number");
    }

    private static string Text(JsonElement p, string name, string at) =>
        p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw RiskInputException.At($"{at}.{name}", "missing or not a string");
}
