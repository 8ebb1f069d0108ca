using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Venue.Publication;

/// <summary>An epoch changed status (opened, sealed with its bundle hash, published): what WatchEpochs streams.</summary>
internal sealed record EpochEvent(ulong Epoch, EpochStatus Status, ReadOnlyMemory<byte> BundleHash, long AtUnixMs);

/// <summary>One trader's Merkle inclusion in a sealed epoch: the leaf, its index among the leaves, the siblings bottom-up
/// and the root (the bundle's merkle_root).</summary>
internal sealed record TraderInclusion(ulong Epoch, byte[] Leaf, ulong LeafIndex, ulong LeafCount, IReadOnlyList<byte[]> Siblings, byte[] MerkleRoot);

/// <summary>A verifier's BLS12-381 attestation over a bundle hash as it arrives (G2 signature, G1 public key).</summary>
internal sealed record VerifierAttestation(ulong Epoch, ReadOnlyMemory<byte> BundleHash, uint VerifierIndex, ReadOnlyMemory<byte> BlsPublicKey, ReadOnlyMemory<byte> BlsSignature);

/// <summary>Where an epoch's attestations stand after one arrived: how many, the quorum, and once published the
/// aggregate signature and signer bitmap.</summary>
internal sealed record AttestationTally(uint Attestations, uint Quorum, bool Published, byte[]? AggregateSignature, byte[]? SignerBitmap);
