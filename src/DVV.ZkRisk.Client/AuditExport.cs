using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Sealing;
using Grpc.Core;

namespace DVV.ZkRisk.Client;

/// <summary>
/// Writes a venue's published chain as an audit directory over the public API, so that any venue (not only the demo)
/// can be audited offline with `dvv-zk audit`: every bundle from the checkpoint at or before the first epoch asked for
/// up to the latest published epoch (fetched in parts and checked against its content hash by <see cref="BundleAssembly"/>),
/// each published epoch's aggregated attestation (its bundle hash must be the bundle's) and the committee registry.
/// Files are written to a temporary name and moved into place, so an interrupted export leaves no half-written file.
/// The export proves nothing by itself: the audit checks everything and the auditor pins the governance.
/// </summary>
public static class AuditExport
{
    public sealed record Result(ulong FirstEpoch, ulong LastEpoch, int Bundles, int Attestations, long Bytes, bool Committee);

    public static async Task<Result> WriteAsync(ZkRiskClient client, string directory, ulong fromEpoch = 1,
        IProgress<(ulong Epoch, ulong Last)>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Directory.CreateDirectory(directory);
        var latest = await client.GetAttestationAsync(0, ct: ct);   // NOT_FOUND: nothing published yet
        ulong last = latest.Epoch;
        if (fromEpoch == 0 || fromEpoch > last) throw new ArgumentOutOfRangeException(nameof(fromEpoch), $"{fromEpoch} is not a published epoch (1..{last})");
        // the audit folds from a checkpoint: start at the one the first epoch builds on
        var first = await client.GetEpochAsync(fromEpoch, ct: ct);
        ulong start = first.Checkpoint ? fromEpoch : first.CheckpointEpoch;
        int bundles = 0, attestations = 0;
        long bytes = 0;
        for (ulong e = start; e <= last; e++)
        {
            ct.ThrowIfCancellationRequested();
            var b = e == fromEpoch ? first : await client.GetEpochAsync(e, ct: ct);
            var encoded = Protocol.Codec.WireCodec.Encode(b);
            await WriteFileAsync(Path.Combine(directory, BundleFormat.FileName(e)), encoded, ct);
            bundles++; bytes += encoded.Length;
            try
            {
                var a = e == last ? latest : await client.GetAttestationAsync(e, ct: ct);
                var agg = AggregatedAttestation.FromBytes(a.Aggregated.Span);
                if (agg.Epoch != e || !agg.BundleHash.AsSpan().SequenceEqual(b.BundleHash.Span))
                    throw new InvalidDataException($"the venue's attestation of epoch {e} is for another epoch or bundle");
                await WriteFileAsync(Path.Combine(directory, BundleFormat.AttestationFileName(e)), a.Aggregated.ToByteArray(), ct);
                attestations++;
            }
            catch (RpcException x) when (x.StatusCode == StatusCode.NotFound) { /* sealed, never published: the audit says so */ }
            progress?.Report((e, last));
        }
        bool committee = false;
        try
        {
            var c = await client.GetCommitteeAsync(ct: ct);
            await WriteFileAsync(Path.Combine(directory, BundleFormat.CommitteeFileName), System.Text.Encoding.UTF8.GetBytes(c.RegistryJson), ct);
            committee = true;
        }
        catch (RpcException x) when (x.StatusCode == StatusCode.FailedPrecondition) { /* the venue runs without a committee */ }
        return new Result(start, last, bundles, attestations, bytes, committee);
    }

    private static async Task WriteFileAsync(string path, byte[] data, CancellationToken ct)
    {
        var tmp = path + ".partial";
        await File.WriteAllBytesAsync(tmp, data, ct);
        File.Move(tmp, path, overwrite: true);
    }
}
