using DVV.ZkRisk.Venue.Gateway;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DVV.ZkRisk.Service.Interceptors;

/// <summary>
/// The one place where the venue's transport-neutral refusals become gRPC statuses: a <see cref="GatewayException"/>
/// keeps its code and its message (which names the field and the reason). Anything else is left to Grpc.AspNetCore,
/// which answers UNKNOWN without the exception's message (detailed errors are off) and logs it.
/// </summary>
internal sealed class GatewayErrorInterceptor : Interceptor
{
    public static StatusCode ToStatus(GatewayError e) => e switch
    {
        GatewayError.InvalidArgument => StatusCode.InvalidArgument,
        GatewayError.NotFound => StatusCode.NotFound,
        GatewayError.FailedPrecondition => StatusCode.FailedPrecondition,
        GatewayError.AlreadyExists => StatusCode.AlreadyExists,
        GatewayError.ResourceExhausted => StatusCode.ResourceExhausted,
        GatewayError.Unimplemented => StatusCode.Unimplemented,
        GatewayError.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.Unknown,
    };

    /// <summary>The status, and for a refusal at capacity the standard pushback trailer (gRPC A6 retry design:
    /// grpc-retry-pushback-ms), which Grpc.Net.Client's retry policy honours.</summary>
    private static RpcException Map(GatewayException e) => e.RetryAfter is { } after
        ? new(new Status(ToStatus(e.Error), e.Message), new Metadata { { "grpc-retry-pushback-ms", ((long)Math.Ceiling(after.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) } })
        : new(new Status(ToStatus(e.Error), e.Message));

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (GatewayException e) { throw Map(e); }
        catch (DVV.ZkRisk.Protocol.Codec.WireDecodeException e) { throw Map(GatewayException.Invalid(e.Field, e.Reason)); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (GatewayException e) { throw Map(e); }
        catch (DVV.ZkRisk.Protocol.Codec.WireDecodeException e) { throw Map(GatewayException.Invalid(e.Field, e.Reason)); }
    }
}
