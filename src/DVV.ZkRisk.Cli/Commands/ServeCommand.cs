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
        var committeeOpt = new Option<string?>("--committee") { Description = "verifier committee registry (committee.json, `dvv-zk bls committee`): Verifier.Attest publishes an epoch at its threshold" };
        var sealEvery = new Option<int>("--seal-every") { Description = "seal the open epoch every this many seconds (0: never; epochs are then sealed by an operator process)", DefaultValueFactory = _ => 0 };
        var onboardingOpt = new Option<string[]>("--onboarding-key") { Description = "Ed25519 public key (hex) of an onboarding authority whose admissions the gateway accepts (repeatable; `dvv-zk trader admit`); none: the venue's own key is the only authority", AllowMultipleArgumentsPerToken = false };
        var paramsOpt = new Option<string?>("--params") { Description = "risk parameter set file (samples/params.json's format; default: the default set)" };
        var marketOpt = new Option<string?>("--market") { Description = "market of every new epoch: an epoch state file (samples/aggregates.json) or a market object, re-read at each epoch opening (default: the demo market at the opening time)" };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "submissions the gateway holds at once; one more is RESOURCE_EXHAUSTED with a retry hint", DefaultValueFactory = _ => 1024 };
        var fundingOpt = new Option<string?>("--funding-sources") { Description = "the venue's funding ledger for cluster detection: a JSON object of trader key (hex) to funding source (a master account, a deposit wallet), re-read at each seal; accounts of one source are margined as one" };
        var batchWindow = new Option<double>("--batch-window-ms") { Description = "how long a range-proof batch waits for submissions still in their earlier checks (0: never; a lone submission never waits)", DefaultValueFactory = _ => 2 };
        var dashboard = new Option<string?>("--dashboard") { Description = "address:port of the dashboard page (HTTP/1.1, HTTPS with --tls-cert; port 0: any free port); the page re-verifies every sealed epoch (docs/dashboard.md)" };
        var cmd = new Command("serve", "Run the DVV.ZkRisk gRPC service (TraderGateway, Epochs, Verifier, Operator, grpc.health.v1, reflection)");
        cmd.Options.Add(listen); cmd.Options.Add(data); cmd.Options.Add(pg); cmd.Options.Add(cert); cmd.Options.Add(certPw); cmd.Options.Add(committeeOpt); cmd.Options.Add(sealEvery);
        cmd.Options.Add(onboardingOpt); cmd.Options.Add(paramsOpt); cmd.Options.Add(marketOpt); cmd.Options.Add(maxInFlight); cmd.Options.Add(batchWindow); cmd.Options.Add(fundingOpt);
        cmd.Options.Add(dashboard);
        cmd.SetAction(async (pr, ct) =>
        {
            if (!IPEndPoint.TryParse(pr.GetValue(listen)!, out var ep)) { Console.Error.WriteLine($"--listen: '{pr.GetValue(listen)}' is not address:port"); return 2; }
            IPEndPoint? page = null;
            if (pr.GetValue(dashboard) is { } d && !IPEndPoint.TryParse(d, out page)) { Console.Error.WriteLine($"--dashboard: '{d}' is not address:port"); return 2; }
            if (page != null && page.Port != 0 && page.Port == ep.Port && page.Address.Equals(ep.Address)) { Console.Error.WriteLine("--dashboard: must be another port than --listen"); return 2; }
            var certPath = pr.GetValue(cert);
            DVV.ZkRisk.Crypto.Bls12381.VerifierCommittee? committee = null;
            if (pr.GetValue(committeeOpt) is { } cpath)
            {
                try { committee = DVV.ZkRisk.Crypto.Bls12381.VerifierCommittee.FromJson(File.ReadAllText(cpath)); }
                catch (Exception e) when (e is not OutOfMemoryException) { Console.Error.WriteLine($"error: --committee {cpath}: {e.Message}"); return 2; }
            }
            OperatorMarket market;
            try { market = OperatorMarket.Create(pr.GetValue(paramsOpt), pr.GetValue(marketOpt)); }
            catch (DVV.ZkRisk.Risk.RiskInputException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
            if (pr.GetValue(sealEvery) < 0) { Console.Error.WriteLine("error: --seal-every must be >= 0"); return 2; }
            if (pr.GetValue(maxInFlight) < 1) { Console.Error.WriteLine("error: --max-in-flight must be >= 1"); return 2; }
            if (!(pr.GetValue(batchWindow) is >= 0 and <= 1000)) { Console.Error.WriteLine("error: --batch-window-ms must be between 0 and 1000"); return 2; }
            var fundingPath = pr.GetValue(fundingOpt);
            IReadOnlyDictionary<string, string>? funding = null;
            if (fundingPath is not null)
            {
                try { funding = FundingSourcesFile.Load(fundingPath); }
                catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { Console.Error.WriteLine($"error: --funding-sources {e.Message}"); return 2; }
            }
            var onboarding = new List<DVV.ZkRisk.Crypto.Signing.Ed25519PublicKey>();
            foreach (var hex in pr.GetValue(onboardingOpt) ?? [])
            {
                if (!CliHex.TryParse(hex, 32, out var pkb, out var why) || !DVV.ZkRisk.Crypto.Signing.Ed25519PublicKey.TryFromBytes(pkb, out var pk))
                { Console.Error.WriteLine($"error: --onboarding-key {hex}: not an Ed25519 public key"); return 2; }
                onboarding.Add(pk!);
            }
            // the operator's bearer secret, next to the data (the server reads it or writes a fresh one, owner-only)
            var tokenFile = Path.Combine(pr.GetValue(data)!, "operator.token");
            int every = pr.GetValue(sealEvery);
            var o = new ZkRiskServerOptions
            {
                Listen = ep,
                Dashboard = page,
                DataDirectory = pr.GetValue(data)!,
                PostgresConnectionString = pr.GetValue(pg),
                Certificate = certPath == null ? null : X509CertificateLoader.LoadPkcs12FromFile(certPath, pr.GetValue(certPw)),
                Committee = committee,
                Parameters = market.ParametersFor,
                // the venue signs the governed parameters itself (a single-operator chain); onboarding as given
                Authorities = onboarding.Count == 0 ? null
                    : venueKey => new DVV.ZkRisk.Protocol.Trust.EpochAuthorities([venueKey], 1, onboarding, committee?.CommitteeId),
                SealEvery = every == 0 ? null : TimeSpan.FromSeconds(every),
                OnSealed = r => Console.WriteLine($"sealed epoch {r.Epoch}: {r.Traders} traders, {r.NewSubmissions} new submissions, bundle {Convert.ToHexStringLower(r.BundleHash)[..16]}..., {r.BundleBytes} bytes" + (r.Unvalued.Count == 0 ? "" : $", {r.Unvalued.Count} unvalued")),
                OperatorTokenFile = tokenFile,
                MaxInFlightSubmissions = pr.GetValue(maxInFlight),
                BatchWindow = TimeSpan.FromMilliseconds(pr.GetValue(batchWindow)),
                // re-read at each seal; a file that no longer reads keeps the last good ledger (a seal never fails on it)
                FundingSources = fundingPath is null ? null : () =>
                {
                    try { funding = FundingSourcesFile.Load(fundingPath); }
                    catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { Console.Error.WriteLine($"warning: --funding-sources {e.Message}; keeping the last one read"); }
                    return funding;
                },
            };
            ZkRiskServer server;
            try { server = await ZkRiskServer.StartAsync(o, ct); }
            catch (ArgumentException e) { Console.Error.WriteLine($"error: {tokenFile}: {e.Message}; delete it to have a new one written"); return 2; }
            catch (IOException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
            await using var _ = server;
            using (var self = new DVV.ZkRisk.Client.ZkRiskClient(server.Address, new DVV.ZkRisk.Client.ZkRiskClientOptions
                   { ServerCertificateValidation = certPath == null ? null : (_, _, _, _) => true }))
            {
                var info = await self.GetEpochInfoAsync(0, ct: ct);
                Console.WriteLine($"listening on {server.Address.ToString().TrimEnd('/')}");
                if (server.DashboardAddress is { } url) Console.WriteLine($"dashboard on {url}");
                Console.WriteLine($"store: {(pr.GetValue(pg) is null ? "sqlite under " + pr.GetValue(data) : "postgresql")}; operator token in {tokenFile}");
                Console.WriteLine($"epoch {info.Epoch} open; venue signing key {Convert.ToHexStringLower(info.VenueSigningPublicKey.Span)}");
            }
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
