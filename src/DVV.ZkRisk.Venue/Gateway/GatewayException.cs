namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>Why a request is refused, transport-neutral; the service maps each to its gRPC status.</summary>
internal enum GatewayError
{
    InvalidArgument,      // INVALID_ARGUMENT
    NotFound,             // NOT_FOUND
    FailedPrecondition,   // FAILED_PRECONDITION
    AlreadyExists,        // ALREADY_EXISTS
    ResourceExhausted,    // RESOURCE_EXHAUSTED
    Unimplemented,        // UNIMPLEMENTED
    PermissionDenied,     // PERMISSION_DENIED
}

/// <summary>A refused request: <see cref="Field"/> names the offending field (e.g. submission.short_commitments[3]).</summary>
internal sealed class GatewayException(GatewayError error, string field, string reason) : Exception($"{field}: {reason}")
{
    public GatewayError Error { get; } = error;
    public string Field { get; } = field;
    public string Reason { get; } = reason;
    /// <summary>When to try again (RESOURCE_EXHAUSTED at capacity): the service sends it as grpc-retry-pushback-ms.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static GatewayException Invalid(string field, string reason) => new(GatewayError.InvalidArgument, field, reason);
}
