using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Trust;
using DVV.ZkRisk.Dashboard;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Service.Dashboard;
using DVV.ZkRisk.Service.Interceptors;
using DVV.ZkRisk.Service.Services;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;
using DVV.ZkRisk.Venue.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service;

/// <summary>
/// The venue's service on Grpc.AspNetCore: TraderGateway, Epochs, Verifier and Operator, grpc.health.v1 (backed by the
/// store's health) and server reflection, over h2c or TLS, with the gateway, the epoch pipeline and the store started and
/// stopped together.
/// </summary>
public sealed class ZkRiskServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsStore;

    private ZkRiskServer(WebApplication app, Uri address, Uri? dashboard, bool ownsStore, string operatorToken)
    {
        _app = app; Address = address; DashboardAddress = dashboard; _ownsStore = ownsStore; OperatorToken = operatorToken;
    }

    public Uri Address { get; }
    /// <summary>The dashboard page (HTTP/1.1, or HTTPS with the server's certificate); null when <see cref="ZkRiskServerOptions.Dashboard"/> is not set.</summary>
    public Uri? DashboardAddress { get; }
    /// <summary>The bearer secret Operator calls must carry.</summary>
    public string OperatorToken { get; }

    // the venue's components, for in-process tests and the benchmark verbs only
    internal IStore Store => _app.Services.GetRequiredService<IStore>();
    internal EpochService Epochs => _app.Services.GetRequiredService<EpochService>();
    internal SubmissionGateway Gateway => _app.Services.GetRequiredService<SubmissionGateway>();
    internal VenueKeys Keys => _app.Services.GetRequiredService<VenueKeys>();
    internal EpochPipeline Pipeline => _app.Services.GetRequiredService<EpochPipeline>();

    public static async Task<ZkRiskServer> StartAsync(ZkRiskServerOptions o, CancellationToken ct = default)
    {
        if (o.Parameters is null) throw new ArgumentException("Parameters: the venue must say which risk parameters and market each epoch uses", nameof(o));
        // refuses an empty or short token before anything is opened
        var operatorToken = o.OperatorToken is { } given ? new OperatorToken(given)
            : o.OperatorTokenFile is { } file ? Services.OperatorToken.LoadOrCreate(file) : new OperatorToken(Services.OperatorToken.New());
        var token = operatorToken.Value;
        var store = o.Store ?? await StoreFactory.OpenAsync(o.DataDirectory, o.PostgresConnectionString, ct);
        try { return await StartOnAsync(o, store, token, operatorToken, ct); }
        catch
        {
            if (o.Store == null) await store.DisposeAsync();   // a server that did not start leaves no store open
            throw;
        }
    }

    private static async Task<ZkRiskServer> StartOnAsync(ZkRiskServerOptions o, IStore store, string token, OperatorToken operatorToken, CancellationToken ct)
    {
        var keys = await VenueKeys.LoadOrCreateAsync(store, ct);
        var authorities = o.Authorities?.Invoke(keys.Signing) ?? EpochAuthorities.VenueOperated(keys.Signing, o.Committee?.CommitteeId);
        var epochs = new EpochService(store, keys, o.Parameters!, authorities);
        await epochs.InitializeAsync(ct);
        var gateway = new SubmissionGateway(store, epochs, keys, options: new GatewayOptions
        {
            MaxInFlight = o.MaxInFlightSubmissions, ProofWindow = o.BatchWindow, RetryAfter = o.RetryAfter,
        }) { ProofStageHook = o.GatewayProofStageHook };
        var pipeline = new EpochPipeline(store, epochs, keys, o.Statements ?? StatementSet.LoadDefault(), o.Committee);
        gateway.Accepted += pipeline.OnAccepted;
        pipeline.GatewayBusy = () => gateway.InFlight > 0;
        pipeline.FundingSources = o.FundingSources;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(o.LogLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.Http2.MaxStreamsPerConnection = 256;
            k.Listen(o.Listen, lo =>
            {
                lo.Protocols = HttpProtocols.Http2;
                if (o.Certificate != null) lo.UseHttps(o.Certificate);
            });
            // browsers speak HTTP/1.1 to a cleartext port (h2c needs prior knowledge), so the page has a listener of its own
            if (o.Dashboard is { } page)
                k.Listen(page, lo =>
                {
                    lo.Protocols = o.Certificate != null ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    if (o.Certificate != null) lo.UseHttps(o.Certificate);
                });
        });
        var s = builder.Services;
        s.AddSingleton(store).AddSingleton(keys).AddSingleton(epochs).AddSingleton(gateway).AddSingleton(pipeline).AddSingleton(o)
         .AddSingleton(new ServerLimits(o.MaxReceiveMessageSize, o.MaxSendMessageSize)).AddSingleton(operatorToken);
        s.AddGrpc(g =>
        {
            g.MaxReceiveMessageSize = o.MaxReceiveMessageSize;
            g.MaxSendMessageSize = o.MaxSendMessageSize;
            g.EnableDetailedErrors = false;   // an unexpected exception's message never reaches the caller
            g.Interceptors.Add<GatewayErrorInterceptor>();
        });
        s.AddGrpcReflection();
        // "" and each service report the store's health: a venue that cannot store must not take submissions
        s.AddGrpcHealthChecks(h =>
        {
            foreach (var service in new[] { Api.V1.TraderGateway.Descriptor, Api.V1.Epochs.Descriptor, Api.V1.Verifier.Descriptor, Api.V1.Operator.Descriptor })
                h.Services.Map(service.FullName, _ => true);
        }).AddCheck<StoreHealthCheck>("store");
        s.AddHostedService<SealingSchedule>();

        var app = builder.Build();
        app.MapGrpcService<TraderGatewayService>();
        app.MapGrpcService<EpochsService>();
        app.MapGrpcService<VerifierService>();
        app.MapGrpcService<OperatorService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        PublishedChain? chain = null;
        if (o.Dashboard != null)
        {
            chain = new PublishedChain(new VenueEpochArchive(pipeline, epochs), new BundleVerifier(pipeline.Statements, epochs.Authorities.RootHash),
                new ChainSource("venue service", epochs.Authorities.RootHash, o.Committee, [], Live: true));
            DashboardEndpoints.Map(app, chain, new DashboardLimits(o.DashboardNoticeChecks, o.DashboardEventStreams),
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DVV.ZkRisk.Dashboard"));
            epochs.Subscribe(e => { if (e.Status is EpochStatus.Sealed or EpochStatus.Published) chain.Poke(); });
        }
        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        static Uri Local(string a) => new(a.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        // Kestrel lists the endpoints in the order they were configured: the gRPC listener first
        var uri = Local(addresses[0]);
        Uri? page = o.Dashboard != null && addresses.Count > 1 ? Local(addresses[1]) : null;
        chain?.Poke();   // an existing chain (a restart) is verified in the background
        return new ZkRiskServer(app, uri, page, o.Store == null, token);
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    private int _disposed;

    /// <summary>Stops the host, the gateway and (when it opened it) the store; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        var store = Store;
        var gateway = Gateway;
        using (var stopCts = new CancellationTokenSource(TimeSpan.FromSeconds(5))) { try { await _app.StopAsync(stopCts.Token); } catch (OperationCanceledException) { } }
        await _app.DisposeAsync();
        await gateway.DisposeAsync();   // its batch loops end once the requests in them are answered
        if (_ownsStore) await store.DisposeAsync();
    }
}
