using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// Issue 12: one book format, so samples/book.json works with every verb that takes a book, and a `trader sample-book`
/// file works with the margin verb. The CLI runs as processes against `dvv-zk serve` opened on the samples' market
/// (samples/aggregates.json, samples/params.json: the sample book's options are live at that market's time).
/// </summary>
public sealed class SampleBookVerbTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dvv-samples-" + Guid.NewGuid().ToString("N"));
    private Process? _serve;
    private string _address = "";
    private static string Samples(string f) => Path.Combine(Repo.Root, "samples", f);

    private static ProcessStartInfo Psi(params string[] args) => DvvZk.StartInfo(args);
    private static (int Exit, string Out, string Err) Cli(params string[] args) => DvvZk.Run(args);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var auth = Cli("trader", "keygen", "--out", Path.Combine(_dir, "authority.key"));
        Assert.Equal(0, auth.Exit);
        string authorityHex = Regex.Match(auth.Out, "public key ([0-9a-f]{64})").Groups[1].Value;
        _serve = Process.Start(Psi("serve", "--listen", "127.0.0.1:0", "--data", Path.Combine(_dir, "data"),
            "--params", Samples("params.json"), "--market", Samples("aggregates.json"), "--onboarding-key", authorityHex))!;
        _ = _serve.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var line = await _serve.StandardOutput.ReadLineAsync();
            if (line is null) break;
            var m = Regex.Match(line, "listening on (http://\\S+)");
            if (m.Success) { _address = m.Groups[1].Value; break; }
        }
        Assert.False(string.IsNullOrEmpty(_address), "serve did not report its address");
        _ = _serve.StandardOutput.ReadToEndAsync();
    }

    public Task DisposeAsync()
    {
        if (_serve is { HasExited: false }) { _serve.Kill(entireProcessTree: true); _serve.WaitForExit(10_000); }
        _serve?.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private string Trader(string name)
    {
        var key = Path.Combine(_dir, name + ".key");
        Assert.Equal(0, Cli("trader", "keygen", "--out", key).Exit);
        Assert.Equal(0, Cli("trader", "admit", "--authority", Path.Combine(_dir, "authority.key"), "--trader-key", key).Exit);
        return key;
    }

    [Fact]
    public void The_sample_book_is_margined_submitted_and_a_sample_book_file_is_margined_too()
    {
        // margin
        var margin = Cli("margin", "--book", Samples("book.json"), "--aggregates", Samples("aggregates.json"), "--params", Samples("params.json"), "--json");
        Assert.Equal(0, margin.Exit);
        Assert.Contains("\"totalMargin\"", margin.Out);

        // trader submit: the same file, accepted by the venue with a valid receipt and its opening kept
        var alice = Trader("alice");
        var submit = Cli("trader", "submit", "--book", Samples("book.json"), "--server", _address, "--key", alice);
        Assert.True(submit.Exit == 0, submit.Out + submit.Err);
        Assert.Contains("valid", submit.Out);
        Assert.True(File.Exists(Path.ChangeExtension(alice, ".opening")));

        // trader sample-book writes the same format: margin and submit take it
        var sample = Path.Combine(_dir, "sample.json");
        Assert.Equal(0, Cli("trader", "sample-book", "--out", sample, "--server", _address, "--seed", "3").Exit);
        var m2 = Cli("margin", "--book", sample, "--aggregates", Samples("aggregates.json"), "--params", Samples("params.json"), "--json");
        Assert.True(m2.Exit == 0, m2.Out + m2.Err);
        var s2 = Cli("trader", "submit", "--book", sample, "--server", _address, "--key", Trader("bob"));
        Assert.True(s2.Exit == 0, s2.Out + s2.Err);
    }

    [Fact]
    public void A_bad_book_file_is_a_usage_error_naming_the_field_before_anything_is_sent()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, File.ReadAllText(Samples("book.json")).Replace("\"size\": -12", "\"size\": -12.00001"));
        var r = Cli("trader", "submit", "--book", bad, "--server", _address, "--key", Trader("carol"));
        Assert.Equal(2, r.Exit);
        Assert.Contains("positions[0].size", r.Out + r.Err);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        var cluster = Cli("trader", "submit", "--book", Samples("cluster.json"), "--server", _address, "--key", Trader("dave"));
        Assert.Equal(2, cluster.Exit);
        Assert.Contains("cluster", cluster.Out + cluster.Err);
    }

    /// <summary>Linked accounts from the front door: two accounts declare each other with `trader submit --linked`; a key
    /// that is not hex, or not 32 bytes, is a usage error before anything is sent; `serve --funding-sources` refuses a
    /// ledger file it cannot read, naming the entry.</summary>
    [Fact]
    public void Linked_accounts_are_declared_with_trader_submit_and_a_bad_ledger_or_key_is_a_usage_error()
    {
        var a = Trader("linked-a");
        var b = Trader("linked-b");
        string Pub(string key) => Regex.Match(File.ReadAllText(key), "\"public_key\"\\s*:\\s*\"([0-9a-f]{64})\"").Groups[1].Value;
        var (pa, pb) = (Pub(a), Pub(b));
        Assert.Equal(64, pa.Length);
        var sa = Cli("trader", "submit", "--book", Samples("book.json"), "--server", _address, "--key", a, "--linked", pb);
        Assert.True(sa.Exit == 0, sa.Out + sa.Err);
        Assert.Contains("linked accounts (declared)", sa.Out);
        var sb = Cli("trader", "submit", "--book", Samples("book.json"), "--server", _address, "--key", b, "--linked", pa);
        Assert.True(sb.Exit == 0, sb.Out + sb.Err);

        var notHex = Cli("trader", "submit", "--book", Samples("book.json"), "--server", _address, "--key", a, "--linked", "zz");
        Assert.Equal(2, notHex.Exit);
        Assert.Contains("--linked zz: not hex", notHex.Out + notHex.Err);
        var shortKey = Cli("trader", "submit", "--book", Samples("book.json"), "--server", _address, "--key", a, "--linked", "abcd");
        Assert.Equal(2, shortKey.Exit);
        Assert.Contains("not a 32-byte", shortKey.Out + shortKey.Err);

        var ledger = Path.Combine(_dir, "funding.json");
        File.WriteAllText(ledger, "{\"" + pa + "\": \"master-7\", \"nope\": \"master-7\"}");
        var serve = Cli("serve", "--listen", "127.0.0.1:0", "--data", Path.Combine(_dir, "data2"), "--funding-sources", ledger);
        Assert.Equal(2, serve.Exit);
        Assert.Contains("'nope' is not a 32-byte public key", serve.Out + serve.Err);
        Assert.DoesNotContain("   at ", serve.Out + serve.Err);
    }
}
