using System.Security.Cryptography;
using DVV.ZkRisk.Crypto.Statements;
using Google.Protobuf;
using Pb = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Epochs.Sealing;

/// <summary>
/// The statement definitions (circuits/) of the three relations proven per epoch, as prover and verifier load them:
/// their hashes go into the bundle, and <see cref="CombinedHash"/> into every transcript (StatementBinding).
/// </summary>
public sealed class StatementSet
{
    public static readonly string[] RequiredNames = ["range", "selection", "sum"];

    private StatementSet(StatementDefinitions defs, IReadOnlyList<Pb.StatementDefinition> wire, string directory)
    {
        Definitions = defs; Wire = wire; Directory = directory;
    }

    public StatementDefinitions Definitions { get; }
    public byte[] CombinedHash => Definitions.CombinedHash;
    /// <summary>The definitions as they appear in a bundle (name, version, hash, text), in name order.</summary>
    public IReadOnlyList<Pb.StatementDefinition> Wire { get; }
    public string Directory { get; }

    public static StatementSet Load(string circuitsDirectory)
    {
        if (!System.IO.Directory.Exists(circuitsDirectory)) throw new FileNotFoundException($"statement definitions: directory {circuitsDirectory} does not exist");
        var defs = StatementDefinitions.LoadAll(circuitsDirectory);
        var wire = new List<Pb.StatementDefinition>();
        foreach (var name in RequiredNames)
        {
            var d = defs.All.FirstOrDefault(x => x.Name == name)
                    ?? throw new FileNotFoundException($"statement definitions: no '{name}' statement in {circuitsDirectory}");
            var file = System.IO.Directory.GetFiles(circuitsDirectory, "*.json")
                .FirstOrDefault(f => SHA256.HashData(File.ReadAllBytes(f)).AsSpan().SequenceEqual(d.Hash));
            wire.Add(new Pb.StatementDefinition
            {
                Name = d.Name, Version = (uint)d.Version, Hash = ByteString.CopyFrom(d.Hash),
                Text = file is null ? "" : File.ReadAllText(file),
            });
        }
        return new StatementSet(defs, wire, circuitsDirectory);
    }

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
            if (System.IO.Directory.Exists(c) && System.IO.Directory.GetFiles(c, "*.json").Length > 0) return c;
        }
        throw new FileNotFoundException("statement definitions: no circuits/ directory next to the program or above the current directory (set DVV_ZKRISK_CIRCUITS)");
    }
}
