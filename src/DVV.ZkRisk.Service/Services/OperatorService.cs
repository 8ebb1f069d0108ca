using System.Security.Cryptography;
using System.Text;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Publication;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.Operator: the venue operator's own calls, each authorised by the operator token.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindOperator))]
internal sealed class OperatorService(EpochPipeline pipeline, OperatorToken token) : Operator.OperatorBase
{
    public override async Task<SealEpochResponse> SealEpoch(SealEpochRequest request, ServerCallContext context)
    {
        token.Demand(context);
        var r = await pipeline.SealOpenEpochAsync(context.CancellationToken);
        var resp = new SealEpochResponse
        {
            Epoch = r.Bundle.Epoch, BundleHash = Google.Protobuf.ByteString.CopyFrom(r.Bundle.BundleHash.Span), TraderCount = r.Bundle.TraderCount, NewSubmissions = (uint)r.NewSubmissions,
            Reissued = (uint)r.Reissued, BundleBytes = (ulong)r.BundleBytes, Checkpoint = r.Bundle.Checkpoint, SealMs = r.Timings.TotalMs,
        };
        foreach (var u in r.Bundle.Unvalued) resp.Unvalued.Add(Convert.ToHexStringLower(u.TraderPublicKey.Span));
        return resp;
    }
}

/// <summary>
/// The operator's bearer secret (256 bits from the OS CSPRNG, hex). <c>serve</c> writes it to operator.token in the data
/// directory, readable by the owner only; an in-process host may be given its own. Compared in constant time.
/// </summary>
internal sealed class OperatorToken
{
    public const string FileName = "operator.token";
    /// <summary>Shortest token accepted: 128 bits in hex (an empty or short token file must not open the operator calls).</summary>
    public const int MinLength = 32;
    private readonly byte[] _value;

    public OperatorToken(string value)
    {
        if (value.Length < MinLength || !value.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"the operator token must be at least {MinLength} letters or digits", nameof(value));
        _value = Encoding.ASCII.GetBytes(value);
    }

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The token in <paramref name="file"/>, written there first (owner read/write only) when the file does not
    /// exist. An existing file that holds no valid token is an error, never a weaker token.</summary>
    /// <exception cref="IOException">the file cannot be read or written</exception>
    /// <exception cref="ArgumentException">the file holds no valid token</exception>
    public static OperatorToken LoadOrCreate(string file)
    {
        if (File.Exists(file)) return new OperatorToken(File.ReadAllText(file).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var token = new OperatorToken(New());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var w = new StreamWriter(file, System.Text.Encoding.ASCII, options)) w.WriteLine(token.Value);
        return token;
    }

    public string Value => Encoding.ASCII.GetString(_value);

    public void Demand(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authorization: operator calls need 'Bearer <operator token>'"));
        var given = Encoding.ASCII.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, _value))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authorization: not the operator token"));
    }
}
