using System.Globalization;
using System.Text.Json;
using DVV.ZkRisk.Epochs.Bands;

namespace DVV.ZkRisk.Epochs.Book;

/// <summary>A book that cannot be read; <see cref="Field"/> is a JSON path such as positions[3].strike.</summary>
public sealed class BookFormatException(string field, string reason) : FormatException($"{field}: {reason}")
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}

public enum OptionKind { Call, Put }
public enum Settlement { Linear, Inverse }

public sealed record OptionPosition(OptionKind Kind, double Strike, DateTimeOffset Expiry, decimal Quantity, Settlement Settlement, int Index = 0);
public sealed record PerpetualPosition(decimal Quantity);

/// <summary>Per-band short and long open interest in contracts x 10^4.</summary>
public sealed record BandExposures(ulong[] Short, ulong[] Long)
{
    public int BandCount => Short.Length;
}

/// <summary>
/// A trader's position book as JSON:
/// <code>{ "collateral_usd": "250000", "positions": [
///   { "instrument": "option", "type": "call", "strike": 105000, "expiry": "2026-03-27T08:00:00Z", "quantity": -12.5, "settlement": "linear" },
///   { "instrument": "perpetual", "quantity": 2 } ] }</code>
/// Quantities are contracts (negative = short) with at most 4 decimals. Perpetuals are hedges and carry no band exposure.
/// </summary>
public sealed class PositionBook
{
    public const ulong ContractScale = 10_000;
    public const int MaxPositions = 10_000;
    /// <summary>Bounds the sealer and the risk engine rely on (issue 17 item 7): the gateway refuses a book outside them, so
    /// no accepted book can overflow a later computation (decimal, u64 band sums, the IM grid's doubles).</summary>
    public const decimal MaxQuantity = 1_000_000_000m;          // contracts, summed |quantity| over the book (1e13 units of 10^-4: far below 2^64)
    public const decimal MaxCollateralUsd = 1_000_000_000_000_000m;   // 1e15 USD
    public const double MaxStrike = 1e12;

    public decimal CollateralUsd { get; }
    public IReadOnlyList<OptionPosition> Options { get; }
    public IReadOnlyList<PerpetualPosition> Perpetuals { get; }
    /// <summary>The earliest option expiry (null without options): a submission of this book is valid until then.</summary>
    public DateTimeOffset? EarliestExpiry => Options.Count == 0 ? null : Options.Min(o => o.Expiry);

    private PositionBook(decimal collateral, List<OptionPosition> options, List<PerpetualPosition> perps)
    {
        CollateralUsd = collateral; Options = options; Perpetuals = perps;
    }

    public static PositionBook Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new BookFormatException("$", "not valid JSON: " + e.Message); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BookFormatException("$", "must be a JSON object");
            decimal collateral = 0;
            if (root.TryGetProperty("collateral_usd", out var c))
                collateral = ReadDecimal(c, "collateral_usd", allowNegative: false, MaxCollateralUsd);
            if (!root.TryGetProperty("positions", out var ps) || ps.ValueKind != JsonValueKind.Array)
                throw new BookFormatException("positions", "missing or not an array");
            if (ps.GetArrayLength() > MaxPositions) throw new BookFormatException("positions", $"more than {MaxPositions} positions");
            var options = new List<OptionPosition>();
            var perps = new List<PerpetualPosition>();
            int idx = 0;
            decimal totalContracts = 0;
            foreach (var p in ps.EnumerateArray())
            {
                string at = $"positions[{idx++}]";
                if (p.ValueKind != JsonValueKind.Object) throw new BookFormatException(at, "must be an object");
                string instrument = p.TryGetProperty("instrument", out var ins) && ins.ValueKind == JsonValueKind.String ? ins.GetString()! : "option";
                var qty = p.TryGetProperty("quantity", out var q) ? ReadDecimal(q, at + ".quantity", allowNegative: true, MaxQuantity) : throw new BookFormatException(at + ".quantity", "missing");
                if (decimal.Round(qty * ContractScale) != qty * ContractScale) throw new BookFormatException(at + ".quantity", "more than 4 decimals");
                totalContracts += Math.Abs(qty);
                if (totalContracts > MaxQuantity) throw new BookFormatException(at + ".quantity", $"the book's total of |quantity| exceeds the limit {MaxQuantity} contracts");
                switch (instrument)
                {
                    case "perpetual":
                        perps.Add(new PerpetualPosition(qty));
                        break;
                    case "option":
                        var kind = ReadString(p, "type", at) switch
                        {
                            "call" => OptionKind.Call,
                            "put" => OptionKind.Put,
                            var s => throw new BookFormatException(at + ".type", $"'{s}' is neither call nor put"),
                        };
                        if (!p.TryGetProperty("strike", out var k) || k.ValueKind != JsonValueKind.Number || !k.TryGetDouble(out var strike) || !(strike > 0) || !(strike <= MaxStrike))
                            throw new BookFormatException(at + ".strike", $"missing or not a positive number up to {MaxStrike:G}");
                        var expiryText = ReadString(p, "expiry", at);
                        if (!DateTimeOffset.TryParse(expiryText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiry))
                            throw new BookFormatException(at + ".expiry", $"'{expiryText}' is not an ISO-8601 time");
                        var settlement = p.TryGetProperty("settlement", out _) ? ReadString(p, "settlement", at) switch
                        {
                            "linear" => Settlement.Linear,
                            "inverse" => Settlement.Inverse,
                            var s => throw new BookFormatException(at + ".settlement", $"'{s}' is neither linear nor inverse"),
                        } : Settlement.Linear;
                        options.Add(new OptionPosition(kind, strike, expiry, qty, settlement, idx - 1));
                        break;
                    default:
                        throw new BookFormatException(at + ".instrument", $"unknown instrument '{instrument}'");
                }
            }
            return new PositionBook(collateral, options, perps);
        }
    }

    private static string ReadString(JsonElement p, string name, string at)
    {
        if (!p.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String) throw new BookFormatException($"{at}.{name}", "missing or not a string");
        return v.GetString()!;
    }

    private static decimal ReadDecimal(JsonElement e, string field, bool allowNegative, decimal max)
    {
        decimal d;
        if (e.ValueKind == JsonValueKind.Number) { if (!e.TryGetDecimal(out d)) throw new BookFormatException(field, "number out of range"); }
        else if (e.ValueKind == JsonValueKind.String) { if (!decimal.TryParse(e.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d)) throw new BookFormatException(field, "not a decimal number"); }
        else throw new BookFormatException(field, "not a number");
        if (!allowNegative && d < 0) throw new BookFormatException(field, "must not be negative");
        if (Math.Abs(d) > max) throw new BookFormatException(field, $"magnitude above the limit {max}");
        return d;
    }

    /// <summary>Per-band short and long open interest (contracts x 10^4) at the valuation time, on <paramref name="grid"/>.
    /// Positions are netted per instrument first (type, strike, expiry, settlement), as the risk engine's book does, so
    /// the committed exposures are the risk engine's band exposures.</summary>
    public BandExposures Exposures(IBandGrid grid, DateTimeOffset valuationTime)
    {
        var s = new ulong[grid.BandCount];
        var l = new ulong[grid.BandCount];
        var net = new Dictionary<(OptionKind, double, DateTimeOffset, Settlement), (decimal Qty, int Index)>();
        for (int i = 0; i < Options.Count; i++)
        {
            var o = Options[i];
            double dte = (o.Expiry - valuationTime).TotalDays;
            if (!(dte > 0)) throw new BookFormatException($"positions[{o.Index}].expiry", $"expired at valuation time {valuationTime:O}");
            var key = (o.Kind, o.Strike, o.Expiry.ToUniversalTime(), o.Settlement);
            net[key] = net.TryGetValue(key, out var q) ? (q.Qty + o.Quantity, q.Index) : (o.Quantity, o.Index);
        }
        foreach (var ((_, strike, expiry, _), (qty, index)) in net)
        {
            if (qty == 0) continue;
            int band = grid.BandOf(strike, (expiry - valuationTime).TotalDays);
            ulong units;
            try { units = checked((ulong)(Math.Abs(qty) * ContractScale)); }
            catch (OverflowException) { throw new BookFormatException($"positions[{index}].quantity", "too large"); }
            try
            {
                if (qty < 0) s[band] = checked(s[band] + units);
                else l[band] = checked(l[band] + units);
            }
            catch (OverflowException) { throw new BookFormatException($"positions[{index}].quantity", "band open interest overflows u64"); }
        }
        return new BandExposures(s, l);
    }
}
