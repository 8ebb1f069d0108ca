using System.Diagnostics;
using System.Text.Json;

namespace DVV.ZkRisk.Risk.Tests;

/// <summary>Runs the dvv-zk CLI as a process: output, exit codes, and no stack trace on bad input.</summary>
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "dvv-zk.dll");
        Assert.True(File.Exists(dll), $"{dll} not built");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Fixtures.RepoRoot() };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "dvv-zk did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void AssertCleanError((int Code, string Out, string Err) r, string expected)
    {
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err);          // no stack trace
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public void SimulatePrintsOneJsonDocumentWithARegimesArray()
    {
        var r = Run("simulate", "--seeds", "2", "--traders", "60", "--vaults", "3", "--duration", "300", "--json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var regimes = doc.RootElement.GetProperty("regimes");
        Assert.Equal(3, regimes.GetArrayLength());
        Assert.Equal(new[] { "im-only", "im+cavb", "im+linear-oi" }, regimes.EnumerateArray().Select(x => x.GetProperty("regime").GetString()).ToArray());
        foreach (var g in regimes.EnumerateArray())
            foreach (var f in new[] { "peakForcedVolume", "endogenousDrawdown", "vaultLosses", "safetyFundDraw", "tradersLiquidated" })
                Assert.True(g.GetProperty(f).GetProperty("mean").GetDouble() >= 0, f);
        Assert.False(doc.RootElement.GetProperty("aggregatesProven").GetBoolean());
    }

    [Theory]
    [InlineData("--seeds", "x1", "--seeds")]
    [InlineData("--regimes", "im-only,spam", "unknown regime")]
    [InlineData("--depth", "0", "depth")]
    [InlineData("--block-time", "-2", "block time")]
    public void SimulateRefusesBadOptionsCleanly(string option, string value, string expected) =>
        AssertCleanError(Run("simulate", option, value), expected);

    [Fact]
    public void FlagsCompareCountsBothModelsPerShock()
    {
        var r = Run("flags", "compare", "--traders", "120", "--json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(120, root.GetProperty("books").GetInt32());
        var shocks = root.GetProperty("shocks").EnumerateArray().ToList();
        Assert.Equal(12, shocks.Count);
        foreach (var s in shocks)
        {
            int full = s.GetProperty("fullRevaluation").GetInt32(), band = s.GetProperty("bandModel").GetInt32();
            int onlyFull = s.GetProperty("onlyFullRevaluation").GetInt32(), onlyBand = s.GetProperty("onlyBandModel").GetInt32();
            // both = full - onlyFull = band - onlyBand, and no count exceeds the population
            Assert.Equal(full - onlyFull, band - onlyBand);
            Assert.InRange(full, 0, 120);
            Assert.InRange(band, 0, 120);
        }
        // the crash flags the leveraged herd under both definitions
        Assert.True(shocks[0].GetProperty("fullRevaluation").GetInt32() > 0 && shocks[0].GetProperty("bandModel").GetInt32() > 0);
        int kinds = root.GetProperty("byKind").EnumerateObject().Sum(k => k.Value.GetProperty("books").GetInt32());
        Assert.Equal(120, kinds);
    }

    [Fact]
    public void FlagsCompareRefusesABadPopulationSize() => AssertCleanError(Run("flags", "compare", "--traders", "0"), "--traders");

    [Fact]
    public void PricePrintsJsonWithGreeks()
    {
        var r = Run("price", "--type", "put", "--forward", "20", "--strike", "20", "--vol", "0.25", "--expiry-years", "0.3333333333333333", "--rate", "0.09");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(1.1166, root.GetProperty("price").GetDouble(), 4);
        foreach (var g in new[] { "delta", "gamma", "vega", "theta", "vanna", "volga" })
            Assert.True(root.TryGetProperty(g, out _), g);
        var inv = Run("price", "--type", "call", "--forward", "65000", "--strike", "70000", "--vol", "0.6", "--expiry-years", "0.1", "--inverse");
        Assert.Equal(0, inv.Code);
        using var d2 = JsonDocument.Parse(inv.Out);
        Assert.Equal("coin", d2.RootElement.GetProperty("currency").GetString());
        Assert.Equal(Black76.Price(OptionType.Call, 65000, 70000, 0.6, 0.1, 0, SettlementConvention.Inverse), d2.RootElement.GetProperty("price").GetDouble(), 12);
    }

    [Fact]
    public void PriceRejectsBadInput()
    {
        AssertCleanError(Run("price", "--type", "call", "--forward", "-1", "--strike", "20", "--vol", "0.25", "--expiry-years", "1"), "forward");
        AssertCleanError(Run("price", "--type", "call", "--forward", "20", "--strike", "20", "--vol", "0.25", "--expiry-years", "0"), "expiry");
        var parse = Run("price", "--type", "straddle", "--forward", "x");
        Assert.NotEqual(0, parse.Code);
        Assert.DoesNotContain("   at ", parse.Err);
    }

    [Fact]
    public void MarginOfTheSamplesInTablesAndJson()
    {
        var t = Run("margin", "--book", "samples/book.json", "--aggregates", "samples/aggregates.json", "--params", "samples/params.json");
        Assert.Equal(0, t.Code);
        Assert.Contains("total margin IM + CAVB", t.Out);
        Assert.Contains("LSF shocks", t.Out);
        Assert.Contains("-2x range extreme", t.Out);

        var j = Run("margin", "--book", "samples/cluster.json", "--aggregates", "samples/aggregates.json", "--json");
        Assert.Equal(0, j.Code);
        using var doc = JsonDocument.Parse(j.Out);
        var root = doc.RootElement;
        Assert.Equal(16, root.GetProperty("scenarios").GetArrayLength());
        Assert.Equal(12, root.GetProperty("shocks").GetArrayLength());
        double im = root.GetProperty("initialMargin").GetDouble(), cavb = root.GetProperty("cavb").GetDouble();
        Assert.Equal(im + cavb, root.GetProperty("totalMargin").GetDouble(), 6);
        Assert.True(cavb > 0);
    }

    [Fact]
    public void MarginRejectsBadInput()
    {
        AssertCleanError(Run("margin", "--book", "samples/nope.json", "--aggregates", "samples/aggregates.json"), "nope.json");
        string bad = Path.GetTempFileName();
        string other = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, """{"account":"x","positions":[{"instrument":"option","type":"call","strike":-5,"expiry":"2025-07-11T08:00:00Z","size":1}]}""");
            AssertCleanError(Run("margin", "--book", bad, "--aggregates", "samples/aggregates.json"), "positions[0].strike");
            File.WriteAllText(other, """{"kappa": 2}""");
            AssertCleanError(Run("margin", "--book", "samples/book.json", "--aggregates", "samples/aggregates.json", "--params", other), "parameterHash");
            File.WriteAllText(bad, "not json");
            AssertCleanError(Run("margin", "--book", bad, "--aggregates", "samples/aggregates.json"), "not valid JSON");
        }
        finally { File.Delete(bad); File.Delete(other); }
    }
}
