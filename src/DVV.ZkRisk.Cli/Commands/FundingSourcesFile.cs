using System.Text.Json;

namespace DVV.ZkRisk.Cli;

/// <summary>The venue's funding ledger for cluster detection (`serve --funding-sources`): a JSON object mapping a trader's
/// Ed25519 public key (64 hex digits) to the funding source its collateral comes from, e.g.
/// <c>{ "3b6a...": "master-7", "9f17...": "master-7" }</c>. Accounts of one source are margined as one.</summary>
internal static class FundingSourcesFile
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 4 }); }
        catch (JsonException e) { throw new FormatException($"{path}: not JSON: {e.Message}"); }
        using var owned = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}: must be a JSON object of trader key to funding source");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!CliHex.TryParse(p.Name, 32, out var key, out _)) throw new FormatException($"{path}: key '{p.Name}' is not a 32-byte public key in hex");
            if (p.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.Value.GetString()))
                throw new FormatException($"{path}: {p.Name}: the funding source must be a non-empty string");
            if (!map.TryAdd(Convert.ToHexStringLower(key), p.Value.GetString()!)) throw new FormatException($"{path}: {p.Name} appears twice");
        }
        return map;
    }
}
