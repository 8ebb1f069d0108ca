using Google.Protobuf;

namespace DVV.ZkRisk.Service.Grpc;

public enum MethodType { Unary, ServerStreaming }

/// <summary>What a handler sees of its call.</summary>
public sealed class ServerCallContext
{
    internal ServerCallContext(string method, DateTimeOffset? deadline, CancellationToken ct, IReadOnlyDictionary<string, string> headers, string peer)
    {
        Method = method; Deadline = deadline; CancellationToken = ct; RequestHeaders = headers; Peer = peer;
    }

    public string Method { get; }
    /// <summary>From grpc-timeout; null when the client set none.</summary>
    public DateTimeOffset? Deadline { get; }
    /// <summary>Cancelled when the deadline passes or the client cancels (RST_STREAM / disconnect).</summary>
    public CancellationToken CancellationToken { get; }
    public IReadOnlyDictionary<string, string> RequestHeaders { get; }
    public string Peer { get; }
}

public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message);
}

/// <summary>
/// The seam between the wire layer and the application: one handler per method, taking the request's raw bytes.
/// <see cref="GrpcServiceRegistry"/> builds typed ones from protobuf parsers; the wire layer (<see cref="GrpcEndpoint"/>)
/// only frames, times and reports status. Swapping in Grpc.AspNetCore means mapping these same delegates onto its
/// generated service bases.
/// </summary>
public interface IGrpcMethodHandler
{
    string FullName { get; }
    MethodType Type { get; }
    /// <summary>Handles one call: <paramref name="request"/> is the single request message; responses go to <paramref name="write"/>.</summary>
    Task HandleAsync(ReadOnlyMemory<byte> request, Func<byte[], Task> write, ServerCallContext context);
}

public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, IGrpcMethodHandler> _handlers = new(StringComparer.Ordinal);

    public IReadOnlyCollection<IGrpcMethodHandler> Handlers => _handlers.Values;

    public bool TryGet(string path, out IGrpcMethodHandler handler) => _handlers.TryGetValue(path, out handler!);

    public GrpcServiceRegistry Add(IGrpcMethodHandler h)
    {
        if (!_handlers.TryAdd("/" + h.FullName, h)) throw new InvalidOperationException($"method {h.FullName} registered twice");
        return this;
    }

    public GrpcServiceRegistry AddUnary<TReq, TResp>(string service, string method, MessageParser<TReq> parser,
        Func<TReq, ServerCallContext, Task<TResp>> handler) where TReq : IMessage<TReq> where TResp : IMessage<TResp>
        => Add(new Typed<TReq, TResp>($"{service}/{method}", MethodType.Unary, parser, async (req, write, ctx) =>
        {
            var resp = await handler(req, ctx);
            await write(resp);
        }));

    public GrpcServiceRegistry AddServerStreaming<TReq, TResp>(string service, string method, MessageParser<TReq> parser,
        Func<TReq, IServerStreamWriter<TResp>, ServerCallContext, Task> handler) where TReq : IMessage<TReq> where TResp : IMessage<TResp>
        => Add(new Typed<TReq, TResp>($"{service}/{method}", MethodType.ServerStreaming, parser,
            (req, write, ctx) => handler(req, new Writer<TResp>(write), ctx)));

    /// <summary>A method that exists in the API but answers UNIMPLEMENTED with <paramref name="why"/>.</summary>
    public GrpcServiceRegistry AddUnimplemented(string service, string method, MethodType type, string why)
        => Add(new Unimplemented($"{service}/{method}", type, why));

    private sealed class Writer<T>(Func<T, Task> write) : IServerStreamWriter<T>
    {
        public Task WriteAsync(T message) => write(message);
    }

    private sealed class Typed<TReq, TResp>(string name, MethodType type, MessageParser<TReq> parser,
        Func<TReq, Func<TResp, Task>, ServerCallContext, Task> body) : IGrpcMethodHandler
        where TReq : IMessage<TReq> where TResp : IMessage<TResp>
    {
        public string FullName => name;
        public MethodType Type => type;

        public Task HandleAsync(ReadOnlyMemory<byte> request, Func<byte[], Task> write, ServerCallContext context)
        {
            TReq req;
            try { req = parser.ParseFrom(request.Span); }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(StatusCode.InvalidArgument, $"request: malformed protobuf {typeof(TReq).Name}: {e.Message}");
            }
            return body(req, m => write(m.ToByteArray()), context);
        }
    }

    private sealed class Unimplemented(string name, MethodType type, string why) : IGrpcMethodHandler
    {
        public string FullName => name;
        public MethodType Type => type;
        public Task HandleAsync(ReadOnlyMemory<byte> request, Func<byte[], Task> write, ServerCallContext context)
            => throw new RpcException(StatusCode.Unimplemented, $"{name}: {why}");
    }
}
