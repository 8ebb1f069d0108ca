using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// The page of a venue that has sealed nothing yet, with its limits at zero: the chain is empty but answers, an epoch
/// is a clear 404, and past its limits a notice check is refused 429 and an event stream 503, both with Retry-After and
/// before any work; the server stays healthy.
/// </summary>
public sealed class DashboardLimitTests
{
    [Fact]
    public async Task An_empty_chain_answers_and_past_its_limits_the_page_refuses_at_once_with_a_retry_hint()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.Dashboard = new IPEndPoint(IPAddress.Loopback, 0);
            o.DashboardNoticeChecks = 0;
            o.DashboardEventStreams = 0;
        });
        using var http = new HttpClient { BaseAddress = f.Server.DashboardAddress, Timeout = TimeSpan.FromSeconds(30) };

        var chain = JsonNode.Parse(await http.GetStringAsync("api/chain"))!;
        Assert.Empty(chain["epochs"]!.AsArray());
        using (var none = await http.GetAsync("api/epochs/1"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            Assert.Contains("no epoch has been sealed yet", (string)JsonNode.Parse(await none.Content.ReadAsStringAsync())!["error"]!);
        }

        using (var check = await http.PostAsync("api/notice/check", new StringContent("{\"notice\": \"AAAA\"}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, check.StatusCode);
            Assert.Equal("1", check.Headers.GetValues("Retry-After").Single());
            Assert.Contains("notice checks are running", (string)JsonNode.Parse(await check.Content.ReadAsStringAsync())!["error"]!);
        }
        using (var events = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, events.StatusCode);
            Assert.Equal("1", events.Headers.GetValues("Retry-After").Single());
        }
        // the gRPC side is untouched
        Assert.Equal(1ul, (await f.Client.GetEpochInfoAsync()).Epoch);
        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
