using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Client;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Venue.Storage;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// The service on the standard stack (Grpc.AspNetCore, Grpc.Net.Client): message limits, deadlines, compression, TLS,
/// HTTP-level refusals, unexpected exceptions, store health and server reflection, each against the real services.
/// </summary>
public sealed class StackTests
{
    private static async Task<int> StoredAsync(ServerFixture f) => (await f.Server.Store.ListAllSubmissionsAsync()).Count;

    [Fact]
    public async Task A_request_above_the_limit_is_RESOURCE_EXHAUSTED_nothing_is_stored_and_the_server_stays_healthy()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxReceiveMessageSize = 16 << 10);
        var (_, _, built) = await f.BuildAsync();
        Assert.True(WireCodec.Encode(built.Submission).Length > 16 << 10, $"{WireCodec.Encode(built.Submission).Length} bytes");   // a real submission is above this server's limit
        var e = await Assert.ThrowsAsync<RpcException>(() => f.Client.SubmitAsync(built.Submission));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        // a length prefix that promises more than the limit is refused before the body is read
        var lying = new byte[] { 0, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3 };
        Assert.Equal(StatusCode.ResourceExhausted, (await RawGrpc.CallAsync(f.Server.Address, ZkRiskClient.TraderGatewayService + "/SubmitPositions", lying)).StatusCode);
        Assert.Equal(0, await StoredAsync(f));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await f.Client.CheckHealthAsync()).Status);
        Assert.Equal(1UL, (await f.Client.GetEpochInfoAsync()).Epoch);
    }

    /// <summary>Issue 13: at its in-flight limit the gateway answers RESOURCE_EXHAUSTED with the standard pushback trailer,
    /// keeps serving, and a client that retries (ZkRiskClient's default for this refusal only) gets through once there is room.</summary>
    [Fact]
    public async Task At_capacity_a_submission_is_RESOURCE_EXHAUSTED_with_a_pushback_and_a_retrying_client_gets_through()
    {
        using var hold = new ManualResetEventSlim(false);
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.MaxInFlightSubmissions = 1;
            o.RetryAfter = TimeSpan.FromMilliseconds(400);
            o.GatewayProofStageHook = () => hold.Wait(TimeSpan.FromSeconds(60));
        });
        var (info, _, first) = await f.BuildAsync(1);
        var (_, _, second) = await f.BuildAsync(2);
        var (_, _, third) = await f.BuildAsync(3);
        var held = f.Client.SubmitAsync(first.Submission, TimeSpan.FromSeconds(60));
        while (f.Server.Gateway.InFlight < 1) await Task.Delay(10);

        using (var once = new ZkRiskClient(f.Server.Address, new ZkRiskClientOptions { MaxAttempts = 1 }))
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => once.SubmitAsync(second.Submission));
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Contains("capacity", e.Status.Detail);
            Assert.Equal("400", e.Trailers.GetValue("grpc-retry-pushback-ms"));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await once.CheckHealthAsync()).Status);
        }
        // a retrying client: refused while the first is held, accepted after the pushback once it is released
        var retrying = f.Client.SubmitAsync(third.Submission, TimeSpan.FromSeconds(60));
        await Task.Delay(200);
        hold.Set();
        Assert.True(DVV.ZkRisk.Protocol.Submissions.TraderSdk.VerifyReceipt(await held, info.VenueSigningPublicKey.Span, first.Digest));
        Assert.True(DVV.ZkRisk.Protocol.Submissions.TraderSdk.VerifyReceipt(await retrying, info.VenueSigningPublicKey.Span, third.Digest));
        Assert.True(f.Server.Gateway.Metrics.RefusedAtCapacity >= 2);   // the one-shot client and the retrying client's first try
        Assert.Equal(2, await StoredAsync(f));
    }

    [Fact]
    public async Task A_client_past_its_deadline_gets_DEADLINE_EXCEEDED_and_nothing_is_stored()
    {
        // range-proof verification that takes two seconds: the gateway is still checking when the deadline passes
        await using var f = await ServerFixture.StartAsync(o => o.GatewayProofStageHook = () => Thread.Sleep(2000));
        var (_, _, built) = await f.BuildAsync();
        var e = await Assert.ThrowsAsync<RpcException>(() => f.Client.SubmitAsync(built.Submission, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        await Task.Delay(4500);   // the gateway finishes its checks, sees the cancelled call and stores nothing
        Assert.Equal(0, await StoredAsync(f));
        var nf = await Assert.ThrowsAsync<RpcException>(() => f.Client.GetReceiptAsync(built.Digest));
        Assert.Equal(StatusCode.NotFound, nf.StatusCode);
        // the same submission with time to spare is accepted
        var receipt = await f.Client.SubmitAsync(built.Submission, TimeSpan.FromSeconds(30));
        Assert.True(DVV.ZkRisk.Protocol.Submissions.TraderSdk.VerifyReceipt(receipt, (await f.Client.GetEpochInfoAsync()).VenueSigningPublicKey.Span, built.Digest));
    }

    [Fact]
    public async Task Gzip_compressed_requests_and_responses_are_served()
    {
        await using var f = await ServerFixture.StartAsync();
        using var channel = GrpcChannel.ForAddress(f.Server.Address);
        var gateway = new V1.TraderGateway.TraderGatewayClient(channel);
        var headers = new Metadata { { "grpc-internal-encoding-request", "gzip" }, { "grpc-accept-encoding", "gzip" } };
        var info = WireCodec.DecodeEpochInfo((await gateway.GetEpochInfoAsync(new V1.GetEpochInfoRequest(), headers)).ToByteArray());
        Assert.Equal(1UL, info.Epoch);
        var (_, key, _) = await f.BuildAsync();
        var built = f.Sdk.Build(info, key, ServerFixture.Book(info, 3), f.Admit(key));
        var r = await gateway.SubmitPositionsAsync(new V1.SubmitPositionsRequest { Submission = built.Submission.Message() }, headers);
        Assert.Equal(ByteString.CopyFrom(built.Digest), r.Receipt.SubmissionDigest);
        // an encoding nobody negotiated is refused by name
        var raw = await RawGrpc.CallAsync(f.Server.Address, ZkRiskClient.TraderGatewayService + "/GetEpochInfo", RawGrpc.Frame([1, 2, 3], compressedFlag: true),
            new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });
        Assert.Equal(StatusCode.Unimplemented, raw.StatusCode);
    }

    [Fact]
    public async Task Unknown_methods_are_UNIMPLEMENTED_and_HTTP1_or_other_content_types_are_refused()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(StatusCode.Unimplemented, (await RawGrpc.CallAsync(f.Server.Address, ZkRiskClient.TraderGatewayService + "/Withdraw", RawGrpc.Frame([]))).StatusCode);
        Assert.Equal(StatusCode.Unimplemented, (await RawGrpc.CallAsync(f.Server.Address, "no.Such/Method", RawGrpc.Frame([]))).StatusCode);
        using var http1 = new HttpClient();
        var path = new Uri(f.Server.Address, "/" + ZkRiskClient.TraderGatewayService + "/GetEpochInfo");
        try
        {
            var r1 = await http1.PostAsync(path, new ByteArrayContent(RawGrpc.Frame([])) { Headers = { { "Content-Type", "application/grpc" } } });
            Assert.NotEqual(HttpStatusCode.OK, r1.StatusCode);   // an HTTP/2-only endpoint: HTTP/1.1 gets an error status ...
        }
        catch (HttpRequestException) { /* ... or cannot even connect */ }
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var json = await h2.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    /// <summary>A store that works until <see cref="Broken"/> is set, then throws from every call (a lost database).</summary>
    internal class BreakableStore : DispatchProxy
    {
        public IStore Inner { get; set; } = null!;
        public bool Broken { get; set; }
        protected override object? Invoke(MethodInfo? m, object?[]? args)
        {
            if (Broken && m!.Name is not ("DisposeAsync" or "get_Backend")) throw new InvalidOperationException("secret connection string host=db.internal");
            try { return m!.Invoke(Inner, args); }
            catch (TargetInvocationException e) when (e.InnerException != null) { throw e.InnerException; }
        }
    }

    [Fact]
    public async Task A_lost_store_makes_health_NOT_SERVING_and_calls_UNKNOWN_without_internals()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dvv-svc-" + Guid.NewGuid().ToString("N"));
        var inner = await StoreFactory.OpenAsync(dir, null);
        var store = DispatchProxy.Create<IStore, BreakableStore>();
        var proxy = (BreakableStore)(object)store;
        proxy.Inner = inner;
        try
        {
            await using (var server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = dir, Store = store }))
            using (var client = new ZkRiskClient(server.Address, new ZkRiskClientOptions { MaxAttempts = 1 }))
            {
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await client.CheckHealthAsync()).Status);
                proxy.Broken = true;
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await client.CheckHealthAsync()).Status);
                var e = await Assert.ThrowsAsync<RpcException>(() => client.GetReceiptAsync(new byte[32]));
                Assert.Equal(StatusCode.Unknown, e.StatusCode);
                Assert.DoesNotContain("secret", e.Status.Detail);
                Assert.DoesNotContain("db.internal", e.Status.Detail);
                proxy.Broken = false;
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await client.CheckHealthAsync()).Status);
            }
        }
        finally
        {
            await inner.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task TLS_with_ALPN_h2_and_a_pinned_certificate()
    {
        using var cert = SelfSigned();
        var dir = Path.Combine(Path.GetTempPath(), "dvv-svc-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = dir, Certificate = cert });
            Assert.Equal("https", server.Address.Scheme);
            var pinned = cert.GetCertHashString();
            using var tls = new ZkRiskClient(server.Address, new ZkRiskClientOptions
                { ServerCertificateValidation = (_, c, _, _) => c != null && c.GetCertHashString() == pinned });
            Assert.Equal(1UL, (await tls.GetEpochInfoAsync()).Epoch);
            using var untrusting = new ZkRiskClient(server.Address, new ZkRiskClientOptions { MaxAttempts = 1 });   // system trust refuses it
            var e = await Assert.ThrowsAsync<RpcException>(() => untrusting.GetEpochInfoAsync());
            Assert.True(e.StatusCode is StatusCode.Unavailable or StatusCode.Internal, e.ToString());
            Assert.Contains("SSL", e.Status.DebugException?.ToString() ?? e.Status.Detail, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
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

    [Fact]
    public async Task Server_reflection_lists_every_service_and_describes_them()
    {
        await using var f = await ServerFixture.StartAsync();
        using var channel = GrpcChannel.ForAddress(f.Server.Address);
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(20));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();
        foreach (var s in new[] { ZkRiskClient.TraderGatewayService, ZkRiskClient.EpochsService, ZkRiskClient.VerifierService, ZkRiskClient.OperatorService, ZkRiskClient.HealthService })
            Assert.Contains(s, names);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = ZkRiskClient.EpochsService });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.NotEmpty(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());   // the server ends the stream once the requests end
    }

    [Fact]
    public async Task Operator_calls_need_the_operator_token()
    {
        await using var f = await ServerFixture.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(() => f.Client.SealEpochAsync());
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        using var wrong = new ZkRiskClient(f.Server.Address, new ZkRiskClientOptions { OperatorToken = new string('0', 64) });
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => wrong.SealEpochAsync())).StatusCode);
        Assert.Equal(1UL, (await f.Client.GetEpochInfoAsync()).Epoch);   // nothing sealed
        using var op = new ZkRiskClient(f.Server.Address, new ZkRiskClientOptions { OperatorToken = f.Server.OperatorToken });
        var r = await op.SealEpochAsync();
        Assert.Equal(1UL, r.Epoch);
        Assert.Equal(2UL, (await f.Client.GetEpochInfoAsync()).Epoch);
        Assert.Equal(r.BundleHash.ToByteArray(), (await f.Client.GetEpochAsync(1)).BundleHash.ToArray());
        // a server is never started with an empty or short operator token
        await Assert.ThrowsAsync<ArgumentException>(() => ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = f.Dir, OperatorToken = "" }));
        // nor without a market: the venue has none of its own
        var noMarket = await Assert.ThrowsAsync<ArgumentException>(() => ZkRiskServer.StartAsync(new ZkRiskServerOptions { DataDirectory = f.Dir }));
        Assert.StartsWith("Parameters:", noMarket.Message);
    }

    [Fact]
    public async Task The_operator_token_file_is_written_owner_only_read_back_and_never_weakened()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dvv-svc-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "operator.token");
        try
        {
            string first;
            await using (var a = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = dir, OperatorTokenFile = file })) first = a.OperatorToken;
            Assert.Equal(first, File.ReadAllText(file).Trim());
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            await using (var b = await ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = dir, OperatorTokenFile = file }))
                Assert.Equal(first, b.OperatorToken);   // a restart keeps the operator's token
            File.WriteAllText(file, "\n");   // an emptied file must not become an empty token
            await Assert.ThrowsAsync<ArgumentException>(() => ZkRiskServer.StartAsync(new ZkRiskServerOptions { Parameters = ServerFixture.DemoParameters, DataDirectory = dir, OperatorTokenFile = file }));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
