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
/// "linear", "contractSize" to 1, collateral to 0.
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
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cluster", out _))
        {
            JsonFields.RequireObject(root, "", "cluster", "accounts");
            string id = JsonFields.String(root, "cluster", "");
            if (string.IsNullOrWhiteSpace(id)) throw new RiskInputException("cluster: must not be empty");
            var arr = JsonFields.Array(root, "accounts", "");
            var books = new List<PositionBook>();
            int i = 0;
            foreach (var a in arr.EnumerateArray()) books.Add(ParseAccount(a, $"accounts[{i++}]"));
            if (books.Count == 0) throw new RiskInputException("accounts: a cluster needs at least one account");
            var dup = books.GroupBy(b => b.AccountId).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new RiskInputException($"accounts: account '{dup.Key}' appears twice");
            return new Contents(id, books);
        }
        var book = ParseAccount(root, "");
        return new Contents(book.AccountId, new[] { book });
    }

    private static PositionBook ParseAccount(JsonElement e, string path)
    {
        JsonFields.RequireObject(e, path, "account", "collateralUsd", "collateralCoin", "positions");
        string id = JsonFields.String(e, "account", path);
        double usd = JsonFields.Number(e, "collateralUsd", path, 0);
        double coin = JsonFields.Number(e, "collateralCoin", path, 0);
        var positions = new List<Position>();
        int i = 0;
        foreach (var p in JsonFields.Array(e, "positions", path).EnumerateArray())
            positions.Add(ParsePosition(p, JsonFields.Join(path, $"positions[{i++}]")));
        try { return new PositionBook(id, positions, usd, coin); }
        catch (RiskInputException ex) { throw new RiskInputException($"{(path == "" ? "account" : path)}: {ex.Message}", ex); }
    }

    private static Position ParsePosition(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RiskInputException($"{path}: expected a JSON object");
        string kind = JsonFields.String(e, "instrument", path);
        try
        {
            switch (kind)
            {
                case "option":
                {
                    JsonFields.RequireObject(e, path, "instrument", "type", "strike", "expiry", "convention", "size");
                    var type = JsonFields.String(e, "type", path) switch
                    {
                        "call" => OptionType.Call,
                        "put" => OptionType.Put,
                        var other => throw new RiskInputException($"{JsonFields.Join(path, "type")}: expected \"call\" or \"put\", got \"{other}\""),
                    };
                    double strike = JsonFields.Number(e, "strike", path);
                    if (!(strike > 0)) throw new RiskInputException($"{JsonFields.Join(path, "strike")}: must be > 0");
                    var option = new OptionContract(type, strike, JsonFields.Instant(e, "expiry", path), Convention(e, path));
                    return new Position(option, Quantity.FromContracts(JsonFields.Number(e, "size", path)));
                }
                case "perpetual":
                {
                    JsonFields.RequireObject(e, path, "instrument", "convention", "contractSize", "size");
                    var perp = new PerpetualFuture(Convention(e, path), JsonFields.Number(e, "contractSize", path, 1.0));
                    return new Position(perp, Quantity.FromContracts(JsonFields.Number(e, "size", path)));
                }
                default:
                    throw new RiskInputException($"{JsonFields.Join(path, "instrument")}: expected \"option\" or \"perpetual\", got \"{kind}\"");
            }
        }
        catch (RiskInputException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new RiskInputException($"{path}: {ex.Message}", ex);
        }
    }

    private static SettlementConvention Convention(JsonElement e, string path) =>
        JsonFields.String(e, "convention", path, "linear") switch
        {
            "linear" => SettlementConvention.Linear,
            "inverse" => SettlementConvention.Inverse,
            var other => throw new RiskInputException($"{JsonFields.Join(path, "convention")}: expected \"linear\" or \"inverse\", got \"{other}\""),
        };
}
