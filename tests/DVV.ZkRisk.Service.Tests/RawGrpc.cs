using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>What a hand-made call returned: the grpc-status, grpc-message and the HTTP status.</summary>
public sealed record RawResult(StatusCode StatusCode, string Message, int HttpStatus);

/// <summary>
/// Sends bytes a generated client would never send (malformed protobuf, lying length prefixes, unknown methods) to
/// the server over HTTP/2, and reads the status it answers (grpc/doc/PROTOCOL-HTTP2.md). Tests only.
/// </summary>
public static class RawGrpc
{
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressedFlag = false)
    {
        var f = new byte[5 + message.Length];
        f[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(1), (uint)message.Length);
        message.CopyTo(f.AsSpan(5));
        return f;
    }

    public static async Task<RawResult> CallAsync(Uri server, string method, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/" + method.TrimStart('/'))) 
        {
            Content = new ByteArrayContent(body), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        req.Headers.TryAddWithoutValidation("te", "trailers");
        if (headers != null) foreach (var (k, v) in headers) req.Headers.TryAddWithoutValidation(k, v);
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        await resp.Content.ReadAsByteArrayAsync();   // the trailers arrive after the body
        string? Get(string name) =>
            resp.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : resp.Headers.TryGetValues(name, out var h) ? h.First() : null;
        var status = Get("grpc-status") is { } st ? (StatusCode)int.Parse(st) : StatusCode.Unknown;
        return new RawResult(status, Uri.UnescapeDataString(Get("grpc-message") ?? ""), (int)resp.StatusCode);
    }
}
