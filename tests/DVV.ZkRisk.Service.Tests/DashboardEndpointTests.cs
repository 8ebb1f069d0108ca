using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Publication;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Risk;
using MarginNotice = DVV.ZkRisk.Protocol.Records.MarginNotice;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>A venue with two published epochs, shared by the dashboard's endpoint tests (and the browser tests' own).</summary>
public sealed class DashboardVenueFixture : IAsyncLifetime
{
    public DashboardVenue Venue { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Venue = await DashboardVenue.StartAsync();
        await Venue.RunEpochAsync();
        await Venue.RunEpochAsync(resubmit: 2);
        await Venue.WaitForAsync(2);
    }

    public async Task DisposeAsync() => await Venue.DisposeAsync();
}

/// <summary>
/// The dashboard's HTTP endpoints against a real venue (two epochs sealed, verified by two committee members and
/// published over gRPC): the page and its assets, the chain, the heatmap against the bundle's own aggregates, the LSF
/// curve against the CAVB engine, the notice check (the venue's notices pass; tampered ones fail and say which check),
/// clear errors for bad input, and the event stream.
/// </summary>
public sealed class DashboardEndpointTests(DashboardVenueFixture f) : IClassFixture<DashboardVenueFixture>
{
    private DashboardVenue V => f.Venue;

    private async Task<(HttpStatusCode Status, JsonNode Body, string Text)> GetAsync(string path)
    {
        using var r = await V.Http.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, JsonNode.Parse(text)!, text);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, string Text)> PostAsync(string path, string body)
    {
        using var r = await V.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, JsonNode.Parse(text)!, text);
    }

    private static string NoticeBody(MarginNotice n, Opening? o = null) =>
        new JsonObject { ["notice"] = Convert.ToBase64String(WireCodec.Encode(n)), ["opening"] = o is null ? null : Convert.ToBase64String(WireCodec.Encode(o)) }.ToJsonString();

    private MarginNotice Resigned(MarginNotice n) => n with { VenueSignature = V.Server.Keys.Signing.Sign(Notices.Digest(n)) };

    [Fact]
    public async Task The_page_and_its_assets_are_served_over_http1_with_a_strict_content_security_policy()
    {
        using var page = await V.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(new Version(1, 1), page.Version);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString());
        Assert.Contains("<title>DVV.ZkRisk", await page.Content.ReadAsStringAsync());
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("default-src 'none'", csp);
        using var js = await V.Http.GetAsync("/dashboard.js");
        Assert.StartsWith("text/javascript", js.Content.Headers.ContentType!.ToString());
        using var css = await V.Http.GetAsync("/dashboard.css");
        Assert.StartsWith("text/css", css.Content.Headers.ContentType!.ToString());
        using var none = await V.Http.GetAsync("/secrets.txt");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task The_chain_lists_each_epoch_with_its_hash_parent_size_quorum_signers_and_verification()
    {
        var (status, chain, _) = await GetAsync("api/chain");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = chain["epochs"]!.AsArray();
        Assert.True((ulong)rows[0]!["epoch"]! >= 2, "newest first");
        Assert.Equal("verifier-0", (string)chain["committee"]!["members"]![0]!);
        Assert.Equal(2, (int)chain["committee"]!["threshold"]!);
        JsonNode Row(ulong e) => rows.Single(r => (ulong)r!["epoch"]! == e)!;
        for (ulong e = 1; e <= 2; e++)
        {
            var bundle = V.Verified[e].Bundle;
            var r = Row(e);
            Assert.Equal(Convert.ToHexStringLower(bundle.BundleHash.Span), (string)r["bundleHash"]!);
            Assert.Equal(WireCodec.Encode(bundle).Length, (int)r["bundleBytes"]!);
            Assert.Equal(7, (int)r["traders"]!);
            Assert.Equal("published", (string)r["quorum"]!["state"]!);
            Assert.Equal(2, (int)r["quorum"]!["attestations"]!);
            Assert.Equal(["verifier-0", "verifier-1"], r["quorum"]!["signers"]!.AsArray().Select(x => (string)x!));
            Assert.Equal("valid", (string)r["verification"]!["state"]!);
            Assert.Empty(r["verification"]!["findings"]!.AsArray());
        }
        Assert.Equal("checkpoint", (string)Row(1)["kind"]!);
        Assert.Null(Row(1)["parentHash"]);
        Assert.Equal("incremental", (string)Row(2)["kind"]!);
        Assert.Equal((string)Row(1)["bundleHash"]!, (string)Row(2)["parentHash"]!);
        Assert.Equal(2, (int)Row(2)["submissions"]!);
    }

    [Fact]
    public async Task Every_heatmap_cell_is_the_bundles_published_aggregate_and_withheld_cells_show_no_value()
    {
        var (status, d, _) = await GetAsync("api/epochs/2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)d["proven"]!);
        var h = d["heatmap"]!;
        var layers = h["layers"]!.AsArray().ToDictionary(l => (string)l!["id"]!, l => l!["cells"]!.AsArray());
        Assert.Equal(2 + 12, layers.Count);
        Assert.Equal(4, h["buckets"]!.AsArray().Count);
        Assert.Equal(8, h["moneyness"]!.AsArray().Count);
        int published = 0, withheld = 0;
        foreach (var a in V.Verified[2].Bundle.Aggregates)
        {
            string id = a.ShockIndex >= 0 ? $"lsv-{a.ShockIndex}" : a.IsShort ? "short" : "long";
            var cell = layers[id][(int)a.Band]!;
            Assert.Equal((int)a.Band, (int)cell["band"]!);
            Assert.Equal(a.Contributors, (uint)cell["contributors"]!);
            Assert.Equal(!a.Published, (bool)cell["withheld"]!);
            if (a.Published)
            {
                Assert.Equal(a.Value.ToString(), (string)cell["units"]!);
                Assert.Equal((decimal)a.Value / Quantity.UnitsPerContract, decimal.Parse((string)cell["contracts"]!, System.Globalization.CultureInfo.InvariantCulture));
                if (a.Contributors > 0) published++;
            }
            else
            {
                Assert.Null(cell["units"]);
                Assert.Null(cell["contracts"]);
                withheld++;
            }
        }
        Assert.True(published > 0 && withheld > 0, $"the fixture should have both kinds of cells: {published} published, {withheld} withheld");
        Assert.Equal(Convert.ToHexStringLower(V.Verified[2].Bundle.ParameterHash.Span), (string)d["parameters"]!["hash"]!);
        Assert.Equal(3, (int)d["parameters"]!["kMin"]!);
    }

    [Fact]
    public async Task The_lsf_curve_is_the_cavb_engines_and_its_charts_are_svg()
    {
        var (_, d, _) = await GetAsync("api/epochs/1");
        var v = V.Verified[1];
        var engine = new CavbEngine(MarginContext.ForBooks(v.RiskParameters, v.Market, []));
        var expected = engine.Explain(v.Aggregates, new TraderOwnData(BandExposure.Zero(v.Context.BandCount), LiquidationFlags.None(12))).Lines;
        var lines = d["lsf"]!["lines"]!.AsArray();
        Assert.Equal(12, lines.Count);
        Assert.Contains(expected, l => l.ForcedVolume > 0);
        for (int s = 0; s < 12; s++)
        {
            Assert.Equal(expected[s].ForcedVolume, (double)lines[s]!["forcedVolumeCoins"]!);
            Assert.Equal(expected[s].Impact, (double)lines[s]!["impact"]!);
            Assert.Equal(expected[s].Multiplier, (double)lines[s]!["multiplier"]!);
        }
        foreach (var which in new[] { "volume", "multiplier" })
        {
            using var r = await V.Http.GetAsync($"api/epochs/1/lsf-{which}.svg");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.StartsWith("image/svg+xml", r.Content.Headers.ContentType!.ToString());
            var svg = await r.Content.ReadAsStringAsync();
            Assert.Contains("<svg", svg);
            Assert.Contains("Epoch 1", svg);
        }
    }

    [Theory]
    [InlineData("api/epochs/99", HttpStatusCode.NotFound, "epoch: epoch 99 is unknown")]
    [InlineData("api/epochs/abc", HttpStatusCode.BadRequest, "epoch: 'abc' is not an epoch number")]
    [InlineData("api/epochs/0", HttpStatusCode.BadRequest, "epoch: '0' is not an epoch number")]
    [InlineData("api/epochs/-1", HttpStatusCode.BadRequest, "is not an epoch number")]
    [InlineData("api/epochs/99999999999999999999999", HttpStatusCode.BadRequest, "is not an epoch number")]
    [InlineData("api/epochs/1/lsf-pie.svg", HttpStatusCode.NotFound, "chart: 'pie' is not a chart")]
    [InlineData("api/epochs/99/lsf-volume.svg", HttpStatusCode.NotFound, "epoch 99 is unknown")]
    [InlineData("api/nothing", HttpStatusCode.NotFound, "is not a dashboard endpoint")]
    public async Task Bad_requests_get_a_clear_json_error_never_a_stack_trace(string path, HttpStatusCode expected, string message)
    {
        var (status, body, text) = await GetAsync(path);
        Assert.Equal(expected, status);
        Assert.Contains(message, (string)body["error"]!);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task Every_venue_notice_passes_and_with_its_opening_the_amounts_recompute()
    {
        foreach (var t in V.Traders)
        {
            var n = V.Notices[t.KeyHex];
            var (status, alone, text) = await PostAsync("api/notice/check", NoticeBody(n));
            Assert.True(status == HttpStatusCode.OK, text);
            Assert.True((bool)alone["ok"]!, text);
            Assert.False((bool)alone["recomputed"]!);
            Assert.Equal(n.Cavb, (string)alone["amounts"]!["cavbUsd"]!);
            Assert.Null(alone["checks"]!.AsArray().Single(c => (string)c!["name"]! == "margin")!["ok"]);

            var (_, full, text2) = await PostAsync("api/notice/check", NoticeBody(n, V.Openings[t.KeyHex]));
            Assert.True((bool)full["ok"]!, text2);
            Assert.True((bool)full["recomputed"]!, text2);
            Assert.All(full["checks"]!.AsArray(), c => Assert.True((bool)c!["ok"]!, text2));
        }
    }

    private async Task<JsonNode> FailingCheck(MarginNotice n, string check, Opening? o = null)
    {
        var (status, r, text) = await PostAsync("api/notice/check", NoticeBody(n, o));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.False((bool)r["ok"]!, text);
        var line = r["checks"]!.AsArray().Single(c => (string)c!["name"]! == check)!;
        Assert.False((bool)line["ok"]!, text);
        Assert.NotEmpty(line["problems"]!.AsArray());
        return r;
    }

    [Fact]
    public async Task A_tampered_notice_fails_the_check_that_catches_it()
    {
        var t = V.Traders[0];
        var n = V.Notices[t.KeyHex];
        // a lower buffer than the venue signed: the signature no longer verifies
        await FailingCheck(n with { Cavb = "0.00" }, "notice");
        // the venue itself unflags a shock the bundle counted (and signs it): the selection openings expose it
        // (a trader flagged in some shocks and not in others, with short exposure: the herd in the crash shocks)
        var trader = V.Traders.First(x => V.Notices[x.KeyHex].LiquidationFlags.Distinct().Count() == 2 && V.Openings[x.KeyHex].ShortValues.Any(v => v != 0));
        var flagged = V.Notices[trader.KeyHex];
        int s = Enumerable.Range(0, 12).First(i => flagged.LiquidationFlags[i]);
        var unflagged = Resigned(flagged with { LiquidationFlags = flagged.LiquidationFlags.Select((f, i) => i != s && f).ToList() });
        var r = await FailingCheck(unflagged, "selection");
        Assert.True(r["checks"]!.AsArray().Single(c => (string)c!["name"]! == "notice")!["ok"]!.GetValue<bool>());
        // a blinding of an unflagged shock changed: its commitment no longer opens to zero
        int u = Enumerable.Range(0, 12).First(i => !flagged.LiquidationFlags[i]);
        var blinds = flagged.SelectionOpenings.ToArray();
        blinds[u * 32 + 3] = blinds[u * 32 + 3] + DVV.ZkRisk.Crypto.Scalar.One;
        await FailingCheck(Resigned(flagged with { SelectionOpenings = blinds }), "selection");
        // a flagged shock's blinding changed: its selected point no longer matches the trader's other flagged shocks
        var twice = V.Traders.First(x => V.Notices[x.KeyHex].LiquidationFlags.Count(f => f) >= 2 && V.Openings[x.KeyHex].ShortValues.Any(v => v != 0));
        var multi = V.Notices[twice.KeyHex];
        int s2 = Enumerable.Range(0, 12).Last(i => multi.LiquidationFlags[i]);
        int band = V.Openings[twice.KeyHex].ShortValues.ToList().FindIndex(v => v != 0);
        var moved = multi.SelectionOpenings.ToArray();
        moved[s2 * 32 + band] = moved[s2 * 32 + band] + DVV.ZkRisk.Crypto.Scalar.One;
        await FailingCheck(Resigned(multi with { SelectionOpenings = moved }), "selection");
        // malformed but signed: too few flags, a key of the wrong length, an unvalued label the bundle does not have
        await FailingCheck(Resigned(n with { LiquidationFlags = n.LiquidationFlags.Take(11).ToList() }), "notice");
        await FailingCheck(Resigned(n with { TraderPublicKey = new byte[16] }), "notice");
        await FailingCheck(Resigned(n with { Unvalued = true }), "notice");
        // another epoch's number on this epoch's bundle hash
        await FailingCheck(Resigned(n with { Epoch = 1 }), "notice");
        // another trader's key on a valid notice: the signature breaks, and re-signed it is not in the tree
        await FailingCheck(Resigned(n with { TraderPublicKey = new byte[32] }), "inclusion");
        // the notice claims a cluster the bundle does not have
        await FailingCheck(Resigned(n with { ClusterMembers = [t.Key.PublicKey.ToBytes(), V.Traders[1].Key.PublicKey.ToBytes()] }), "cluster");
        // signed for another bundle of the same epoch
        await FailingCheck(Resigned(n with { BundleHash = new byte[32] }), "notice");
        // with the opening: a margin the venue signed but the book does not give
        await FailingCheck(Resigned(n with { InitialMargin = "1.00" }), "margin", V.Openings[t.KeyHex]);
        // someone else's opening does not open this trader's commitments
        await FailingCheck(n, "opening", V.Openings[V.Traders[1].KeyHex]);
    }

    [Theory]
    [InlineData("not json", "request: not JSON")]
    [InlineData("[1, 2]", "request: must be a JSON object")]
    [InlineData("{\"notice\": 5}", "notice: must be a string")]
    [InlineData("{\"notice\": \"%%%%\"}", "notice: is neither base64 nor hex")]
    [InlineData("{\"notice\": \"\"}", "notice: is empty")]
    [InlineData("{}", "notice: is empty")]
    [InlineData("{\"notice\": \"0a03010203\"}", "notice: not a MarginNotice")]
    [InlineData("{\"notice\": \"AAAA\"}", "notice: not a MarginNotice")]
    public async Task A_malformed_notice_is_a_400_naming_the_field(string body, string message)
    {
        var (status, r, text) = await PostAsync("api/notice/check", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, (string)r["error"]!);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task A_notice_of_an_unknown_epoch_or_with_a_bad_opening_gets_a_clear_error()
    {
        var n = V.Notices[V.Traders[0].KeyHex];
        var (status, r, _) = await PostAsync("api/notice/check", NoticeBody(n with { Epoch = 77 }));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("epoch 77 has no sealed bundle here", (string)r["error"]!);
        var bad = new JsonObject { ["notice"] = Convert.ToBase64String(WireCodec.Encode(n)), ["opening"] = "AAAA" }.ToJsonString();
        var (s2, r2, _) = await PostAsync("api/notice/check", bad);
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Contains("opening: not an Opening", (string)r2["error"]!);
        var huge = "{\"notice\": \"" + new string('A', 5 << 20) + "\"}";
        var (s3, r3, _) = await PostAsync("api/notice/check", huge);
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        Assert.Contains("larger than", (string)r3["error"]!);
    }

    [Fact]
    public async Task The_event_stream_announces_a_new_epoch_once_the_page_has_verified_it()
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, "api/events");
        using var resp = await V.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        Assert.StartsWith("text/event-stream", resp.Content.Headers.ContentType!.ToString());
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());
        var epoch = await V.RunEpochAsync(resubmit: 1, publish: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        while ((line = await reader.ReadLineAsync(cts.Token)) != null)
            if (line == "event: epoch" && await reader.ReadLineAsync(cts.Token) == $"data: {{\"epoch\":{epoch}}}") break;
        Assert.NotNull(line);
        // sealed but not attested: the page shows it awaiting its quorum, verified
        await V.WaitForAsync(epoch, "awaiting");
    }
}
