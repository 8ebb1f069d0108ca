using System.Text.Json;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// The book file format (book.json; README "Risk engine" documents it with samples/book.json).
/// Either one account:
/// <code>
/// { "account": "alice", "collateralUsd": 250000, "collateralCoin": 1.5,
///   "positions": [
///     { "instrument": "option", "type": "put", "strike": 55000, "expiry": "2025-07-25T08:00:00Z",
///       "convention": "linear", "size": -25 },
///     { "instrument": "perpetual", "convention": "linear", "contractSize": 1, "size": 3.5 } ] }
/// </code>
/// or a linked-account cluster margined as one: <c>{ "cluster": "desk-7", "accounts": [ {account}, ... ] }</c>.
/// Sizes are signed contracts (negative = short), multiples of 0.0001. "convention" defaults to
/// "linear", "contractSize" to 1, collateral to 0. Collateral is not negative and every value keeps
/// <see cref="BookLimits"/>. This is the one book format: the margin verb, the trader's submission
/// (its opening carries the file's bytes) and the samples all use it. Errors are
/// <see cref="RiskInputException"/>s whose <see cref="RiskInputException.Field"/> is the JSON path.
/// </summary>
public static class PositionBookFile
{
    /// <summary>A parsed book file: the cluster (or single account) id and its member books.</summary>
    public sealed record Contents(string Id, IReadOnlyList<PositionBook> Accounts)
    {
        public bool IsCluster => Accounts.Count > 1 || Id != Accounts[0].AccountId;
    }

    public static Contents Load(string path)
    {
        string text = JsonFields.ReadFile(path, "book file");
        try { return Parse(text); }
        catch (RiskInputException e) { throw new RiskInputException($"{path}: {e.Message}", e); }
    }

    public static Contents Parse(string json)
    {
        using var doc = JsonFields.Parse(json, "book file");
        return Read(doc.RootElement);
    }

    public static Contents Parse(ReadOnlyMemory<byte> utf8)
    {
        using var doc = JsonFields.Parse(utf8, "book file");
        return Read(doc.RootElement);
    }

    /// <summary>
    /// The file of one account (UTF-8 JSON, the format <see cref="Parse(string)"/> reads): positions in the book's
    /// canonical order, sizes and numbers in shortest round-trip form, so <c>Write(ParseAccount(Write(b)))</c> is
    /// byte-identical and the parsed book equals <paramref name="book"/>.
    /// </summary>
    public static byte[] Write(PositionBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("account", book.AccountId);
            w.WriteNumber("collateralUsd", book.CollateralUsd);
            if (book.CollateralCoin != 0) w.WriteNumber("collateralCoin", book.CollateralCoin);
            w.WriteStartArray("positions");
            foreach (var p in book.Positions)
            {
                w.WriteStartObject();
                switch (p.Instrument)
                {
                    case OptionContract o:
                        w.WriteString("instrument", "option");
                        w.WriteString("type", o.Type == OptionType.Call ? "call" : "put");
                        w.WriteNumber("strike", o.Strike);
                        w.WriteString("expiry", o.Expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case PerpetualFuture f:
                        w.WriteString("instrument", "perpetual");
                        w.WriteNumber("contractSize", f.ContractSize);
                        break;
                    default:
                        throw new RiskInputException($"instrument {p.Instrument.Id} has no book-file form");
                }
                w.WriteString("convention", p.Instrument.Convention == SettlementConvention.Inverse ? "inverse" : "linear");
                w.WriteNumber("size", p.Contracts);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>One account's book (a cluster file is refused): what a trader submits for one key.</summary>
    public static PositionBook ParseAccount(ReadOnlyMemory<byte> utf8)
    {
        using var doc = JsonFields.Parse(utf8, "book file");
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cluster", out _))
            throw RiskInputException.At("cluster", "a submission carries one account's book; submit each account of the cluster with its own key");
        return ParseAccount(root, "");
    }

    private static Contents Read(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cluster", out _))
        {
            JsonFields.RequireObject(root, "", "cluster", "accounts");
            string id = JsonFields.String(root, "cluster", "");
            if (string.IsNullOrWhiteSpace(id)) throw RiskInputException.At("cluster", "must not be empty");
            var arr = JsonFields.Array(root, "accounts", "");
            var books = new List<PositionBook>();
            int i = 0;
            foreach (var a in arr.EnumerateArray()) books.Add(ParseAccount(a, $"accounts[{i++}]"));
            if (books.Count == 0) throw RiskInputException.At("accounts", "a cluster needs at least one account");
            var dup = books.GroupBy(b => b.AccountId).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw RiskInputException.At("accounts", $"account '{dup.Key}' appears twice");
            return new Contents(id, books);
        }
        var book = ParseAccount(root, "");
        return new Contents(book.AccountId, new[] { book });
    }

    private static PositionBook ParseAccount(JsonElement e, string path)
    {
        JsonFields.RequireObject(e, path, "account", "collateralUsd", "collateralCoin", "positions");
        string id = JsonFields.String(e, "account", path);
        if (string.IsNullOrWhiteSpace(id)) throw RiskInputException.At(JsonFields.Join(path, "account"), "account id must not be empty");
        double usd = Bounded(e, "collateralUsd", path, BookLimits.MaxCollateralUsd);
        double coin = Bounded(e, "collateralCoin", path, BookLimits.MaxCollateralCoin);
        var list = JsonFields.Array(e, "positions", path);
        if (list.GetArrayLength() > BookLimits.MaxPositions)
            throw RiskInputException.At(JsonFields.Join(path, "positions"), $"more than {BookLimits.MaxPositions} positions");
        var positions = new List<Position>();
        int i = 0;
        double total = 0;
        foreach (var p in list.EnumerateArray())
        {
            string at = JsonFields.Join(path, $"positions[{i++}]");
            var position = ParsePosition(p, at);
            total += Math.Abs(position.Contracts);
            if (total > BookLimits.MaxTotalContracts)
                throw RiskInputException.At(at + ".size", $"the account's total of |size| exceeds the limit of {BookLimits.MaxTotalContracts:G} contracts");
            positions.Add(position);
        }
        try { return new PositionBook(id, positions, usd, coin); }
        catch (RiskInputException ex) { throw RiskInputException.At(path == "" ? "account" : path, ex.Message, ex); }
    }

    private static double Bounded(JsonElement e, string name, string path, double max)
    {
        double v = JsonFields.Number(e, name, path, 0);
        if (!(v >= 0)) throw RiskInputException.At(JsonFields.Join(path, name), "must not be negative");
        if (v > max) throw RiskInputException.At(JsonFields.Join(path, name), $"above the limit of {max:G}");
        return v;
    }

    private static Position ParsePosition(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RiskInputException.At(path, "expected a JSON object");
        string kind = JsonFields.String(e, "instrument", path);
        switch (kind)
        {
            case "option":
            {
                JsonFields.RequireObject(e, path, "instrument", "type", "strike", "expiry", "convention", "size");
                var type = JsonFields.String(e, "type", path) switch
                {
                    "call" => OptionType.Call,
                    "put" => OptionType.Put,
                    var other => throw RiskInputException.At(JsonFields.Join(path, "type"), $"expected \"call\" or \"put\", got \"{other}\""),
                };
                double strike = JsonFields.Number(e, "strike", path);
                if (!(strike > 0) || strike > BookLimits.MaxStrike)
                    throw RiskInputException.At(JsonFields.Join(path, "strike"), $"must be > 0 and at most {BookLimits.MaxStrike:G}");
                var option = new OptionContract(type, strike, JsonFields.Instant(e, "expiry", path), Convention(e, path));
                return new Position(option, Size(e, path));
            }
            case "perpetual":
            {
                JsonFields.RequireObject(e, path, "instrument", "convention", "contractSize", "size");
                double contractSize = JsonFields.Number(e, "contractSize", path, 1.0);
                if (!(contractSize > 0) || contractSize > BookLimits.MaxStrike)
                    throw RiskInputException.At(JsonFields.Join(path, "contractSize"), $"must be > 0 and at most {BookLimits.MaxStrike:G}");
                var perp = new PerpetualFuture(Convention(e, path), contractSize);
                return new Position(perp, Size(e, path));
            }
            default:
                throw RiskInputException.At(JsonFields.Join(path, "instrument"), $"expected \"option\" or \"perpetual\", got \"{kind}\"");
        }
    }

    private static long Size(JsonElement e, string path)
    {
        double size = JsonFields.Number(e, "size", path);
        try { return Quantity.FromContracts(size); }
        catch (RiskInputException ex) { throw RiskInputException.At(JsonFields.Join(path, "size"), ex.Message, ex); }
    }

    private static SettlementConvention Convention(JsonElement e, string path) =>
        JsonFields.String(e, "convention", path, "linear") switch
        {
            "linear" => SettlementConvention.Linear,
            "inverse" => SettlementConvention.Inverse,
            var other => throw RiskInputException.At(JsonFields.Join(path, "convention"), $"expected \"linear\" or \"inverse\", got \"{other}\""),
        };
}
