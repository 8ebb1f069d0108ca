using DVV.ZkRisk.Crypto.Statements;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.Sigma;

public class StatementDefinitionTests
{
    private static string Circuits => Path.Combine(RepoPaths.Root, "circuits");

    [Fact]
    public void TheThreeDefinitions_LoadAndAgreeWithTheImplementation()
    {
        var defs = StatementDefinitions.LoadAll(Circuits);
        Assert.Equal(("range", 64), (defs.Range.Name, defs.Range.BitWidth));
        Assert.Equal(32, defs.CombinedHash.Length);
        Assert.Equal(defs.CombinedHash, StatementDefinitions.LoadAll(StatementDefinitions.Locate(RepoPaths.Root)).CombinedHash);
    }

    [Fact]
    public void EditingADefinition_ChangesTheCombinedHash_AndAWrongLabelIsRefused()
    {
        string dir = Directory.CreateTempSubdirectory("circuits").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(Circuits, "*.json")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var before = StatementDefinitions.LoadAll(dir).CombinedHash;
            File.AppendAllText(Path.Combine(dir, "sum.v2.json"), "\n");
            Assert.NotEqual(before, StatementDefinitions.LoadAll(dir).CombinedHash);
            var sel = Path.Combine(dir, "selection.v2.json");
            File.WriteAllText(sel, File.ReadAllText(sel).Replace("DVV.ZkRisk/selection v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.LoadAll(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
