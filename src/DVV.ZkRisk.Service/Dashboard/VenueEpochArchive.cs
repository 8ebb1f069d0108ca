using DVV.ZkRisk.Dashboard;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;

namespace DVV.ZkRisk.Service.Dashboard;

/// <summary>The venue's sealed bundles and aggregated attestations, read as Epochs/GetEpochParts and GetAttestation serve
/// them (the same cached canonical encoding), for the dashboard to re-verify.</summary>
internal sealed class VenueEpochArchive(EpochPipeline pipeline, EpochService epochs) : IEpochArchive
{
    public async Task<ulong> LatestSealedAsync(CancellationToken ct)
    {
        var latest = await epochs.LatestAsync(ct);
        if (latest is null) return 0;
        // the open epoch has no bundle; the one before it has one once its seal is stored
        for (ulong e = latest.Epoch; e >= 1 && e + 2 >= latest.Epoch; e--)
        {
            try { await pipeline.GetBundleBytesAsync(e); return e; }
            catch (GatewayException x) when (x.Error == GatewayError.NotFound) { }
        }
        return 0;
    }

    public async Task<byte[]> BundleBytesAsync(ulong epoch, CancellationToken ct) => (await pipeline.GetBundleBytesAsync(epoch)).Bytes;

    public async Task<byte[]?> AttestationAsync(ulong epoch, CancellationToken ct)
    {
        try { return (await pipeline.GetAttestationAsync(epoch, ct)).Aggregated; }
        catch (GatewayException x) when (x.Error == GatewayError.NotFound) { return null; }
    }
}
