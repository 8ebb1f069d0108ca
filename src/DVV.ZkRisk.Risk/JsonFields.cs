using System.Globalization;
using System.Text.Json;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Strict field access for the JSON input files (book, epoch state): every error names the JSON
/// path of the offending field ("positions[2].strike: ...") so a user can fix the file without
/// reading code; unknown fields are rejected so a misspelt key is not silently ignored.
/// </summary>
internal static class JsonFields
{
    // Depth 16 is ample for every input format here (a cluster file nests four levels) and bounds a hostile document.
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false, MaxDepth = 16 };

    public static JsonDocument Parse(string text, string what)
    {
        try { return JsonDocument.Parse(text, Options); }
        catch (JsonException e) { throw RiskInputException.At("$", $"{what} is not valid JSON: {e.Message}", e); }
    }

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        try { return JsonDocument.Parse(utf8, Options); }
        catch (JsonException e) { throw RiskInputException.At("$", $"{what} is not valid JSON: {e.Message}", e); }
    }

    public static string ReadFile(string path, string what)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        { throw new RiskInputException($"cannot read {what} '{path}': {e.Message}", e); }
    }

    public static void RequireObject(JsonElement e, string path, params string[] allowed)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RiskInputException.At(path, $"expected a JSON object, got {e.ValueKind}");
        foreach (var p in e.EnumerateObject())
            if (System.Array.IndexOf(allowed, p.Name) < 0)
                throw RiskInputException.At(Join(path, p.Name), $"unknown field (expected one of: {string.Join(", ", allowed)})");
    }

    public static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static JsonElement Required(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            throw RiskInputException.At(Join(path, name), $"required field is missing");
        return v;
    }

    public static double Number(JsonElement obj, string name, string path) => AsNumber(Required(obj, name, path), Join(path, name));

    public static double Number(JsonElement obj, string name, string path, double fallback) =>
        Has(obj, name) ? AsNumber(obj.GetProperty(name), Join(path, name)) : fallback;

    public static double AsNumber(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            throw RiskInputException.At(path, $"expected a finite number, got {Show(v)}");
        return d;
    }

    public static ulong AsUInt64(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out ulong d))
            throw RiskInputException.At(path, $"expected an unsigned 64-bit integer, got {Show(v)}");
        return d;
    }

    public static int AsInt32(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int d))
            throw RiskInputException.At(path, $"expected a 32-bit integer, got {Show(v)}");
        return d;
    }

    public static long Int64(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long d))
            throw RiskInputException.At(Join(path, name), $"expected an integer, got {Show(v)}");
        return d;
    }

    public static string String(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.String) throw RiskInputException.At(Join(path, name), $"expected a string, got {Show(v)}");
        return v.GetString()!;
    }

    public static string String(JsonElement obj, string name, string path, string fallback) =>
        Has(obj, name) ? String(obj, name, path) : fallback;

    public static DateTimeOffset Instant(JsonElement obj, string name, string path)
    {
        string s = String(obj, name, path);
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            throw RiskInputException.At(Join(path, name), $"expected an ISO 8601 date-time such as 2025-07-25T08:00:00Z, got \"{s}\"");
        return t;
    }

    public static JsonElement Array(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.Array) throw RiskInputException.At(Join(path, name), $"expected an array, got {Show(v)}");
        return v;
    }

    public static string Join(string path, string name) => string.IsNullOrEmpty(path) ? name : $"{path}.{name}";
    private static string Show(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        _ => v.ValueKind.ToString().ToLowerInvariant(),
    };
}
