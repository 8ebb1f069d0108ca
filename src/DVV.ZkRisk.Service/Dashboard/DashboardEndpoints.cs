using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DVV.ZkRisk.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service.Dashboard;

/// <summary>
/// The dashboard's HTTP endpoints on the service's Kestrel host (its own HTTP/1.1 listener, since the gRPC one speaks
/// h2c only): the page (/, dashboard.js, dashboard.css), the chain and epochs as JSON, the LSF charts as SVG, server-sent
/// events when an epoch is verified or published, and the notice check. Everything shown is public data; nothing here
/// takes a key. Bad input is a 400 or 404 with {"error": "field: reason"}; anything unexpected a 500 with no detail.
/// </summary>
internal static class DashboardEndpoints
{
    // the page's own files only; inline styles are set through the CSSOM (allowed), the offline report has no server
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                               "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(WebApplication app, PublishedChain chain, DashboardLimits limits, ILogger log)
    {
        // an exception below never reaches the page as a stack trace
        app.UseWhen(ctx => !(ctx.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? false), page => page.Use(async (ctx, next) =>
        {
            try { await next(); }
            catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                if (ctx.Response.HasStarted) throw;
                if (e is DashboardInputException d) await Error(ctx, d.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, d.Message);
                else if (e is BadHttpRequestException bad) await Error(ctx, bad.StatusCode, $"request: {bad.Message}");
                else
                {
                    log.LogError(e, "dashboard request {Path} failed", ctx.Request.Path.Value);
                    await Error(ctx, StatusCodes.Status500InternalServerError, "internal error: the request could not be answered (the server logged it)");
                }
            }
        }));

        foreach (var name in DashboardAssets.ContentTypes.Keys)
            app.MapGet(name == "index.html" ? "/" : "/" + name, (HttpContext ctx) => Asset(ctx, name));
        app.MapGet("/index.html", (HttpContext ctx) => Asset(ctx, "index.html"));

        app.MapGet("/api/chain", (HttpContext ctx) =>
        {
            var o = ChainJson.Of(chain.Source with { Trusted = chain.Trusted }, chain.Entries, chain.Pending);
            if (chain.LastError is { } err) o["error"] = err;
            return Json(ctx, o);
        });
        app.MapGet("/api/epochs/{epoch}", (HttpContext ctx, string epoch) => Json(ctx, EpochJson.Of(Entry(chain, epoch))));
        var charts = new ConcurrentDictionary<(ulong, string), string>();
        app.MapGet("/api/epochs/{epoch}/lsf-{which}.svg", (HttpContext ctx, string epoch, string which) =>
        {
            if (which is not ("volume" or "multiplier")) throw new DashboardInputException("chart", $"'{which}' is not a chart (volume, multiplier)", notFound: true);
            var e = Entry(chain, epoch);
            if (e.Curve is not { } curve) throw new DashboardInputException("epoch", $"epoch {e.Epoch} has no proven aggregates to chart ({e.Verification.State})", notFound: true);
            var svg = charts.GetOrAdd((e.Epoch, which), _ => which == "volume" ? curve.VolumeSvg() : curve.MultiplierSvg());
            // drawn once per sealed epoch (its bundle never changes); charts of epochs the page no longer keeps are dropped
            if (charts.Count > 2 * PublishedChain.Window && chain.Entries is [var oldest, ..])
                foreach (var key in charts.Keys) if (key.Item1 < oldest.Epoch) charts.TryRemove(key, out _);
            return Text(ctx, svg, "image/svg+xml; charset=utf-8");
        });
        app.MapGet("/api/events", (HttpContext ctx) =>
        {
            if (!limits.TryOpenStream(out var slot))
                return Refused(ctx, StatusCodes.Status503ServiceUnavailable, $"events: {limits.EventStreams} event streams are open, the most this page keeps; retry later");
            ctx.Response.RegisterForDispose(slot!);
            ctx.Response.Headers.CacheControl = "no-store";
            // the stream ends when the client goes or the host stops (a graceful stop must not wait for open pages)
            var ending = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, app.Lifetime.ApplicationStopping);
            ctx.Response.RegisterForDispose(ending);
            return (IResult)TypedResults.ServerSentEvents(Events(chain, ending.Token));
        });
        app.MapPost("/api/notice/check", async (HttpContext ctx) =>
        {
            if (!limits.TryStartCheck(out var slot))
                return Refused(ctx, StatusCodes.Status429TooManyRequests, $"notice: {limits.NoticeChecks} notice checks are running, the most this page runs at once; retry in a second");
            using (slot) return await CheckNoticeAsync(chain)(ctx);
        });
        app.MapFallback("/api/{**rest}", (HttpContext ctx) => Error(ctx, StatusCodes.Status404NotFound, $"path: {ctx.Request.Path} is not a dashboard endpoint"));
    }

    private static EpochEntry Entry(PublishedChain chain, string text)
    {
        if (!ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch) || epoch == 0)
            throw new DashboardInputException("epoch", $"'{Clip(text)}' is not an epoch number (1, 2, ...)");
        if (chain.Entry(epoch) is { } e) return e;
        var pending = chain.Pending;
        var kept = chain.Entries;
        throw new DashboardInputException("epoch", pending.Contains(epoch) ? $"epoch {epoch} is sealed and still being verified here"
            : kept.Count == 0 ? $"epoch {epoch} is unknown: no epoch has been sealed yet"
            : epoch < kept[0].Epoch ? $"epoch {epoch} is older than the {kept.Count} epochs this page keeps (from {kept[0].Epoch})"
            : $"epoch {epoch} is unknown (latest sealed: {kept[^1].Epoch})", notFound: true);
    }

    private static Func<HttpContext, Task<IResult>> CheckNoticeAsync(PublishedChain chain) => async ctx =>
    {
        if (ctx.Request.ContentLength is > 4L * NoticeJson.MaxBytes)
            throw new DashboardInputException("request", $"larger than {4 * NoticeJson.MaxBytes} bytes");
        JsonObject body;
        try
        {
            var node = await JsonNode.ParseAsync(new LimitedStream(ctx.Request.Body, 4L * NoticeJson.MaxBytes), cancellationToken: ctx.RequestAborted);
            body = node as JsonObject ?? throw new DashboardInputException("request", "must be a JSON object {\"notice\": base64, \"opening\": base64 or null}");
        }
        catch (JsonException e) { throw new DashboardInputException("request", "not JSON: " + e.Message); }
        var notice = NoticeJson.DecodeNotice(Bytes(body, "notice") ?? []);
        var opening = NoticeJson.DecodeOpening(Bytes(body, "opening"));
        return Json(ctx, NoticeJson.Check(chain.Entry(notice.Epoch), notice, opening));
    };

    /// <summary>A base64 (or hex) field of the request, or null when absent.</summary>
    private static byte[]? Bytes(JsonObject body, string field)
    {
        var node = body[field];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw new DashboardInputException(field, "must be a string (base64 or hex)");
        var s = node.GetValue<string>().Trim();
        if (s.Length == 0) return [];
        if (s.Length % 2 == 0 && s.All(Uri.IsHexDigit)) return Convert.FromHexString(s);
        var buf = new byte[s.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(s, buf, out int n)) throw new DashboardInputException(field, "is neither base64 nor hex");
        if (n > NoticeJson.MaxBytes) throw new DashboardInputException(field, $"larger than {NoticeJson.MaxBytes} bytes");
        return buf.AsSpan(0, n).ToArray();
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(PublishedChain chain, [EnumeratorCancellation] CancellationToken ct)
    {
        var ch = Channel.CreateBounded<ulong>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnChanged(ulong e) => ch.Writer.TryWrite(e);
        chain.Changed += OnChanged;
        try
        {
            yield return new SseItem<string>("{\"hello\":true}", "ready");
            while (true)
            {
                ulong e;
                try { e = await ch.Reader.ReadAsync(ct); }
                catch (OperationCanceledException) { yield break; }
                yield return new SseItem<string>($"{{\"epoch\":{e}}}", "epoch");
            }
        }
        finally { chain.Changed -= OnChanged; }
    }

    private static IResult Refused(HttpContext ctx, int status, string message)
    {
        Headers(ctx);
        ctx.Response.Headers.RetryAfter = "1";
        return Results.Text(new JsonObject { ["error"] = message }.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
    }

    private static IResult Asset(HttpContext ctx, string name)
    {
        Headers(ctx);
        return Results.Text(DashboardAssets.Text(name)!, DashboardAssets.ContentTypes[name]);
    }

    private static IResult Json(HttpContext ctx, JsonNode o) => Text(ctx, o.ToJsonString(), "application/json; charset=utf-8");

    private static IResult Text(HttpContext ctx, string text, string type) { Headers(ctx); return Results.Text(text, type); }

    private static void Headers(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = Csp;
        h.XContentTypeOptions = "nosniff";
        h.CacheControl = "no-cache";
        h["Referrer-Policy"] = "no-referrer";
    }

    internal static async Task Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        Headers(ctx);
        await ctx.Response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString());
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";

    /// <summary>Refuses to read more than its limit from the request body (a 400, not unbounded memory).</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;
        public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        private int Count(int n) { _read += n; if (_read > limit) throw new DashboardInputException("request", $"larger than {limit} bytes"); return n; }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
