using DVV.ZkRisk.Venue.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DVV.ZkRisk.Service;

/// <summary>grpc.health.v1 reports NOT_SERVING when the store cannot answer a read within two seconds: a venue that
/// cannot store acknowledged submissions must not take them.</summary>
internal sealed class StoreHealthCheck(IStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await store.GetLatestEpochAsync(cts.Token);
            return HealthCheckResult.Healthy($"{store.Backend} store answers");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy($"{store.Backend} store: {e.GetType().Name}");
        }
    }
}
