using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service.Grpc;

public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted; a larger one is answered RESOURCE_EXHAUSTED without reading it.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;
    /// <summary>Largest response message sent; a handler producing more ends the call RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;
}

/// <summary>
/// gRPC over HTTP/2 on ASP.NET Core (grpc/doc/PROTOCOL-HTTP2.md): one request message (unary and server streaming),
/// Length-Prefixed-Message framing with a size limit, identity encoding only, grpc-timeout deadlines, cancellation,
/// and grpc-status / grpc-message trailers on every call, handler exceptions included.
/// </summary>
public sealed class GrpcEndpoint(GrpcServiceRegistry registry, GrpcServerOptions options, ILogger? log = null)
{
    public async Task HandleAsync(HttpContext http)
    {
        var req = http.Request;
        var resp = http.Response;
        if (!string.Equals(req.Protocol, "HTTP/2", StringComparison.Ordinal))
        {
            resp.StatusCode = StatusCodes.Status426UpgradeRequired;
            resp.Headers.Upgrade = "h2";
            return;
        }
        if (!HttpMethods.IsPost(req.Method)) { resp.StatusCode = StatusCodes.Status405MethodNotAllowed; return; }
        var contentType = req.ContentType ?? "";
        if (!(contentType == GrpcProtocol.ContentType || contentType.StartsWith(GrpcProtocol.ContentType + "+", StringComparison.Ordinal) ||
              contentType.StartsWith(GrpcProtocol.ContentType + ";", StringComparison.Ordinal)))
        {
            resp.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        resp.StatusCode = 200;
        resp.ContentType = GrpcProtocol.ContentType;
        resp.Headers["grpc-accept-encoding"] = "identity";
        var path = req.Path.Value ?? "";

        if (!registry.TryGet(path, out var handler))
        {
            Finish(http, StatusCode.Unimplemented, $"Method is unimplemented: {path}");
            return;
        }

        var encoding = req.Headers["grpc-encoding"].ToString();
        if (encoding.Length > 0 && encoding != "identity")
        {
            Finish(http, StatusCode.Unimplemented, $"grpc-encoding '{encoding}' is not supported; this server accepts identity only");
            return;
        }

        TimeSpan? timeout = null;
        var timeoutHeader = req.Headers["grpc-timeout"].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcProtocol.TryParseTimeout(timeoutHeader, out var t)) { Finish(http, StatusCode.Internal, $"malformed grpc-timeout '{timeoutHeader}'"); return; }
            timeout = t;
        }

        using var deadlineCts = new CancellationTokenSource();
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadlineCts.Token);
        DateTimeOffset? deadline = null;
        if (timeout is { } to)
        {
            deadline = DateTimeOffset.UtcNow + to;
            if (to <= TimeSpan.Zero) deadlineCts.Cancel();
            else deadlineCts.CancelAfter(to < TimeSpan.FromDays(30) ? to : TimeSpan.FromDays(30));
        }

        var headers = req.Headers.Where(h => !h.Key.StartsWith(':')).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var ctx = new ServerCallContext(handler.FullName, deadline, callCts.Token, headers, http.Connection.RemoteIpAddress + ":" + http.Connection.RemotePort);
        var call = new CallState(http, options);

        Task work = RunAsync(handler, call, ctx, callCts.Token);
        // A handler that ignores its token must not keep the call past its deadline: race it against the deadline.
        var deadlineTask = Task.Delay(Timeout.Infinite, deadlineCts.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        var first = await Task.WhenAny(work, deadlineTask);
        if (first != work)
        {
            _ = work.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            await call.CompleteAsync(StatusCode.DeadlineExceeded, "Deadline exceeded");
            return;
        }
        await work;
        if (http.RequestAborted.IsCancellationRequested) return;
    }

    private async Task RunAsync(IGrpcMethodHandler handler, CallState call, ServerCallContext ctx, CancellationToken ct)
    {
        try
        {
            var request = await ReadSingleMessageAsync(call.Http.Request.BodyReader, ct);
            await handler.HandleAsync(request, call.WriteAsync, ctx);
            if (handler.Type == MethodType.Unary && call.MessagesWritten != 1)
                throw new RpcException(StatusCode.Internal, $"unary handler produced {call.MessagesWritten} responses");
            await call.CompleteAsync(StatusCode.OK, null);
        }
        catch (RpcException e)
        {
            await call.CompleteAsync(e.Status, e.Detail);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (call.Http.RequestAborted.IsCancellationRequested) return;   // client went away: nobody to tell
            await call.CompleteAsync(StatusCode.DeadlineExceeded, "Deadline exceeded");
        }
        catch (Exception e)
        {
            log?.LogError(e, "handler {Method} threw", handler.FullName);
            await call.CompleteAsync(StatusCode.Unknown, $"Exception was thrown by handler: {e.GetType().Name}");
        }
    }

    /// <summary>Reads exactly one Length-Prefixed-Message and the end of the request stream.</summary>
    private async Task<ReadOnlyMemory<byte>> ReadSingleMessageAsync(PipeReader reader, CancellationToken ct)
    {
        var header = await ReadExactlyAsync(reader, GrpcProtocol.HeaderLength, ct, allowEmpty: true)
                     ?? throw new RpcException(StatusCode.Internal, "request stream ended without a message");
        byte flag = header[0];
        if (flag == 1)
            throw new RpcException(StatusCode.Internal, "compressed flag set but no grpc-encoding was negotiated (identity only)");
        if (flag != 0)
            throw new RpcException(StatusCode.Internal, $"invalid Length-Prefixed-Message flag {flag}");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)options.MaxReceiveMessageSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {options.MaxReceiveMessageSize})");
        var body = length == 0 ? [] : await ReadExactlyAsync(reader, (int)length, ct, allowEmpty: false)
                   ?? throw new RpcException(StatusCode.Internal, "request stream ended inside a message");
        // Unary and server-streaming requests carry exactly one message.
        while (true)
        {
            var r = await reader.ReadAsync(ct);
            if (!r.Buffer.IsEmpty)
            {
                reader.AdvanceTo(r.Buffer.End);
                throw new RpcException(StatusCode.Internal, "more than one request message for a single-request method");
            }
            if (r.IsCompleted) { reader.AdvanceTo(r.Buffer.End); break; }
            reader.AdvanceTo(r.Buffer.Start, r.Buffer.End);
        }
        return body;
    }

    private static async Task<byte[]?> ReadExactlyAsync(PipeReader reader, int count, CancellationToken ct, bool allowEmpty)
    {
        while (true)
        {
            var r = await reader.ReadAsync(ct);
            var buf = r.Buffer;
            if (buf.Length >= count)
            {
                var bytes = buf.Slice(0, count).ToArray();
                reader.AdvanceTo(buf.GetPosition(count));
                return bytes;
            }
            if (r.IsCompleted)
            {
                bool empty = buf.IsEmpty;
                reader.AdvanceTo(buf.End);
                if (empty && allowEmpty) return null;
                if (empty) return null;
                throw new RpcException(StatusCode.Internal, $"request stream ended inside a message ({buf.Length} of {count} bytes)");
            }
            reader.AdvanceTo(buf.Start, buf.End);
        }
    }

    private static void Finish(HttpContext http, StatusCode status, string? message) => CallState.SetStatus(http, status, message);

    /// <summary>Serialises writes and completion: after completion (status sent) every write is refused.</summary>
    private sealed class CallState(HttpContext http, GrpcServerOptions options)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private bool _done;
        public HttpContext Http { get; } = http;
        public int MessagesWritten { get; private set; }

        public async Task WriteAsync(byte[] message)
        {
            await _lock.WaitAsync();
            try
            {
                if (_done) throw new OperationCanceledException("call already completed");
                if (message.Length > options.MaxSendMessageSize)
                    throw new RpcException(StatusCode.ResourceExhausted, $"Sending message larger than max ({message.Length} vs. {options.MaxSendMessageSize})");
                await Http.Response.BodyWriter.WriteAsync(GrpcProtocol.Frame(message), Http.RequestAborted);
                await Http.Response.BodyWriter.FlushAsync(Http.RequestAborted);
                MessagesWritten++;
            }
            finally { _lock.Release(); }
        }

        public async Task CompleteAsync(StatusCode status, string? message)
        {
            await _lock.WaitAsync();
            try
            {
                if (_done) return;
                _done = true;
                SetStatus(Http, status, message);
            }
            finally { _lock.Release(); }
        }

        public static void SetStatus(HttpContext http, StatusCode status, string? message)
        {
            var resp = http.Response;
            if (resp.SupportsTrailers())
            {
                resp.AppendTrailer("grpc-status", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!string.IsNullOrEmpty(message)) resp.AppendTrailer("grpc-message", GrpcProtocol.EncodeMessage(message));
            }
            else if (!resp.HasStarted)
            {
                resp.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!string.IsNullOrEmpty(message)) resp.Headers["grpc-message"] = GrpcProtocol.EncodeMessage(message);
            }
        }
    }
}
