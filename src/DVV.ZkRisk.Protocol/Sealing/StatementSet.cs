using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Statements;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The statement definitions (circuits/) of one suite of relations proven per epoch, as prover and verifier load them:
/// their hashes go into the bundle, and <see cref="CombinedHash"/> into every transcript (StatementBinding). Suite 2 (the
/// default, what the venue proves) adds the proven liquidation flag and selection.v3 to suite 1; a verifier checks a bundle
/// under the suite its statements name (<see cref="Matching"/>), so bundles of suite 1 still verify.
/// </summary>
public sealed class StatementSet
{
    private StatementSet(StatementDefinitions defs, IReadOnlyList<PublishedStatement> wire, string directory)
    {
        Definitions = defs; Wire = wire; Directory = directory;
    }

    public StatementDefinitions Definitions { get; }
    /// <summary>1: the venue chooses the flags; 2: they are proven (flag.v1, selection.v3); 3: and linked accounts are
    /// clustered (cluster.v1); 4: one selected point per LSV cell (selection.v4, sum.v3).</summary>
    public int Suite => Definitions.Suite;
    /// <summary>Whether this suite proves the liquidation flags (submissions commit to their collateral, parts carry F_s).</summary>
    public bool ProvesFlags => Definitions.Flag is not null;
    /// <summary>Whether this suite margins linked-account clusters as one (cluster.v1: submissions may declare linked accounts,
    /// bundles list the clusters, members' flag proofs cover the cluster's summed distance).</summary>
    public bool ProvesClusters => Definitions.Cluster is not null;
    /// <summary>Whether each LSV cell has one selected point per trader (selection.v4, sum.v3: value and contributor indicator
    /// combined by <see cref="CountWeight.Chi"/>) instead of two (D and E).</summary>
    public bool CombinesCells => Definitions.Selection.Version >= 4;
    public byte[] CombinedHash => Definitions.CombinedHash;
    /// <summary>The definitions as they appear in a bundle (name, version, hash, text), in name order.</summary>
    public IReadOnlyList<PublishedStatement> Wire { get; }
    public string Directory { get; }

    /// <summary>The latest suite of <paramref name="circuitsDirectory"/>.</summary>
    public static StatementSet Load(string circuitsDirectory) => Load(circuitsDirectory, StatementDefinitions.LatestSuite);

    public static StatementSet Load(string circuitsDirectory, int suite)
    {
        if (!System.IO.Directory.Exists(circuitsDirectory)) throw new FileNotFoundException($"statement definitions: directory {circuitsDirectory} does not exist");
        var defs = StatementDefinitions.Load(circuitsDirectory, suite);
        var wire = new List<PublishedStatement>();
        foreach (var d in defs.InNameOrder)   // name order, as the combined hash
        {
            var file = Path.Combine(circuitsDirectory, $"{d.Name}.v{d.Version}.json");
            var bytes = File.ReadAllBytes(file);
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(d.Hash)) throw new IOException($"{file} changed while it was loaded");
            wire.Add(new PublishedStatement(d.Name, (uint)d.Version, d.Hash, System.Text.Encoding.UTF8.GetString(bytes)));
        }
        return new StatementSet(defs, wire, circuitsDirectory);
    }

    private readonly Dictionary<int, StatementSet> _suites = [];

    /// <summary>The suite of this directory whose statements <paramref name="wire"/> names (this set or an older one, loaded
    /// once), by name and version; null when none does. Whether the hashes match is the caller's check.</summary>
    public StatementSet? Matching(IReadOnlyList<PublishedStatement> wire)
    {
        int suite = StatementDefinitions.SuiteOf(wire.Select(d => (d.Name, (int)d.Version)));
        var names = StatementDefinitions.NamesOf(suite);
        if (wire.Count != names.Length || !names.All(n => wire.Any(d => d.Name == n))) return null;
        if (wire.FirstOrDefault(d => d.Name == "selection") is not { } sel || sel.Version != StatementDefinitions.SelectionVersionOf(suite)) return null;
        if (wire.FirstOrDefault(d => d.Name == "sum") is not { } sum || sum.Version != StatementDefinitions.SumVersionOf(suite)) return null;
        if (suite == Suite) return this;
        lock (_suites)
        {
            if (!_suites.TryGetValue(suite, out var set)) _suites[suite] = set = Load(Directory, suite);
            return set;
        }
    }

    /// <summary>Whether statements published in EpochInfo or a bundle include the flag relation (suite 2).</summary>
    public static bool NamesFlag(IEnumerable<PublishedStatement> wire) => wire.Any(d => d.Name == "flag");

    /// <summary>
    /// The combined hash of definitions as published in EpochInfo or a bundle: SHA-256 over their hashes in name
    /// order, the same value as <see cref="StatementDefinitions.CombinedHash"/> for the files themselves.
    /// </summary>
    public static byte[] CombinedHashOf(IEnumerable<PublishedStatement> wire)
    {
        var byName = wire.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var concat = new List<byte>();
        foreach (var name in StatementDefinitions.NamesOf(StatementDefinitions.SuiteNaming(byName.Keys)))
        {
            if (!byName.TryGetValue(name, out var d) || d.Hash.Length != 32)
                throw new FormatException($"statement definitions: '{name}' missing or without a 32-byte hash");
            concat.AddRange(d.Hash.ToArray());
        }
        return SHA256.HashData(concat.ToArray());
    }

    private static readonly Lazy<StatementSet> Shared = new(LoadDefault);

    /// <summary>The default set, loaded once per process.</summary>
    public static StatementSet Default => Shared.Value;

    /// <summary>circuits/ next to the executable (copied there at build time), else the nearest circuits/ above the current directory.</summary>
    public static StatementSet LoadDefault() => Load(FindDirectory());

    public static string FindDirectory()
    {
        var env = Environment.GetEnvironmentVariable("DVV_ZKRISK_CIRCUITS");
        if (!string.IsNullOrEmpty(env)) return env;
        var near = Path.Combine(AppContext.BaseDirectory, "circuits");
        if (System.IO.Directory.Exists(near)) return near;
        for (var d = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); d != null; d = d.Parent)
        {
            var c = Path.Combine(d.FullName, "circuits");
            if (File.Exists(Path.Combine(c, $"range.v{StatementDefinitions.RangeVersion}.json"))) return c;
        }
        throw new FileNotFoundException("statement definitions: no circuits/ directory next to the program or above the current directory (set DVV_ZKRISK_CIRCUITS)");
    }
}
