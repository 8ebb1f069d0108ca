using Microsoft.Playwright;

namespace DVV.ZkRisk.Service.Tests.Browser;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by test.sh from tests/interop/apt-packages.txt) driven headless by
/// Playwright for .NET: no browser is downloaded. The flags keep it off this machine's closed network (background
/// networking, component updates, sync) and let it run as root in a container (--no-sandbox).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";
    private IPlaywright? _pw;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: test.sh installs Debian's chromium package (apt-get install chromium)");
        _pw = await Playwright.CreateAsync();
        Browser = await _pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable, Headless = true, Timeout = 60_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh page at the given viewport that records every console error and uncaught exception.</summary>
    public async Task<(IPage Page, List<string> Errors)> PageAsync(int width = 1280, int height = 800)
    {
        var ctx = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await ctx.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (errors) errors.Add("page error: " + e); };
        page.RequestFailed += (_, r) => { lock (errors) errors.Add($"request failed: {r.Url} {r.Failure}"); };
        return (page, errors);
    }

    /// <summary>Waits until every image of the page (the LSF charts) has loaded and has a size.</summary>
    public static Task WaitForImagesAsync(IPage page) =>
        page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)");

    /// <summary>Where screenshots go: $DVV_SCREENSHOTS (docs/img when refreshing the README's), else a temporary folder.</summary>
    public static string ScreenshotDir
    {
        get
        {
            var d = Environment.GetEnvironmentVariable("DVV_SCREENSHOTS") is { Length: > 0 } e ? e : Path.Combine(Path.GetTempPath(), "dvv-screenshots");
            Directory.CreateDirectory(d);
            return d;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser != null) await Browser.CloseAsync();
        _pw?.Dispose();
    }
}
