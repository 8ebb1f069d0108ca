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

/// <summary>
/// The relations proven per epoch, loaded together as one suite. Suite 1 (the first version): indicator.v1, range.v2,
/// selection.v2, sum.v2, with the venue choosing the liquidation flags. Suite 2 adds the proven flag (flag.v1) and
/// selection.v3, whose proof also covers the flag bit F_s. Suite 3 adds linked-account clusters (cluster.v1); suite 4 selects
/// one point per LSV cell (selection.v4, sum.v3: value and contributor indicator combined by a public weight). A verifier
/// keeps every suite so that old bundles still verify under the statements they were proven with.
/// </summary>
public sealed class StatementDefinitions
{
    public const int RangeVersion = 2, IndicatorVersion = 1, FlagVersion = 1, ClusterVersion = 1;
    /// <summary>The suite provers use: 4.</summary>
    public const int LatestSuite = 4;
    /// <summary>selection.v2 in suite 1, selection.v3 in suites 2 and 3, selection.v4 (one selected point per cell) in suite 4.</summary>
    public static int SelectionVersionOf(int suite) => suite >= 4 ? 4 : suite >= 2 ? 3 : 2;
    /// <summary>sum.v2 up to suite 3, sum.v3 (LSV counts bound by the count weight chi) in suite 4.</summary>
    public static int SumVersionOf(int suite) => suite >= 4 ? 3 : 2;
    /// <summary>sum.v2: the version the first suites use (kept for callers that name it).</summary>
    public const int SumVersion = 2;
    /// <summary>The statement names of a suite in name order (the order of <see cref="CombinedHash"/>).</summary>
    public static string[] NamesOf(int suite) => suite switch
    {
        >= 3 => ["cluster", "flag", "indicator", "range", "selection", "sum"],
        2 => ["flag", "indicator", "range", "selection", "sum"],
        _ => ["indicator", "range", "selection", "sum"],
    };

    /// <summary>The suite whose statement names are <paramref name="names"/> (by the newest statement it names; suites 3
    /// and 4 name the same statements, told apart by <see cref="SuiteOf"/>).</summary>
    public static int SuiteNaming(IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return set.Contains("cluster") ? 3 : set.Contains("flag") ? 2 : 1;
    }

    /// <summary>The suite of published statements given by name and version: by name, then selection.v4 makes suite 4.</summary>
    public static int SuiteOf(IEnumerable<(string Name, int Version)> statements)
    {
        var list = statements.ToList();
        int suite = SuiteNaming(list.Select(x => x.Name));
        return suite == 3 && list.Any(x => x.Name == "selection" && x.Version >= 4) ? 4 : suite;
    }

    public int Suite { get; }
    public StatementDefinition Indicator { get; }
    public StatementDefinition Range { get; }
    public StatementDefinition Sum { get; }
    public StatementDefinition Selection { get; }
    /// <summary>The proven liquidation flag (suite 2); null in suite 1.</summary>
    public StatementDefinition? Flag { get; }
    /// <summary>The linked-account cluster relation (suite 3); null before.</summary>
    public StatementDefinition? Cluster { get; }

    /// <summary>SHA-256 over the definition hashes in name order ((flag,) indicator, range, selection, sum).</summary>
    public byte[] CombinedHash { get; }

    private StatementDefinitions(int suite, StatementDefinition indicator, StatementDefinition range, StatementDefinition sum, StatementDefinition selection,
        StatementDefinition? flag, StatementDefinition? cluster)
    {
        Suite = suite; Indicator = indicator; Range = range; Sum = sum; Selection = selection; Flag = flag; Cluster = cluster;
        CombinedHash = SHA256.HashData(InNameOrder.SelectMany(d => d.Hash).ToArray());
    }

    /// <summary>The definitions in name order (the order of <see cref="CombinedHash"/>).</summary>
    public IReadOnlyList<StatementDefinition> InNameOrder => (Cluster, Flag) switch
    {
        ({ } c, { } f) => [c, f, Indicator, Range, Selection, Sum],
        (null, { } f) => [f, Indicator, Range, Selection, Sum],
        _ => [Indicator, Range, Selection, Sum],
    };

    /// <summary>The latest suite from <paramref name="circuitsDir"/>.</summary>
    public static StatementDefinitions LoadAll(string circuitsDir) => Load(circuitsDir, LatestSuite);

    /// <summary>Loads one suite's circuits/ files and checks they describe what this code implements.</summary>
    public static StatementDefinitions Load(string circuitsDir, int suite)
    {
        if (suite is < 1 or > LatestSuite) throw new ArgumentOutOfRangeException(nameof(suite), $"statement suite {suite}: this code implements 1..{LatestSuite}");
        int selectionVersion = SelectionVersionOf(suite);
        var indicator = StatementDefinition.Load(Path.Combine(circuitsDir, $"indicator.v{IndicatorVersion}.json"));
        var range = StatementDefinition.Load(Path.Combine(circuitsDir, $"range.v{RangeVersion}.json"));
        int sumVersion = SumVersionOf(suite);
        var sum = StatementDefinition.Load(Path.Combine(circuitsDir, $"sum.v{sumVersion}.json"));
        var selection = StatementDefinition.Load(Path.Combine(circuitsDir, $"selection.v{selectionVersion}.json"));
        var flag = suite >= 2 ? StatementDefinition.Load(Path.Combine(circuitsDir, $"flag.v{FlagVersion}.json")) : null;
        var cluster = suite >= 3 ? StatementDefinition.Load(Path.Combine(circuitsDir, $"cluster.v{ClusterVersion}.json")) : null;
        Expect(indicator, "indicator", IndicatorVersion, null);
        Expect(range, "range", RangeVersion, null);
        Expect(sum, "sum", sumVersion, Sigma.SumProof.TranscriptLabel);
        Expect(selection, "selection", selectionVersion, Sigma.SelectionProof.TranscriptLabel);
        if (flag is not null)
        {
            Expect(flag, "flag", FlagVersion, FlagTranscriptLabel);
            if (flag.BitWidth != 64) throw new FormatException($"flag statement bit width {flag.BitWidth}: this code proves 64");
        }
        if (cluster is not null)
        {
            Expect(cluster, "cluster", ClusterVersion, ClusterTranscriptLabel);
            if (cluster.BitWidth != 64) throw new FormatException($"cluster statement bit width {cluster.BitWidth}: this code proves 64");
        }
        if (!RangeProof.IsSupportedBitSize(range.BitWidth)) throw new FormatException($"range statement bit width {range.BitWidth} is not 8, 16, 32 or 64");
        if (indicator.BitWidth != 8) throw new FormatException($"indicator statement bit width {indicator.BitWidth}: this code proves 8");
        return new StatementDefinitions(suite, indicator, range, sum, selection, flag, cluster);
    }

    /// <summary>The flag proof's transcript label (its prover lives in the protocol assembly, which names it the same).</summary>
    public const string FlagTranscriptLabel = "DVV.ZkRisk/flag v1";
    /// <summary>The cluster flag proof's transcript label.</summary>
    public const string ClusterTranscriptLabel = "DVV.ZkRisk/cluster v1";

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
