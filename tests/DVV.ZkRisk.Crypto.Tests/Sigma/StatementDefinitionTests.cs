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
        // the latest suite proves the flags (flag.v1 with selection.v3) and clusters linked accounts (cluster.v1); suite 1 is
        // what bundles before the proven flags were proven with, suite 2 what they were proven with before clusters
        Assert.Equal((4, 4, 3, "flag", "cluster"), (defs.Suite, defs.Selection.Version, defs.Sum.Version, defs.Flag!.Name, defs.Cluster!.Name));
        var suite3 = StatementDefinitions.Load(Circuits, 3);
        Assert.Equal((3, 2), (suite3.Selection.Version, suite3.Sum.Version));
        Assert.Equal(4, StatementDefinitions.SuiteOf([("cluster", 1), ("flag", 1), ("selection", 4), ("sum", 3)]));
        Assert.Equal(3, StatementDefinitions.SuiteOf([("cluster", 1), ("flag", 1), ("selection", 3), ("sum", 2)]));
        var suite2 = StatementDefinitions.Load(Circuits, 2);
        Assert.Equal((3, "flag", (StatementDefinition?)null), (suite2.Selection.Version, suite2.Flag!.Name, suite2.Cluster));
        Assert.Equal(["flag", "indicator", "range", "selection", "sum"], suite2.InNameOrder.Select(d => d.Name));
        Assert.Equal(3, StatementDefinitions.SuiteNaming(["cluster", "flag", "sum"]));
        Assert.Equal(2, StatementDefinitions.SuiteNaming(["flag", "sum"]));
        Assert.Equal(1, StatementDefinitions.SuiteNaming(["sum"]));
        var suite1 = StatementDefinitions.Load(Circuits, 1);
        Assert.Equal((2, (StatementDefinition?)null), (suite1.Selection.Version, suite1.Flag));
        Assert.Equal(["indicator", "range", "selection", "sum"], suite1.InNameOrder.Select(d => d.Name));
        Assert.Equal(["cluster", "flag", "indicator", "range", "selection", "sum"], defs.InNameOrder.Select(d => d.Name));
    }

    [Fact]
    public void EditingADefinition_ChangesTheCombinedHash_AndAWrongLabelIsRefused()
    {
        string dir = Directory.CreateTempSubdirectory("circuits").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(Circuits, "*.json")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var before = StatementDefinitions.LoadAll(dir).CombinedHash;
            var before3 = StatementDefinitions.Load(dir, 3).CombinedHash;
            File.AppendAllText(Path.Combine(dir, "sum.v3.json"), "\n");
            Assert.NotEqual(before, StatementDefinitions.LoadAll(dir).CombinedHash);
            Assert.Equal(before3, StatementDefinitions.Load(dir, 3).CombinedHash);   // suite 3 reads sum.v2
            File.AppendAllText(Path.Combine(dir, "sum.v2.json"), "\n");
            Assert.NotEqual(before3, StatementDefinitions.Load(dir, 3).CombinedHash);
            // suite 1 (selection.v2) and suite 2 (selection.v3, flag.v1) each refuse a definition whose label is not the code's
            var suite1 = StatementDefinitions.Load(dir, 1).CombinedHash;
            var sel = Path.Combine(dir, "selection.v2.json");
            File.WriteAllText(sel, File.ReadAllText(sel).Replace("DVV.ZkRisk/selection v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.Load(dir, 1));
            Assert.NotEqual(suite1, StatementDefinitions.LoadAll(dir).CombinedHash);
            var flag = Path.Combine(dir, "flag.v1.json");
            var suite2 = StatementDefinitions.Load(dir, 2).CombinedHash;
            var cluster = Path.Combine(dir, "cluster.v1.json");
            File.WriteAllText(cluster, File.ReadAllText(cluster).Replace("DVV.ZkRisk/cluster v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.LoadAll(dir));
            Assert.Equal(suite2, StatementDefinitions.Load(dir, 2).CombinedHash);   // suite 2 does not read cluster.v1
            File.WriteAllText(flag, File.ReadAllText(flag).Replace("DVV.ZkRisk/flag v1", "other"));
            Assert.Throws<FormatException>(() => StatementDefinitions.Load(dir, 2));
        }
        finally { Directory.Delete(dir, true); }
    }
}
