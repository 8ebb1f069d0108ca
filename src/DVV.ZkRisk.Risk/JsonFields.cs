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
    public static JsonDocument Parse(string text, string what)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new RiskInputException($"{what} is not valid JSON: {e.Message}", e);
        }
    }

    public static string ReadFile(string path, string what)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        { throw new RiskInputException($"cannot read {what} '{path}': {e.Message}", e); }
    }

    public static void RequireObject(JsonElement e, string path, params string[] allowed)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RiskInputException($"{Name(path)}: expected a JSON object, got {e.ValueKind}");
        foreach (var p in e.EnumerateObject())
            if (System.Array.IndexOf(allowed, p.Name) < 0)
                throw new RiskInputException($"{Join(path, p.Name)}: unknown field (expected one of: {string.Join(", ", allowed)})");
    }

    public static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static JsonElement Required(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            throw new RiskInputException($"{Join(path, name)}: required field is missing");
        return v;
    }

    public static double Number(JsonElement obj, string name, string path) => AsNumber(Required(obj, name, path), Join(path, name));

    public static double Number(JsonElement obj, string name, string path, double fallback) =>
        Has(obj, name) ? AsNumber(obj.GetProperty(name), Join(path, name)) : fallback;

    public static double AsNumber(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            throw new RiskInputException($"{path}: expected a finite number, got {Show(v)}");
        return d;
    }

    public static ulong AsUInt64(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out ulong d))
            throw new RiskInputException($"{path}: expected an unsigned 64-bit integer, got {Show(v)}");
        return d;
    }

    public static int AsInt32(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int d))
            throw new RiskInputException($"{path}: expected a 32-bit integer, got {Show(v)}");
        return d;
    }

    public static long Int64(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long d))
            throw new RiskInputException($"{Join(path, name)}: expected an integer, got {Show(v)}");
        return d;
    }

    public static string String(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.String) throw new RiskInputException($"{Join(path, name)}: expected a string, got {Show(v)}");
        return v.GetString()!;
    }

    public static string String(JsonElement obj, string name, string path, string fallback) =>
        Has(obj, name) ? String(obj, name, path) : fallback;

    public static DateTimeOffset Instant(JsonElement obj, string name, string path)
    {
        string s = String(obj, name, path);
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            throw new RiskInputException($"{Join(path, name)}: expected an ISO 8601 date-time such as 2025-07-25T08:00:00Z, got \"{s}\"");
        return t;
    }

    public static JsonElement Array(JsonElement obj, string name, string path)
    {
        var v = Required(obj, name, path);
        if (v.ValueKind != JsonValueKind.Array) throw new RiskInputException($"{Join(path, name)}: expected an array, got {Show(v)}");
        return v;
    }

    public static string Join(string path, string name) => string.IsNullOrEmpty(path) ? name : $"{path}.{name}";
    private static string Name(string path) => string.IsNullOrEmpty(path) ? "top level" : path;

    private static string Show(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        _ => v.ValueKind.ToString().ToLowerInvariant(),
    };
}
