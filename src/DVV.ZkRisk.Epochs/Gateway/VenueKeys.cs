using DVV.ZkRisk.Crypto.Hpke;
using DVV.ZkRisk.Crypto.Signing;
using DVV.ZkRisk.Epochs.Storage;

namespace DVV.ZkRisk.Epochs.Gateway;

/// <summary>The venue's Ed25519 receipt key and X25519 HPKE key. Kept in the store (first replica to start creates
/// them), so every replica sharing a PostgreSQL store signs and opens with the same keys.</summary>
public sealed class VenueKeys(Ed25519PrivateKey signing, HpkeKeyPair hpke)
{
    public Ed25519PrivateKey Signing { get; } = signing;
    public HpkeKeyPair Hpke { get; } = hpke;

    public static async Task<VenueKeys> LoadOrCreateAsync(IStore store, CancellationToken ct = default)
    {
        var seed = await store.GetOrAddMetaAsync("venue.ed25519.seed", Ed25519PrivateKey.Generate().ToSeed(), ct);
        var sk = await store.GetOrAddMetaAsync("venue.x25519.private", HpkeKeyPair.Generate().PrivateKey, ct);
        return new VenueKeys(Ed25519PrivateKey.FromSeed(seed), HpkeKeyPair.FromPrivateKey(sk));
    }
}
