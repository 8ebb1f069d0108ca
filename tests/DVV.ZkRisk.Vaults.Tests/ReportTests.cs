using DVV.ZkRisk.Vaults;

namespace DVV.ZkRisk.Vaults.Tests;

public class ReportTests
{
    [Fact]
    public void The_report_writes_png_charts_and_a_markdown_table_per_regime()
    {
        var cfg = SimulationConfig.Headline with { Traders = 50, Vaults = 3, DurationSeconds = 400 };
        var result = new ContagionStudy(cfg, MarginRegimes.All, [1, 2]).Run();
        string dir = Path.Combine(Path.GetTempPath(), "dvv-sim-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var charts = ReportCharts.Write(result, dir);
            Assert.Equal(5, charts.Count);
            foreach (var c in charts)
            {
                var bytes = File.ReadAllBytes(Path.Combine(dir, c));
                Assert.True(bytes.Length > 5_000, $"{c} is {bytes.Length} bytes");
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            }
            var md = StudyReport.Markdown(result, charts, 1.0);
            foreach (var r in MarginRegimes.All) Assert.Contains($"| {r.Label()} |", md);
            Assert.Contains("not proven", md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
