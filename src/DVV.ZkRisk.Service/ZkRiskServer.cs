using System.Net;
using System.Security.Cryptography.X509Certificates;
using DVV.ZkRisk.Epochs.Gateway;
using DVV.ZkRisk.Epochs.Proofs;
using DVV.ZkRisk.Epochs.Publication;
using DVV.ZkRisk.Epochs.Sealing;
using DVV.ZkRisk.Epochs.Storage;
using DVV.ZkRisk.Epochs.Trust;
using DVV.ZkRisk.Service.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service;

public sealed class ZkRiskServerOptions
{
    public IPEndPoint Listen { get; set; } = new(IPAddress.Loopback, 0);
    public string DataDirectory { get; set; } = "data";
    /// <summary>A PostgreSQL connection string selects the PostgreSQL store; null: SQLite under <see cref="DataDirectory"/>.</summary>
    public string? PostgresConnectionString { get; set; }
    /// <summary>Serve TLS (HTTP/2 via ALPN) with this certificate; null: HTTP/2 cleartext with prior knowledge (h2c).</summary>
    public X509Certificate2? Certificate { get; set; }
    public GrpcServerOptions Grpc { get; set; } = new();
    public ISubmissionProofSystem? Proofs { get; set; }
    /// <summary>An already opened store (tests); when set, DataDirectory and PostgresConnectionString are ignored.</summary>
    public IStore? Store { get; set; }
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;
    /// <summary>The verifier committee whose attestation quorum publishes an epoch; null: Attest answers FAILED_PRECONDITION.</summary>
    public DVV.ZkRisk.Crypto.Bls12381.VerifierCommittee? Committee { get; set; }
    /// <summary>Statement definitions (circuits/); null: <see cref="StatementSet.LoadDefault"/>.</summary>
    public StatementSet? Statements { get; set; }
    /// <summary>The parameter set (risk parameters, market) of each new epoch; null: the default set at a forward of 100,000.</summary>
    public Func<ulong, DateTimeOffset, DVV.ZkRisk.Api.V1.ParameterSet>? Parameters { get; set; }
    /// <summary>The chain's governance, onboarding authorities and pinned committee, given the venue's keys; null: the venue
    /// governs itself and admits traders with its own key (<see cref="EpochAuthorities.VenueOperated"/>, committee = <see cref="Committee"/>).</summary>
    public Func<VenueKeys, EpochAuthorities>? Authorities { get; set; }
}

/// <summary>The service: Kestrel, the gRPC layer, the gateway and the store, started and stopped together.</summary>
public sealed class ZkRiskServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsStore;
    public Uri Address { get; }
    public IStore Store { get; }
    public EpochService Epochs { get; }
    public SubmissionGateway Gateway { get; }
    public VenueKeys Keys { get; }
    public GrpcServiceRegistry Registry { get; }
    public EpochPipeline Pipeline { get; }

    private ZkRiskServer(WebApplication app, Uri address, IStore store, bool ownsStore, EpochService epochs, SubmissionGateway gateway, VenueKeys keys, GrpcServiceRegistry registry, EpochPipeline pipeline)
    {
        _app = app; Address = address; Store = store; _ownsStore = ownsStore; Epochs = epochs; Gateway = gateway; Keys = keys; Registry = registry; Pipeline = pipeline;
    }

    public static async Task<ZkRiskServer> StartAsync(ZkRiskServerOptions o, CancellationToken ct = default)
    {
        var store = o.Store ?? await StoreFactory.OpenAsync(o.DataDirectory, o.PostgresConnectionString, ct);
        var keys = await VenueKeys.LoadOrCreateAsync(store, ct);
        var authorities = o.Authorities?.Invoke(keys) ?? EpochAuthorities.VenueOperated(keys.Signing, o.Committee?.CommitteeId);
        var epochs = new EpochService(store, keys, o.Parameters, authorities);
        await epochs.InitializeAsync(ct);
        var gateway = new SubmissionGateway(store, epochs, keys, o.Proofs ?? ProofSystems.Default);
        var pipeline = new EpochPipeline(store, epochs, keys, o.Statements ?? StatementSet.LoadDefault(), o.Committee);
        gateway.Accepted += pipeline.OnAccepted;
        var registry = ZkRiskServices.Register(new GrpcServiceRegistry(), epochs, gateway, pipeline, o.Grpc.MaxSendMessageSize);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(o.LogLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;   // the gRPC layer enforces its own per-message limit
            k.Limits.Http2.MaxStreamsPerConnection = 256;
            k.Listen(o.Listen, lo =>
            {
                lo.Protocols = HttpProtocols.Http2;
                if (o.Certificate != null) lo.UseHttps(o.Certificate);
            });
        });
        var app = builder.Build();
        var endpoint = new GrpcEndpoint(registry, o.Grpc, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("grpc"));
        app.Run(endpoint.HandleAsync);
        await app.StartAsync(ct);
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(addr.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return new ZkRiskServer(app, uri, store, o.Store == null, epochs, gateway, keys, registry, pipeline);
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        using (var stopCts = new CancellationTokenSource(TimeSpan.FromSeconds(5))) { try { await _app.StopAsync(stopCts.Token); } catch (OperationCanceledException) { } }
        await _app.DisposeAsync();
        if (_ownsStore) await Store.DisposeAsync();
    }
}
