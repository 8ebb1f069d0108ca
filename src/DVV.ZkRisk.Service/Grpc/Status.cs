using System.Globalization;
using System.Text;

namespace DVV.ZkRisk.Service.Grpc;

/// <summary>gRPC status codes (grpc/doc/statuscodes.md).</summary>
public enum StatusCode
{
    OK = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5, AlreadyExists = 6,
    PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9, Aborted = 10, OutOfRange = 11,
    Unimplemented = 12, Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
}

/// <summary>A call that ended with a non-OK status, on the server (thrown by handlers) and on the client.</summary>
public sealed class RpcException(StatusCode status, string detail) : Exception($"Status({status}, \"{detail}\")")
{
    public StatusCode Status { get; } = status;
    public string Detail { get; } = detail;
}

/// <summary>Wire details of the gRPC-over-HTTP/2 protocol (grpc/doc/PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const int HeaderLength = 5;
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>One Length-Prefixed-Message: compressed flag 0, 4-byte big-endian length, payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressedFlag = false)
    {
        var f = new byte[HeaderLength + message.Length];
        f[0] = compressedFlag ? (byte)1 : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(1), (uint)message.Length);
        message.CopyTo(f.AsSpan(HeaderLength));
        return f;
    }

    /// <summary>grpc-message is percent-encoded UTF-8: bytes outside 0x20..0x7E and '%' become %XX.</summary>
    public static string EncodeMessage(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b >= 0x20 && b <= 0x7E && b != (byte)'%') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string DecodeMessage(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            { bytes.Add(b); i += 2; }
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Parses grpc-timeout: 1 to 8 ASCII digits and a unit H, M, S, m (ms), u (us), n (ns).</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9) return false;
        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(n),
            'M' => TimeSpan.FromMinutes(n),
            'S' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMilliseconds(n),
            'u' => TimeSpan.FromTicks(n * 10),
            'n' => TimeSpan.FromTicks(n / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout != TimeSpan.MinValue;
    }

    public static string FormatTimeout(TimeSpan t)
    {
        long ms = Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds));
        return ms < 100_000_000 ? ms + "m" : Math.Min(99_999_999, (long)Math.Ceiling(t.TotalSeconds)) + "S";
    }

    /// <summary>HTTP status -> gRPC status when a response carries no grpc-status (grpc/doc/http-grpc-status-mapping.md).</summary>
    public static StatusCode FromHttpStatus(int http) => http switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
