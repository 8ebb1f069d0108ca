using DVV.ZkRisk.Client;
using System.Text.Json;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Tests;
using V1 = DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Protocol.Submissions;
using Google.Protobuf;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>
/// Real gRPC clients nobody here wrote drive the running server from the .proto files: Debian's python3-grpcio
/// (/usr/bin/python3) and npm's @grpc/grpc-js + @grpc/proto-loader. Submissions are built by the C# SDK.
/// </summary>
public sealed class InteropTests : IAsyncLifetime
{
    private ServerFixture _f = null!;
    private string _cases = null!;
    public async Task InitializeAsync()
    {
        _f = await ServerFixture.StartAsync();
        _cases = Path.Combine(_f.Dir, "cases");
        Directory.CreateDirectory(_cases);
        // stale.bin: a valid submission for epoch 1, which is closed before the peers run
        var (info1, key1, stale) = await _f.BuildAsync(11);
        await File.WriteAllBytesAsync(Path.Combine(_cases, "stale.bin"), new V1.SubmitPositionsRequest { Submission = stale.Submission.Message() }.ToByteArray());
        using (var op = new ZkRiskClient(_f.Server.Address, new ZkRiskClientOptions { OperatorToken = _f.Server.OperatorToken }))
            await op.SealEpochAsync();   // epoch 1 sealed (empty): its bundle is there for GetEpoch and GetEpochParts
        var (info, key, valid) = await _f.BuildAsync(12);
        Assert.Equal(2UL, info.Epoch);
        await File.WriteAllBytesAsync(Path.Combine(_cases, "valid.bin"), new V1.SubmitPositionsRequest { Submission = valid.Submission.Message() }.ToByteArray());
        var bad = valid.Submission with { Signature = Ed25519PrivateKey.Generate().Sign(valid.Digest) };
        await File.WriteAllBytesAsync(Path.Combine(_cases, "bad_signature.bin"), new V1.SubmitPositionsRequest { Submission = bad.Message() }.ToByteArray());
        await File.WriteAllTextAsync(Path.Combine(_cases, "valid.digest"), Convert.ToHexStringLower(valid.Digest));
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private string Address => $"127.0.0.1:{_f.Server.Address.Port}";

    private async Task AssertCommonCases(Dictionary<string, JsonElement> r, string healthServing)
    {
        string Code(string c) => r.TryGetValue(c, out var e) ? e.GetProperty("code").GetString()! : $"<{c} missing>";
        Assert.Equal("OK", Code("health"));
        Assert.Equal(healthServing, r["health"].GetProperty("status").ToString());
        Assert.Equal("OK", Code("epoch_info"));
        Assert.Equal(2, r["epoch_info"].GetProperty("epoch").GetInt32());
        Assert.Equal(32, r["epoch_info"].GetProperty("bands").GetInt32());
        Assert.Equal(32, r["epoch_info"].GetProperty("hpke_key_len").GetInt32());
        Assert.Equal("OK", Code("submit_valid"));
        var digest = await File.ReadAllTextAsync(Path.Combine(_cases, "valid.digest"));
        Assert.Equal(digest, r["submit_valid"].GetProperty("digest").GetString());
        Assert.Equal("ALREADY_EXISTS", Code("submit_replay"));
        Assert.Equal("INVALID_ARGUMENT", Code("submit_bad_signature"));
        Assert.StartsWith("submission.signature:", r["submit_bad_signature"].GetProperty("details").GetString());
        Assert.Equal("FAILED_PRECONDITION", Code("submit_stale_epoch"));
        Assert.StartsWith("submission.epoch:", r["submit_stale_epoch"].GetProperty("details").GetString());
        Assert.Equal("INVALID_ARGUMENT", Code("submit_malformed"));
        Assert.Equal("RESOURCE_EXHAUSTED", Code("submit_oversized"));
        Assert.Equal("NOT_FOUND", Code("unknown_epoch"));
        Assert.Equal("UNIMPLEMENTED", Code("unknown_method"));
        Assert.Equal("OK", Code("health_after"));
        // every other RPC answers with its own refusal or result, and reflection names every service
        Assert.Equal("OK", Code("get_receipt"));
        Assert.Equal(digest, r["get_receipt"].GetProperty("digest").GetString());
        Assert.Equal("INVALID_ARGUMENT", Code("get_margin_notice"));
        Assert.Equal("INVALID_ARGUMENT", Code("get_inclusion_proof"));
        Assert.Equal("INVALID_ARGUMENT", Code("attest"));
        Assert.Equal("UNAUTHENTICATED", Code("operator_seal"));
        Assert.Equal("NOT_FOUND", Code("get_attestation"));          // nothing published yet
        Assert.Equal("FAILED_PRECONDITION", Code("get_committee"));  // this venue runs without a committee
        Assert.Equal("OK", Code("get_epoch"));
        Assert.Equal("OK", Code("get_epoch_parts"));
        Assert.True(r["get_epoch_parts"].GetProperty("parts").GetInt32() >= 1);
        Assert.Equal("OK", Code("reflection"));
        var services = r["reflection"].GetProperty("services").EnumerateArray().Select(x => x.GetString()).ToList();
        foreach (var svc in new[] { "dvv.zkrisk.v1.TraderGateway", "dvv.zkrisk.v1.Epochs", "dvv.zkrisk.v1.Verifier", "dvv.zkrisk.v1.Operator", "grpc.health.v1.Health" })
            Assert.Contains(svc, services);
        // exactly the one valid submission is stored
        var all = await _f.Server.Store.ListAllSubmissionsAsync();
        Assert.Single(all);
        Assert.Equal(digest, Convert.ToHexStringLower(all[0].Digest));
    }

    [Fact]
    public async Task Python_grpcio_client()
    {
        var fds = Path.Combine(_f.Dir, "zkrisk.fds");
        var protos = Path.Combine(Repo.Root, "protos");
        var (pe, po, perr) = Repo.Run(Repo.Protoc(), $"--include_imports --descriptor_set_out={fds} -I{protos} dvv/zkrisk/v1/service.proto dvv/zkrisk/v1/operator.proto grpc/health/v1/health.proto grpc/reflection/v1alpha/reflection.proto", TimeSpan.FromSeconds(60));
        Assert.True(pe == 0, "protoc failed: " + perr + po);
        var (exit, stdout, stderr) = Repo.Run("/usr/bin/python3",
            $"{Path.Combine(Repo.Root, "tests", "interop", "grpc", "python_client.py")} {Address} {fds} {_cases}", TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, $"python exited {exit}: {stderr}\n{stdout}");
        var r = Repo.ParseCases(stdout);
        await AssertCommonCases(r, "1");
    }

    [Fact]
    public async Task Node_grpc_js_client()
    {
        var interop = Path.Combine(Repo.Root, "tests", "interop");
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "@grpc", "grpc-js")), "tests/interop/node_modules missing: run npm install in tests/interop (test.sh does)");
        var (exit, stdout, stderr) = Repo.Run("node",
            $"{Path.Combine(interop, "grpc", "node_client.mjs")} {Address} {Path.Combine(Repo.Root, "protos")} {_cases}", TimeSpan.FromSeconds(120), interop);
        Assert.True(exit == 0, $"node exited {exit}: {stderr}\n{stdout}");
        var r = Repo.ParseCases(stdout);
        await AssertCommonCases(r, "SERVING");
        Assert.Equal("OK", r["watch_epochs"].GetProperty("code").GetString());
        Assert.Equal(2, r["watch_epochs"].GetProperty("epoch").GetInt32());
    }
}
