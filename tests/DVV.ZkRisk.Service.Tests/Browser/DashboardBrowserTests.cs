using System.Globalization;
using Deque.AxeCore.Playwright;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using Microsoft.Playwright;

namespace DVV.ZkRisk.Service.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (headless Debian Chromium through Playwright) against a real venue with two
/// published epochs: it loads with no console error, lists the epochs, shows the bundle's own aggregates in every heatmap
/// cell, picks up a new epoch without a reload, and shows a tampered notice as failing; axe-core finds no accessibility
/// violation at 1280x800 and at a phone's width; the offline report of `audit --html` shows the same from a file.
/// </summary>
public sealed class DashboardBrowserTests(DashboardVenueFixture f, Chromium chromium) : IClassFixture<DashboardVenueFixture>, IClassFixture<Chromium>
{
    private DashboardVenue V => f.Venue;

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(int width = 1280, int height = 800)
    {
        var (page, errors) = await chromium.PageAsync(width, height);
        await page.GotoAsync(V.Page.ToString());
        await page.WaitForSelectorAsync("#chain tbody tr[data-epoch='2'] td[data-quorum='published']");
        await page.WaitForSelectorAsync("#epoch:not([hidden]) #heatmap td[data-band]");
        return (page, errors);
    }

    [Fact]
    public async Task The_page_loads_with_no_console_error_and_lists_the_published_epochs()
    {
        var (page, errors) = await OpenAsync();
        var rows = await page.Locator("#chain tbody tr[data-epoch]:not(.pending)").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.epoch, r.cells[1].textContent, r.cells[2].title, r.querySelector('[data-quorum]').textContent, r.querySelector('[data-verification]').textContent])");
        foreach (ulong e in new ulong[] { 1, 2 })
        {
            var row = rows.Single(r => r[0] == e.ToString(CultureInfo.InvariantCulture));
            Assert.StartsWith(e == 1 ? "checkpoint" : "incremental", row[1]);
            Assert.Equal(Convert.ToHexStringLower(V.Verified[e].Bundle.BundleHash.Span), row[2]);
            Assert.Contains("published 2 of 2 required by verifier-0, verifier-1", row[3]);
            Assert.StartsWith("valid", row[4]);
        }
        Assert.Contains("Epoch " + rows[0][0], await page.TextContentAsync("#epoch-h"));
        Assert.Contains(Convert.ToHexStringLower(V.Verified[2].Bundle.ParameterHash.Span), await page.TextContentAsync("#params"));
        Assert.Equal(12, await page.Locator("#lsf tbody tr").CountAsync());
        await Chromium.WaitForImagesAsync(page);   // the V(s) and P(I) charts
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Every_heatmap_cell_on_the_page_shows_the_bundles_published_aggregate()
    {
        var (page, errors) = await OpenAsync();
        await page.ClickAsync("#chain tbody tr[data-epoch='2'] button");
        await page.WaitForSelectorAsync("#epoch[data-epoch='2']");
        var aggregates = V.Verified[2].Bundle.Aggregates;
        int checkedCells = 0;
        foreach (var layer in new[] { "short", "long" }.Concat(Enumerable.Range(0, 12).Select(s => $"lsv-{s}")))
        {
            await page.SelectOptionAsync("#layer", layer);
            await page.WaitForSelectorAsync($"#heatmap[data-layer='{layer}']");
            var cells = await page.Locator("#heatmap td[data-band]").EvaluateAllAsync<string[][]>(
                "tds => tds.map(td => [td.dataset.band, td.dataset.units || '', td.dataset.withheld, td.dataset.contributors, td.textContent])");
            Assert.Equal(32, cells.Length);
            foreach (var a in aggregates.Where(a => layer == (a.ShockIndex >= 0 ? $"lsv-{a.ShockIndex}" : a.IsShort ? "short" : "long")))
            {
                var c = cells.Single(x => x[0] == a.Band.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(a.Contributors.ToString(CultureInfo.InvariantCulture), c[3]);
                if (!a.Published)
                {
                    Assert.Equal("true", c[2]);
                    Assert.Equal("", c[1]);
                    Assert.StartsWith("withheld", c[4]);
                }
                else
                {
                    Assert.Equal("false", c[2]);
                    Assert.Equal(a.Value.ToString(CultureInfo.InvariantCulture), c[1]);
                    // the visible number is the value in contracts (grouped, at most 4 decimals)
                    var shown = decimal.Parse(c[4][..c[4].IndexOf('n')].Replace(",", ""), CultureInfo.InvariantCulture);
                    Assert.Equal(Math.Round((decimal)a.Value / Quantity.UnitsPerContract, 4), shown);
                }
                checkedCells++;
            }
        }
        Assert.Equal(aggregates.Count, checkedCells);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_new_epoch_appears_without_a_reload()
    {
        var (page, errors) = await OpenAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var epoch = await V.RunEpochAsync(resubmit: 1);
        await page.WaitForSelectorAsync($"#chain tbody tr[data-epoch='{epoch}'] td[data-quorum='published']", new() { Timeout = 90_000 });
        await page.WaitForSelectorAsync($"#epoch[data-epoch='{epoch}']");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        Assert.Contains($"updated for epoch {epoch}", await page.TextContentAsync("#live"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_genuine_notice_is_shown_as_holding_and_a_tampered_one_as_failing()
    {
        var (page, errors) = await OpenAsync();
        var t = V.Traders[0];
        var n = V.Notices[t.KeyHex];
        // pasted as base64: holds (amounts not recomputed without the opening)
        await page.FillAsync("#notice-text", Convert.ToBase64String(WireCodec.Encode(n)));
        await page.ClickAsync("#notice-check");
        await page.WaitForSelectorAsync("#notice-result [data-verdict='ok']");
        Assert.Contains(Money(n.Cavb), await page.TextContentAsync("#notice-result [data-amount='cavb']"));
        Assert.Equal("null", await page.GetAttributeAsync("#notice-result li[data-check='margin']", "data-ok"));

        // uploaded with the opening: holds and the amounts recompute
        await page.FillAsync("#notice-text", "");
        await page.SetInputFilesAsync("#notice-file", new FilePayload { Name = "t.e2.notice", MimeType = "application/octet-stream", Buffer = WireCodec.Encode(n) });
        await page.SetInputFilesAsync("#opening-file", new FilePayload { Name = "t.opening", MimeType = "application/octet-stream", Buffer = WireCodec.Encode(V.Openings[t.KeyHex]) });
        await page.ClickAsync("#notice-check");
        await page.WaitForSelectorAsync("#notice-result li[data-check='margin'][data-ok='true']");
        Assert.Contains("amounts recompute", await page.TextContentAsync("#notice-result [data-verdict='ok']"));

        // a tampered file (a lower buffer than the venue signed): fails, and says which check
        var tampered = n with { Cavb = "0.00", TotalMargin = n.InitialMargin };
        await page.SetInputFilesAsync("#opening-file", Array.Empty<FilePayload>());
        await page.SetInputFilesAsync("#notice-file", new FilePayload { Name = "t.e2.notice", MimeType = "application/octet-stream", Buffer = WireCodec.Encode(tampered) });
        await page.ClickAsync("#notice-check");
        await page.WaitForSelectorAsync("#notice-result [data-verdict='failed']");
        Assert.Equal("false", await page.GetAttributeAsync("#notice-result li[data-check='notice']", "data-ok"));
        Assert.Contains("FAILS", await page.TextContentAsync("#notice-result .verdict"));
        Assert.Contains("venue signature does not verify", await page.TextContentAsync("#notice-result li[data-check='notice']"));

        // garbage: a clear message, the page keeps working
        await page.SetInputFilesAsync("#notice-file", Array.Empty<FilePayload>());
        await page.FillAsync("#notice-text", "this is not a notice!");
        await page.ClickAsync("#notice-check");
        await page.WaitForSelectorAsync("#notice-result [data-verdict='error']");
        Assert.Contains("notice: is neither base64 nor hex", await page.TextContentAsync("#notice-result"));
        Assert.DoesNotContain(errors, e => !e.Contains("400"));   // the browser logs the 400 itself; nothing else
    }

    private static string Money(string usd) => decimal.Parse(usd, CultureInfo.InvariantCulture).ToString("#,0.##", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(1280, 800, "dashboard-1280x800.png")]
    [InlineData(390, 844, "dashboard-phone.png")]
    public async Task The_page_has_no_accessibility_violation_and_fits_the_screen(int width, int height, string shot)
    {
        var (page, errors) = await OpenAsync(width, height);
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))})")));
        // wide tables scroll inside their own box; the page itself never scrolls sideways
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            $"the page is wider than {width} px: " + await page.EvaluateAsync<string>(
                "() => document.documentElement.scrollWidth + ' px, because of ' + [...document.querySelectorAll('body *')]" +
                ".filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.scroll')).slice(0, 6)" +
                ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"));
        await Chromium.WaitForImagesAsync(page);
        // kept with the test's output (the README's screenshots are the demo's, below)
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), shot), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_offline_report_of_audit_html_shows_the_same_chain_and_cells_from_a_file()
    {
        var dir = Directory.CreateTempSubdirectory("dvv-offline-").FullName;
        try
        {
            foreach (var (e, v) in V.Verified.Where(x => x.Key <= 2))
            {
                File.WriteAllBytes(Path.Combine(dir, BundleFormat.FileName(e)), WireCodec.Encode(v.Bundle));
                File.WriteAllBytes(Path.Combine(dir, BundleFormat.AttestationFileName(e)), V.Server.Pipeline.PublishedAttestation(e)!.ToBytes());
            }
            File.WriteAllText(Path.Combine(dir, BundleFormat.CommitteeFileName), V.Committee.ToJson());
            var html = Path.Combine(dir, "report.html");
            var root = Convert.ToHexStringLower(V.Server.Epochs.Authorities.RootHash);
            var (exit, stdout, stderr) = DvvZk.Run("audit", dir, "--governance", root, "--html", html);
            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains("wrote " + html, stdout);
            var text = File.ReadAllText(html);
            Assert.DoesNotContain("src=\"dashboard.js\"", text);
            Assert.DoesNotContain("href=\"dashboard.css\"", text);

            var (page, errors) = await chromium.PageAsync();
            await page.GotoAsync(new Uri(html).AbsoluteUri);
            await page.WaitForSelectorAsync("#chain tbody tr[data-epoch='1'] td[data-quorum='published']");
            await page.WaitForSelectorAsync("#epoch[data-epoch='2'] #heatmap td[data-band]");
            Assert.Contains("offline audit of", await page.TextContentAsync("#source"));
            Assert.True(await page.IsVisibleAsync("#trader-offline"));
            Assert.False(await page.IsVisibleAsync("#notice-form"));
            var cells = await page.Locator("#heatmap td[data-band]").EvaluateAllAsync<string[][]>("tds => tds.map(td => [td.dataset.band, td.dataset.units || '', td.dataset.withheld])");
            foreach (var a in V.Verified[2].Bundle.Aggregates.Where(a => a.ShockIndex < 0 && a.IsShort))
            {
                var c = cells.Single(x => x[0] == a.Band.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(a.Published ? a.Value.ToString(CultureInfo.InvariantCulture) : "", c[1]);
            }
            Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('lsf-multiplier').naturalWidth > 0"), "the embedded P(I) chart did not load");
            Assert.Empty(errors);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>
/// `dvv-zk demo --serve` as a user runs it: it prints the page's address at the start, runs its epochs, and keeps
/// serving after the last one; the page shows every epoch published and verified, with no console error. The
/// screenshots in docs/img are taken here (DVV_SCREENSHOTS=docs/img, docs/dashboard.md).
/// </summary>
public sealed class DemoDashboardTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Demo_prints_the_page_address_and_keeps_serving_it_after_its_epochs()
    {
        var outDir = Directory.CreateTempSubdirectory("dvv-demo-page-").FullName;
        var psi = DvvZk.StartInfo("demo", "--traders", "24", "--epochs", "3", "--out", outDir, "--serve");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            string? url = null, line;
            var seen = new System.Text.StringBuilder();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            while ((line = await p.StandardOutput.ReadLineAsync(cts.Token)) != null)
            {
                seen.AppendLine(line);
                if (url is null && line.StartsWith("dashboard: http", StringComparison.Ordinal)) url = line["dashboard: ".Length..].Split(' ')[0];
                if (line.Contains("serving the dashboard until Ctrl+C", StringComparison.Ordinal)) break;
            }
            Assert.True(line != null && url != null, "demo did not reach --serve:\n" + seen + await Task.WhenAny(stderr, Task.Delay(100)));
            var (page, errors) = await chromium.PageAsync();
            await page.GotoAsync(url!);
            foreach (var e in new[] { 1, 2, 3 })
            {
                await page.WaitForSelectorAsync($"#chain tbody tr[data-epoch='{e}'] td[data-quorum='published']");
                await page.WaitForSelectorAsync($"#chain tbody tr[data-epoch='{e}'] td[data-verification='valid']");
            }
            await page.WaitForSelectorAsync("#epoch[data-epoch='3'] #heatmap td[data-band]");
            await Chromium.WaitForImagesAsync(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotDir, "demo-dashboard.png"), FullPage = true });
            // a notice of the demo's most affected trader, uploaded as the demo wrote it
            var notice = Directory.GetFiles(Path.Combine(outDir, "traders"), "*.e3.notice").First();
            await page.SetInputFilesAsync("#notice-file", notice);
            await page.ClickAsync("#notice-check");
            await page.WaitForSelectorAsync("#notice-result [data-verdict='ok']");
            await page.Locator("#trader").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotDir, "demo-notice-check.png") });
            await page.SetViewportSizeAsync(390, 844);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotDir, "demo-dashboard-phone.png") });
            Assert.Empty(errors);
            Assert.False(p.HasExited, "the demo stopped serving");
        }
        finally
        {
            if (!p.HasExited)
            {
                using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
                if (!p.WaitForExit(20_000)) p.Kill(entireProcessTree: true);
            }
            Directory.Delete(outDir, true);
        }
        Assert.Equal(0, p.ExitCode);
    }
}
