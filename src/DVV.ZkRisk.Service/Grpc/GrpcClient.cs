using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace DVV.ZkRisk.Service.Grpc;

public sealed record CallOptions(TimeSpan? Timeout = null, CancellationToken CancellationToken = default, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>What a raw call returned: status, message, and the response messages (tests use it to send bad frames).</summary>
public sealed record RawCallResult(StatusCode Status, string Message, IReadOnlyList<byte[]> Messages, int HttpStatus);

/// <summary>
/// A gRPC client on HttpClient over HTTP/2: h2c with prior knowledge for http:// addresses, TLS with ALPN h2 for https://.
/// Unary and server-streaming calls, grpc-timeout deadlines, cancellation, grpc-status from trailers (or from the
/// headers of a Trailers-Only response).
/// </summary>
public sealed class GrpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _address;
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <param name="serverCertificateValidation">for https: custom validation (e.g. a pinned self-signed certificate); null: the system's</param>
    public GrpcClient(Uri address, RemoteCertificateValidationCallback? serverCertificateValidation = null)
    {
        _address = address;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        if (serverCertificateValidation != null)
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = serverCertificateValidation };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public Uri Address => _address;

    private HttpRequestMessage NewRequest(string method, byte[] body, CallOptions? o, bool compressedFlag = false)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, "/" + method.TrimStart('/')))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        req.Headers.TryAddWithoutValidation("te", "trailers");
        req.Headers.TryAddWithoutValidation("user-agent", "dvv-zkrisk-grpc/1.0");
        if (o?.Timeout is { } t) req.Headers.TryAddWithoutValidation("grpc-timeout", GrpcProtocol.FormatTimeout(t));
        if (o?.Headers != null) foreach (var (k, v) in o.Headers) req.Headers.TryAddWithoutValidation(k, v);
        return req;
    }

    public async Task<TResp> UnaryAsync<TReq, TResp>(string method, TReq request, MessageParser<TResp> parser, CallOptions? options = null)
        where TReq : IMessage<TReq> where TResp : IMessage<TResp>
    {
        TResp? result = default;
        int n = 0;
        await foreach (var m in ServerStreamingAsync(method, request, parser, options))
        {
            result = m;
            n++;
        }
        if (n != 1) throw new RpcException(StatusCode.Internal, $"unary call returned {n} messages");
        return result!;
    }

    public async IAsyncEnumerable<TResp> ServerStreamingAsync<TReq, TResp>(string method, TReq request, MessageParser<TResp> parser,
        CallOptions? options = null) where TReq : IMessage<TReq> where TResp : IMessage<TResp>
    {
        await foreach (var bytes in CallAsync(method, GrpcProtocol.Frame(request.ToByteArray()), options))
        {
            TResp m;
            try { m = parser.ParseFrom(bytes); }
            catch (InvalidProtocolBufferException e) { throw new RpcException(StatusCode.Internal, "malformed response: " + e.Message); }
            yield return m;
        }
    }

    /// <summary>Sends <paramref name="body"/> as is (already framed, or deliberately not) and collects the outcome without throwing on a status.</summary>
    public async Task<RawCallResult> RawAsync(string method, byte[] body, CallOptions? options = null)
    {
        var msgs = new List<byte[]>();
        try
        {
            await foreach (var m in CallAsync(method, body, options)) msgs.Add(m);
            return new RawCallResult(StatusCode.OK, "", msgs, 200);
        }
        catch (RpcException e) { return new RawCallResult(e.Status, e.Detail, msgs, 0); }
    }

    private async IAsyncEnumerable<byte[]> CallAsync(string method, byte[] framedBody, CallOptions? o, [EnumeratorCancellation] CancellationToken enumCt = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(o?.CancellationToken ?? default, enumCt);
        using var deadline = new CancellationTokenSource();
        if (o?.Timeout is { } t) deadline.CancelAfter(t);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, deadline.Token);
        var ct = linked.Token;

        using var req = NewRequest(method, framedBody, o);
        HttpResponseMessage resp;
        try { resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct); }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested) { throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded"); }
        catch (OperationCanceledException) { throw new RpcException(StatusCode.Cancelled, "Call cancelled"); }
        catch (HttpRequestException e) { throw new RpcException(StatusCode.Unavailable, e.Message); }

        using (resp)
        {
            if (resp.StatusCode != HttpStatusCode.OK)
                throw new RpcException(GrpcProtocol.FromHttpStatus((int)resp.StatusCode), $"HTTP status {(int)resp.StatusCode}");
            // Trailers-Only: grpc-status in the headers, no body.
            if (resp.Headers.TryGetValues("grpc-status", out var hs))
            {
                var st = ParseStatus(hs.FirstOrDefault());
                var msg = resp.Headers.TryGetValues("grpc-message", out var hm) ? GrpcProtocol.DecodeMessage(hm.FirstOrDefault()) : "";
                if (st != StatusCode.OK) throw new RpcException(st, msg);
                yield break;
            }

            Stream body;
            try { body = await resp.Content.ReadAsStreamAsync(ct); }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested) { throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded"); }
            var header = new byte[GrpcProtocol.HeaderLength];
            while (true)
            {
                int got;
                try { got = await ReadFullyAsync(body, header, ct); }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested) { throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded"); }
                catch (OperationCanceledException) { throw new RpcException(StatusCode.Cancelled, "Call cancelled"); }
                catch (Exception e) when (e is IOException or HttpRequestException) { throw StatusFromTrailersOr(resp, new RpcException(StatusCode.Unavailable, e.Message)); }
                if (got == 0) break;
                if (got < header.Length) throw new RpcException(StatusCode.Internal, "response ended inside a message header");
                if (header[0] != 0) throw new RpcException(StatusCode.Internal, "compressed response without negotiated encoding");
                uint len = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
                if (len > (uint)MaxReceiveMessageSize) throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({len} vs. {MaxReceiveMessageSize})");
                var msg = new byte[len];
                if (await ReadFullyAsync(body, msg, ct) != len) throw new RpcException(StatusCode.Internal, "response ended inside a message");
                yield return msg;
            }
            var status = StatusFromTrailers(resp);
            if (status.Status != StatusCode.OK) throw status;
        }
    }

    private static Exception StatusFromTrailersOr(HttpResponseMessage resp, RpcException fallback)
    {
        var s = StatusFromTrailers(resp);
        return s.Status == StatusCode.Internal && s.Detail.StartsWith("no grpc-status") ? fallback : s;
    }

    private static RpcException StatusFromTrailers(HttpResponseMessage resp)
    {
        if (!resp.TrailingHeaders.TryGetValues("grpc-status", out var v))
            return new RpcException(StatusCode.Internal, "no grpc-status in the response trailers");
        var msg = resp.TrailingHeaders.TryGetValues("grpc-message", out var m) ? GrpcProtocol.DecodeMessage(m.FirstOrDefault()) : "";
        return new RpcException(ParseStatus(v.FirstOrDefault()), msg);
    }

    private static StatusCode ParseStatus(string? s) => int.TryParse(s, out var n) && n >= 0 && n <= 16 ? (StatusCode)n : StatusCode.Unknown;

    private static async Task<int> ReadFullyAsync(Stream s, byte[] buf, CancellationToken ct)
    {
        int off = 0;
        while (off < buf.Length)
        {
            int n = await s.ReadAsync(buf.AsMemory(off), ct);
            if (n == 0) break;
            off += n;
        }
        return off;
    }

    public void Dispose() => _http.Dispose();
}
