using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;

namespace DVV.ZkRisk.Risk.Tests;

public class ParameterSetTests
{
    [Fact]
    public void DefaultsAreTheDesignValues()
    {
        var p = ParameterSet.Default;
        p.Validate();
        Assert.Equal(0.35, p.ExtremeMoveWeight);
        Assert.Equal(0.8, p.MaintenanceRatio);
        Assert.Equal(new[] { 1.0, 7, 30 }, p.ExpiryBucketEdgesDays);
        Assert.Equal(0.05, p.BandWidth);
        Assert.Equal(8, p.BandCount);
        Assert.Equal(32, p.TotalBands);
        Assert.Equal(12, p.ShockCount);
        Assert.Equal(-0.30, p.LsfSpotShocks[0]);
        Assert.Equal(0.30, p.LsfSpotShocks[^1]);
        Assert.Equal(5, p.KMin);
    }

    [Fact]
    public void CanonicalJsonHasSortedKeysAndNoWhitespace()
    {
        string json = Encoding.UTF8.GetString(ParameterSet.Default.ToCanonicalJson());
        Assert.DoesNotContain(" ", json);
        Assert.DoesNotContain("\n", json);
        var keys = ParameterSet.CanonicalKeys;
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
        Assert.StartsWith("{\"alpha\":0.02,\"bandCount\":8,\"bandRepresentativeDays\":[0.5,4,18.5,60],\"bandWidth\":0.05,", json);
    }

    [Fact]
    public void EveryPublicParameterIsInTheCanonicalForm()
    {
        // A parameter added to the record but not to ToCanonicalJson would escape the hash.
        var props = typeof(ParameterSet).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.CanWrite)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(props, ParameterSet.CanonicalKeys);
    }

    [Fact]
    public void CanonicalBytesDoNotDependOnCulture()
    {
        var before = ParameterSet.Default.ToCanonicalJson();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");   // decimal comma
            Assert.Equal(before, ParameterSet.Default.ToCanonicalJson());
            Assert.Contains("0.15", Encoding.UTF8.GetString(ParameterSet.Default.ToCanonicalJson()));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void SaveLoadRoundTripKeepsTheHash()
    {
        var p = ParameterSet.Default with { Kappa = 1.7, LsfSpotShocks = [-0.2, 0.2], LsfVolShocks = [0.3, 0.1], Label = "round \"trip\" é" };
        string path = Path.GetTempFileName();
        try
        {
            p.Save(path);
            var q = ParameterSet.Load(path);
            Assert.Equal(p.HashHex, q.HashHex);
            Assert.Equal(p, q);
            Assert.Equal(p.ToCanonicalJson(), q.ToCanonicalJson());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FormattingAndKeyOrderOfTheInputDoNotChangeTheHash()
    {
        string pretty = "{\n  \"kappa\": 1.0,\n  \"initialMarginRule\": \"max\",\n  \"alpha\": 2e-2,\n  \"version\": 2\n}";
        Assert.Equal(ParameterSet.Default.HashHex, ParameterSet.FromJson(pretty).HashHex);
    }

    public static IEnumerable<object[]> Changes() => new List<Func<ParameterSet, ParameterSet>>
    {
        p => p with { Version = 3 },
        p => p with { InitialMarginRule = InitialMarginRules.Sum },
        p => p with { PriceScanRange = 0.16 },
        p => p with { VolScanUp = 0.5 },
        p => p with { VegaPower = 0.31 },
        p => p with { ExtremeMoveWeight = 0.3 },
        p => p with { ShortOptionMinimum = 0.006 },
        p => p with { MaintenanceRatio = 0.75 },
        p => p with { ExpiryBucketEdgesDays = [1, 7, 31] },
        p => p with { BandWidth = 0.04 },
        p => p with { BandCount = 10 },
        p => p with { LsfVolShocks = p.LsfVolShocks.SetItem(0, 0.5) },
        p => p with { Alpha = 0.03 },
        p => p with { Kappa = 1.5 },
        p => p with { PMax = 6 },
        p => p with { Gamma = 2 },
        p => p with { FundTargetUsd = 2e8 },
        p => p with { KMin = 6 },
        p => p with { DepthMove = 0.01 },
        p => p with { Label = "other" },
    }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnyChangeChangesTheHash(Func<ParameterSet, ParameterSet> change)
    {
        var changed = change(ParameterSet.Default);
        Assert.NotEqual(ParameterSet.Default.HashHex, changed.HashHex);
        Assert.NotEqual(ParameterSet.Default, changed);
        Assert.Equal(64, changed.HashHex.Length);
        Assert.Equal(changed.HashHex, Convert.ToHexStringLower(changed.Hash()));
    }

    [Fact]
    public void DefaultHashIsPinned()
    {
        // Pins the canonical format: changing number formatting, key names or defaults must be a
        // deliberate, versioned decision (update this value and bump Version).
        Assert.Equal(ParameterSet.Default.HashHex, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ParameterSet.Default.ToCanonicalJson())));
        Assert.Equal("fd66f3621d7e90ebb0ff5ac7082323aff0061158d5120740a0f9476467c815f7", ParameterSet.Default.HashHex);
    }

    [Fact]
    public void ASetWithoutAnInitialMarginRuleIsAV1SetAndKeepsItsHash()
    {
        // the v1 default set as it was written before issue 15: no initialMarginRule key, version 1
        var v1 = ParameterSet.Default with { Version = 1, InitialMarginRule = InitialMarginRules.Sum };
        string json = Encoding.UTF8.GetString(v1.ToCanonicalJson());
        Assert.DoesNotContain("initialMarginRule", json);
        Assert.Equal("42bc69a229ff78c2a201d1281d4e29be0f29b48d559a6d5e478bcb6f0a6991bb", v1.HashHex);   // the v1 default's pinned hash
        var loaded = ParameterSet.FromJson(json);
        Assert.Equal(InitialMarginRules.Sum, loaded.InitialMarginRule);
        Assert.Equal(v1.HashHex, loaded.HashHex);
        // a set that names its rule keeps it; the default names "max"
        Assert.Contains("\"initialMarginRule\":\"max\"", Encoding.UTF8.GetString(ParameterSet.Default.ToCanonicalJson()));
        Assert.Equal(InitialMarginRules.Max, ParameterSet.FromJson(Encoding.UTF8.GetString(ParameterSet.Default.ToCanonicalJson())).InitialMarginRule);
        var e = Assert.Throws<RiskInputException>(() => ParameterSet.FromJson("{\"initialMarginRule\": \"average\"}"));
        Assert.Contains("initialMarginRule", e.Message);
    }

    [Theory]
    [InlineData("{\"kapa\": 1}", "kapa")]
    [InlineData("{\"priceScanRange\": -0.1}", "priceScanRange")]
    [InlineData("{\"priceScanRange\": \"0.1\"}", "priceScanRange")]
    [InlineData("{\"bandCount\": 0}", "bandCount")]
    [InlineData("{\"lsfSpotShocks\": [0.1, -0.1]}", "lsfSpotShocks")]
    [InlineData("{\"lsfVolShocks\": [0.1]}", "lsfVolShocks")]
    [InlineData("{\"expiryBucketEdgesDays\": [7, 1]}", "expiryBucketEdgesDays")]
    [InlineData("{\"bandRepresentativeDays\": [0.5, 4, 18.5, 20]}", "bandRepresentativeDays")]
    [InlineData("{\"maintenanceRatio\": 1.5}", "maintenanceRatio")]
    [InlineData("{\"extremeMoveMultiple\": 7}", "extremeMoveMultiple")]
    [InlineData("[1,2]", "JSON")]
    [InlineData("{", "JSON")]
    public void BadParameterFilesAreRejectedNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<RiskInputException>(() => ParameterSet.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var e = Assert.Throws<RiskInputException>(() => ParameterSet.Load("/nonexistent/params.json"));
        Assert.Contains("/nonexistent/params.json", e.Message);
    }
}
