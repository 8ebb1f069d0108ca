using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Statements;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The statement definitions (circuits/) of the four relations proven per epoch, as prover and verifier load them:
/// their hashes go into the bundle, and <see cref="CombinedHash"/> into every transcript (StatementBinding).
/// </summary>
public sealed class StatementSet
{
    public static readonly string[] RequiredNames = ["indicator", "range", "selection", "sum"];

    private StatementSet(StatementDefinitions defs, IReadOnlyList<PublishedStatement> wire, string directory)
    {
        Definitions = defs; Wire = wire; Directory = directory;
    }

    public StatementDefinitions Definitions { get; }
    public byte[] CombinedHash => Definitions.CombinedHash;
    /// <summary>The definitions as they appear in a bundle (name, version, hash, text), in name order.</summary>
    public IReadOnlyList<PublishedStatement> Wire { get; }
    public string Directory { get; }

    public static StatementSet Load(string circuitsDirectory)
    {
        if (!System.IO.Directory.Exists(circuitsDirectory)) throw new FileNotFoundException($"statement definitions: directory {circuitsDirectory} does not exist");
        var defs = StatementDefinitions.LoadAll(circuitsDirectory);
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

    /// <summary>
    /// The combined hash of definitions as published in EpochInfo or a bundle: SHA-256 over their hashes in name
    /// order, the same value as <see cref="StatementDefinitions.CombinedHash"/> for the files themselves.
    /// </summary>
    public static byte[] CombinedHashOf(IEnumerable<PublishedStatement> wire)
    {
        var byName = wire.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var concat = new List<byte>();
        foreach (var name in RequiredNames)
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
