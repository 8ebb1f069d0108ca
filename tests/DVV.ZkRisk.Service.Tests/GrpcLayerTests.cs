using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DVV.ZkRisk.Service.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>The gRPC wire layer alone, with test handlers (StringValue requests and responses).</summary>
public sealed class GrpcLayerTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcClient _client = null!;
    private Uri _address = null!;
    private readonly TaskCompletionSource _handlerSawCancel = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private const string S = "test.Echo";

    internal static async Task<(WebApplication, Uri)> StartAsync(GrpcServiceRegistry reg, X509Certificate2? cert = null, int maxReceive = 1024)
    {
        var b = WebApplication.CreateSlimBuilder();
        b.Logging.ClearProviders();
        b.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, lo => { lo.Protocols = HttpProtocols.Http2; if (cert != null) lo.UseHttps(cert); });
        });
        var app = b.Build();
        var ep = new GrpcEndpoint(reg, new GrpcServerOptions { MaxReceiveMessageSize = maxReceive, MaxSendMessageSize = 4096 });
        app.Run(ep.HandleAsync);
        await app.StartAsync();
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(addr));
    }

    private GrpcServiceRegistry Registry()
    {
        var r = new GrpcServiceRegistry();
        r.AddUnary<StringValue, StringValue>(S, "Echo", StringValue.Parser, (req, ctx) => Task.FromResult(new StringValue { Value = "echo:" + req.Value }));
        r.AddUnary<StringValue, StringValue>(S, "Fail", StringValue.Parser, (req, ctx) => throw new RpcException(StatusCode.FailedPrecondition, "field x: café % 100"));
        r.AddUnary<StringValue, StringValue>(S, "Crash", StringValue.Parser, (req, ctx) => throw new InvalidOperationException("secret internals"));
        r.AddUnary<StringValue, StringValue>(S, "Big", StringValue.Parser, (req, ctx) => Task.FromResult(new StringValue { Value = new string('x', 10_000) }));
        r.AddUnary<StringValue, StringValue>(S, "Slow", StringValue.Parser, async (req, ctx) =>
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), ctx.CancellationToken); }
            catch (OperationCanceledException) { _handlerSawCancel.TrySetResult(); throw; }
            return req;
        });
        r.AddUnary<StringValue, StringValue>(S, "Stubborn", StringValue.Parser, async (req, ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));   // ignores its token
            return req;
        });
        r.AddServerStreaming<StringValue, StringValue>(S, "Count", StringValue.Parser, async (req, w, ctx) =>
        {
            int n = int.Parse(req.Value);
            for (int i = 0; i < n; i++) await w.WriteAsync(new StringValue { Value = i.ToString() });
            if (n == 3) throw new RpcException(StatusCode.Aborted, "after three");
        });
        r.AddServerStreaming<StringValue, StringValue>(S, "Forever", StringValue.Parser, async (req, w, ctx) =>
        {
            try
            {
                for (int i = 0; ; i++) { await w.WriteAsync(new StringValue { Value = i.ToString() }); await Task.Delay(20, ctx.CancellationToken); }
            }
            catch (OperationCanceledException) { _handlerSawCancel.TrySetResult(); throw; }
        });
        r.AddUnimplemented(S, "Later", MethodType.Unary, "arrives later");
        return r;
    }

    public async Task InitializeAsync()
    {
        (_app, _address) = await StartAsync(Registry());
        _client = new GrpcClient(_address);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task<StringValue> Call(string m, string v, CallOptions? o = null) => _client.UnaryAsync(S + "/" + m, new StringValue { Value = v }, StringValue.Parser, o);

    private async Task AssertHealthy() => Assert.Equal("echo:ok", (await Call("Echo", "ok")).Value);

    [Fact]
    public async Task Unary_round_trip_over_h2c()
    {
        Assert.Equal("echo:hi", (await Call("Echo", "hi")).Value);
        // many concurrent calls share connections
        var all = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Call("Echo", i.ToString())));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "echo:" + i), all.Select(a => a.Value));
    }

    [Fact]
    public async Task Handler_status_and_percent_encoded_message_reach_the_client()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Call("Fail", ""));
        Assert.Equal(StatusCode.FailedPrecondition, e.Status);
        Assert.Equal("field x: café % 100", e.Detail);
        await AssertHealthy();
    }

    [Fact]
    public async Task Exceptions_become_UNKNOWN_without_leaking_their_message()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Call("Crash", ""));
        Assert.Equal(StatusCode.Unknown, e.Status);
        Assert.DoesNotContain("secret", e.Detail);
        await AssertHealthy();
    }

    [Fact]
    public async Task Unknown_method_and_unknown_service_are_UNIMPLEMENTED()
    {
        Assert.Equal(StatusCode.Unimplemented, (await _client.RawAsync(S + "/Nope", GrpcProtocol.Frame([]))).Status);
        Assert.Equal(StatusCode.Unimplemented, (await _client.RawAsync("no.Such/Method", GrpcProtocol.Frame([]))).Status);
        var later = await _client.RawAsync(S + "/Later", GrpcProtocol.Frame([]));
        Assert.Equal(StatusCode.Unimplemented, later.Status);
        Assert.Contains("arrives later", later.Message);
        await AssertHealthy();
    }

    [Fact]
    public async Task Oversized_message_is_RESOURCE_EXHAUSTED_and_the_server_stays_healthy()
    {
        var big = GrpcProtocol.Frame(new StringValue { Value = new string('a', 5000) }.ToByteArray());
        var r = await _client.RawAsync(S + "/Echo", big);
        Assert.Equal(StatusCode.ResourceExhausted, r.Status);
        // a header announcing 2 GiB, with no body behind it, is refused from the header alone
        var lying = new byte[] { 0, 0x7f, 0xff, 0xff, 0xff };
        Assert.Equal(StatusCode.ResourceExhausted, (await _client.RawAsync(S + "/Echo", lying)).Status);
        // a response over the send limit
        Assert.Equal(StatusCode.ResourceExhausted, (await _client.RawAsync(S + "/Big", GrpcProtocol.Frame([]))).Status);
        await AssertHealthy();
    }

    [Fact]
    public async Task Compressed_flag_without_encoding_is_INTERNAL_and_gzip_is_UNIMPLEMENTED()
    {
        var msg = new StringValue { Value = "x" }.ToByteArray();
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", GrpcProtocol.Frame(msg, compressedFlag: true))).Status);
        var gz = await _client.RawAsync(S + "/Echo", GrpcProtocol.Frame(msg), new CallOptions(Headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" }));
        Assert.Equal(StatusCode.Unimplemented, gz.Status);
        await AssertHealthy();
    }

    [Fact]
    public async Task Malformed_frames_and_protobuf_are_refused()
    {
        Assert.Equal(StatusCode.InvalidArgument, (await _client.RawAsync(S + "/Echo", GrpcProtocol.Frame([0xff, 0xff, 0xff]))).Status);
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", [0, 0, 0])).Status);                          // truncated header
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", [0, 0, 0, 0, 9, 1, 2])).Status);              // truncated body
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", [])).Status);                                 // no message
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", [.. GrpcProtocol.Frame([]), .. GrpcProtocol.Frame([])])).Status); // two
        Assert.Equal(StatusCode.Internal, (await _client.RawAsync(S + "/Echo", [7, 0, 0, 0, 0])).Status);                    // bad flag
        await AssertHealthy();
    }

    [Fact]
    public async Task Deadline_cancels_the_handler_and_answers_DEADLINE_EXCEEDED()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Call("Slow", "x", new CallOptions(TimeSpan.FromMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, e.Status);
        // The handler-side cancellation is checked on a call whose only timer is the server's: under load the
        // client's own timer can fire and reset the stream before the server has dispatched the call at all,
        // and then there is no handler to cancel. Here the request always reaches the handler.
        var r = await _client.RawAsync(S + "/Slow", GrpcProtocol.Frame(new StringValue { Value = "x" }.ToByteArray()),
            new CallOptions(Headers: new Dictionary<string, string> { ["grpc-timeout"] = "300m" }));
        Assert.Equal(StatusCode.DeadlineExceeded, r.Status);
        await _handlerSawCancel.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AssertHealthy();
    }

    [Fact]
    public async Task Server_enforces_the_deadline_even_when_the_handler_ignores_it()
    {
        // The client's own timer is set far away, so DEADLINE_EXCEEDED must come from the server's grpc-timeout handling.
        var r = await _client.RawAsync(S + "/Stubborn", GrpcProtocol.Frame(new StringValue { Value = "x" }.ToByteArray()),
            new CallOptions(Headers: new Dictionary<string, string> { ["grpc-timeout"] = "100m" }));
        Assert.Equal(StatusCode.DeadlineExceeded, r.Status);
        await AssertHealthy();
    }

    [Fact]
    public async Task Server_streaming_delivers_messages_then_status()
    {
        var got = new List<string>();
        await foreach (var m in _client.ServerStreamingAsync(S + "/Count", new StringValue { Value = "5" }, StringValue.Parser)) got.Add(m.Value);
        Assert.Equal(["0", "1", "2", "3", "4"], got);
        got.Clear();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var m in _client.ServerStreamingAsync(S + "/Count", new StringValue { Value = "3" }, StringValue.Parser)) got.Add(m.Value);
        });
        Assert.Equal(["0", "1", "2"], got);
        Assert.Equal(StatusCode.Aborted, e.Status);
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_streaming_handler()
    {
        using var cts = new CancellationTokenSource();
        int n = 0;
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var m in _client.ServerStreamingAsync(S + "/Forever", new StringValue(), StringValue.Parser, new CallOptions(CancellationToken: cts.Token)))
                if (++n == 3) cts.Cancel();
        });
        Assert.Equal(StatusCode.Cancelled, e.Status);
        await _handlerSawCancel.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AssertHealthy();
    }

    [Fact]
    public async Task Http1_and_non_grpc_content_types_are_refused_at_the_HTTP_level()
    {
        using var http = new HttpClient();
        var r1 = await http.PostAsync(new Uri(_address, "/" + S + "/Echo"), new ByteArrayContent(GrpcProtocol.Frame([])) { Headers = { { "Content-Type", "application/grpc" } } });
        Assert.NotEqual(HttpStatusCode.OK, r1.StatusCode);   // HTTP/1.1 cannot even connect to an HTTP/2-only endpoint, or gets 426
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var r2 = await h2.PostAsync(new Uri(_address, "/" + S + "/Echo"), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r2.StatusCode);
    }

    [Fact]
    public async Task TLS_with_ALPN_h2()
    {
        using var cert = SelfSigned();
        var (app, addr) = await StartAsync(Registry(), cert);
        try
        {
            Assert.Equal("https", addr.Scheme);
            var pinned = cert.GetCertHashString();
            using var tls = new GrpcClient(addr, (_, c, _, _) => c != null && c.GetCertHashString() == pinned);
            Assert.Equal("echo:tls", (await tls.UnaryAsync(S + "/Echo", new StringValue { Value = "tls" }, StringValue.Parser)).Value);
            using var untrusting = new GrpcClient(addr);   // system trust: the self-signed certificate is refused
            var e = await Assert.ThrowsAsync<RpcException>(() => untrusting.UnaryAsync(S + "/Echo", new StringValue(), StringValue.Parser));
            Assert.Equal(StatusCode.Unavailable, e.Status);
        }
        finally { await app.StopAsync(); await app.DisposeAsync(); }
    }

    internal static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var c = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(c.Export(X509ContentType.Pfx), null);
    }

    [Theory]
    [InlineData("100m", 100)]
    [InlineData("2S", 2000)]
    [InlineData("1M", 60000)]
    [InlineData("1H", 3600000)]
    [InlineData("5000u", 5)]
    [InlineData("3000000n", 3)]
    public void Timeout_header_parses(string h, double ms)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(h, out var t));
        Assert.Equal(ms, t.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("123456789m")]
    [InlineData("10x")]
    [InlineData("-1m")]
    public void Bad_timeout_headers_are_rejected(string h) => Assert.False(GrpcProtocol.TryParseTimeout(h, out _));

    [Fact]
    public void Grpc_message_percent_encoding_round_trips()
    {
        var s = "a: b % c\n ünïcode ✓";
        var enc = GrpcProtocol.EncodeMessage(s);
        Assert.All(enc, ch => Assert.InRange(ch, ' ', '~'));
        Assert.Equal(s, GrpcProtocol.DecodeMessage(enc));
    }
}
