using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Venue.Storage;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>The venue's long-term Ed25519 key (receipts, margin notices; pinned in the governed parameters). Kept in the
/// store (first replica to start creates it), so every replica sharing a PostgreSQL store signs with the same key.
/// The HPKE keys openings are sealed to are per epoch and destroyed when the epoch closes (<see cref="EpochService.HpkeKeyAsync"/>).</summary>
internal sealed class VenueKeys(Ed25519PrivateKey signing)
{
    public Ed25519PrivateKey Signing { get; } = signing;

    public static async Task<VenueKeys> LoadOrCreateAsync(IStore store, CancellationToken ct = default)
    {
        var seed = await store.GetOrAddMetaAsync("venue.ed25519.seed", Ed25519PrivateKey.Generate().ToSeed(), ct);
        return new VenueKeys(Ed25519PrivateKey.FromSeed(seed));
    }
}
