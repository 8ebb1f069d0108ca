using System.Security.Cryptography;
using System.Text.Json;

namespace DVV.ZkRisk.Crypto.Statements;

/// <summary>
/// One versioned statement definition from circuits/ (public inputs, witnesses, constraints, bit width,
/// transcript label). Prover and verifier both load it; its SHA-256 over the exact file bytes is bound
/// into every transcript through <see cref="StatementDefinitions.CombinedHash"/>, so editing a
/// definition invalidates every proof made under the old one.
/// </summary>
public sealed record StatementDefinition(string Name, int Version, string TranscriptLabel, int BitWidth, byte[] Hash)
{
    public static StatementDefinition Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        JsonElement root;
        try { root = JsonDocument.Parse(bytes).RootElement; }
        catch (JsonException e) { throw new FormatException($"{path}: not JSON ({e.Message})"); }
        string Str(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new FormatException($"{path}: missing string field '{field}'");
        int Int(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32() : throw new FormatException($"{path}: missing integer field '{field}'");
        foreach (var field in new[] { "public_inputs", "witnesses", "constraints" })
            if (!root.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
                throw new FormatException($"{path}: '{field}' must be a non-empty array");
        return new StatementDefinition(Str("name"), Int("version"), Str("transcript_label"), Int("bit_width"), SHA256.HashData(bytes));
    }
}

/// <summary>The four relations proven per epoch (indicator, range, selection, sum), loaded together.</summary>
public sealed class StatementDefinitions
{
    public const int RangeVersion = 2, IndicatorVersion = 1, SelectionVersion = 2, SumVersion = 2;

    public StatementDefinition Indicator { get; }
    public StatementDefinition Range { get; }
    public StatementDefinition Sum { get; }
    public StatementDefinition Selection { get; }

    /// <summary>SHA-256 over the four definition hashes in name order (indicator, range, selection, sum).</summary>
    public byte[] CombinedHash { get; }

    private StatementDefinitions(StatementDefinition indicator, StatementDefinition range, StatementDefinition sum, StatementDefinition selection)
    {
        Indicator = indicator; Range = range; Sum = sum; Selection = selection;
        CombinedHash = SHA256.HashData([.. indicator.Hash, .. range.Hash, .. selection.Hash, .. sum.Hash]);
    }

    /// <summary>The definitions in name order (the order of <see cref="CombinedHash"/>).</summary>
    public IReadOnlyList<StatementDefinition> InNameOrder => [Indicator, Range, Selection, Sum];

    /// <summary>Loads circuits/{indicator.v1,range.v2,selection.v2,sum.v2}.json and checks they describe what this code implements.</summary>
    public static StatementDefinitions LoadAll(string circuitsDir)
    {
        var indicator = StatementDefinition.Load(Path.Combine(circuitsDir, $"indicator.v{IndicatorVersion}.json"));
        var range = StatementDefinition.Load(Path.Combine(circuitsDir, $"range.v{RangeVersion}.json"));
        var sum = StatementDefinition.Load(Path.Combine(circuitsDir, $"sum.v{SumVersion}.json"));
        var selection = StatementDefinition.Load(Path.Combine(circuitsDir, $"selection.v{SelectionVersion}.json"));
        Expect(indicator, "indicator", IndicatorVersion, null);
        Expect(range, "range", RangeVersion, null);
        Expect(sum, "sum", SumVersion, Sigma.SumProof.TranscriptLabel);
        Expect(selection, "selection", SelectionVersion, Sigma.SelectionProof.TranscriptLabel);
        if (!RangeProof.IsSupportedBitSize(range.BitWidth)) throw new FormatException($"range statement bit width {range.BitWidth} is not 8, 16, 32 or 64");
        if (indicator.BitWidth != 8) throw new FormatException($"indicator statement bit width {indicator.BitWidth}: this code proves 8");
        return new StatementDefinitions(indicator, range, sum, selection);
    }

    private static void Expect(StatementDefinition d, string name, int version, string? label)
    {
        if (d.Name != name || d.Version != version)
            throw new FormatException($"statement '{d.Name}' v{d.Version} found where '{name}' v{version} is implemented");
        if (label is not null && d.TranscriptLabel != label)
            throw new FormatException($"statement '{name}' declares transcript label '{d.TranscriptLabel}' but the implementation uses '{label}'");
    }

    /// <summary>Finds circuits/ by walking up from a start directory (the repository or an installed copy).</summary>
    public static string Locate(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "circuits", $"range.v{RangeVersion}.json"))) dir = dir.Parent;
        return dir is null ? throw new DirectoryNotFoundException("circuits/ with the statement definitions not found") : Path.Combine(dir.FullName, "circuits");
    }
}
