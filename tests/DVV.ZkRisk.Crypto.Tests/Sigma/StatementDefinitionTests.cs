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
        // the latest suite proves the flags (flag.v1 with selection.v3); suite 1 is what bundles before them were proven with
        Assert.Equal((2, 3, "flag"), (defs.Suite, defs.Selection.Version, defs.Flag!.Name));
        var suite1 = StatementDefinitions.Load(Circuits, 1);
        Assert.Equal((2, (StatementDefinition?)null), (suite1.Selection.Version, suite1.Flag));
        Assert.Equal(["indicator", "range", "selection", "sum"], suite1.InNameOrder.Select(d => d.Name));
        Assert.Equal(["flag", "indicator", "range", "selection", "sum"], defs.InNameOrder.Select(d => d.Name));
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
            // suite 1 (selection.v2) and suite 2 (selection.v3, flag.v1) each refuse a definition whose label is not the code's
            var suite1 = StatementDefinitions.Load(dir, 1).CombinedHash;
            var sel = Path.Combine(dir, "selection.v2.json");
            File.WriteAllText(sel, File.ReadAllText(sel).Replace("DVV.ZkRisk/selection v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.Load(dir, 1));
            Assert.NotEqual(suite1, StatementDefinitions.LoadAll(dir).CombinedHash);
            var flag = Path.Combine(dir, "flag.v1.json");
            File.WriteAllText(flag, File.ReadAllText(flag).Replace("DVV.ZkRisk/flag v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.LoadAll(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
