using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using DVV.ZkRisk.Service;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk serve [--listen 127.0.0.1:PORT] [--data DIR] [--postgres CONNSTRING] [--tls-cert PFX]`: runs the gRPC service.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "address:port to listen on (port 0: any free port)", DefaultValueFactory = _ => "127.0.0.1:50051" };
        var data = new Option<string>("--data") { Description = "data directory (SQLite store)", DefaultValueFactory = _ => "data" };
        var pg = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (selects the PostgreSQL store)" };
        var cert = new Option<string?>("--tls-cert") { Description = "PKCS#12 certificate: serve TLS (HTTP/2 over ALPN) instead of h2c" };
        var certPw = new Option<string?>("--tls-password") { Description = "password of the --tls-cert file" };
        var cmd = new Command("serve", "Run the DVV.ZkRisk gRPC service (TraderGateway, Epochs, Verifier, grpc.health.v1)");
        cmd.Options.Add(listen); cmd.Options.Add(data); cmd.Options.Add(pg); cmd.Options.Add(cert); cmd.Options.Add(certPw);
        cmd.SetAction(async (pr, ct) =>
        {
            if (!IPEndPoint.TryParse(pr.GetValue(listen)!, out var ep)) { Console.Error.WriteLine($"--listen: '{pr.GetValue(listen)}' is not address:port"); return 2; }
            var certPath = pr.GetValue(cert);
            var o = new ZkRiskServerOptions
            {
                Listen = ep,
                DataDirectory = pr.GetValue(data)!,
                PostgresConnectionString = pr.GetValue(pg),
                Certificate = certPath == null ? null : X509CertificateLoader.LoadPkcs12FromFile(certPath, pr.GetValue(certPw)),
            };
            await using var server = await ZkRiskServer.StartAsync(o, ct);
            var info = await server.Epochs.GetInfoAsync(0, ct);
            Console.WriteLine($"listening on {server.Address.ToString().TrimEnd('/')}");
            Console.WriteLine($"store: {server.Store.Backend}");
            Console.WriteLine($"epoch {info.Epoch} open; venue signing key {Convert.ToHexStringLower(info.VenueSigningPublicKey.Span)}");
            Console.Out.Flush();
            var done = new TaskCompletionSource();
            using var reg = ct.Register(() => done.TrySetResult());
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(); });
            await done.Task;
            Console.WriteLine("stopping");
            return 0;
        });
        return cmd;
    }
}
