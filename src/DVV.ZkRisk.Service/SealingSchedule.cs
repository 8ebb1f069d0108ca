using DVV.ZkRisk.Venue.Publication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DVV.ZkRisk.Service;

/// <summary>Seals the open epoch every <see cref="ZkRiskServerOptions.SealEvery"/>; a failed seal is logged and retried
/// at the next tick (the epoch stays open, nothing acknowledged is lost).</summary>
internal sealed class SealingSchedule(EpochPipeline pipeline, ZkRiskServerOptions options, ILogger<SealingSchedule> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SealEvery is not { } every || every <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var r = await pipeline.SealOpenEpochAsync(stoppingToken);
                    log.LogInformation("sealed epoch {Epoch}: {Traders} traders, {New} new submissions, bundle {Hash}, {Bytes} bytes",
                        r.Bundle.Epoch, r.Bundle.TraderCount, r.NewSubmissions, Convert.ToHexStringLower(r.Bundle.BundleHash.Span)[..16], r.BundleBytes);
                    options.OnSealed?.Invoke(new SealedEpoch(r.Bundle.Epoch, r.Bundle.BundleHash.ToArray(), r.BundleBytes, (int)r.Bundle.TraderCount, r.NewSubmissions, r.Bundle.Unvalued.Select(u => Convert.ToHexStringLower(u.TraderPublicKey.Span)).ToList()));
                }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "seal failed; the epoch stays open"); }
            }
        }
        catch (OperationCanceledException) { }
    }
}
