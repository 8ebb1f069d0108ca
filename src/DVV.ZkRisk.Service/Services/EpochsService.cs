using System.Threading.Channels;
using DVV.ZkRisk.Api;
using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Venue.Gateway;
using DVV.ZkRisk.Venue.Publication;
using EpochEvent = DVV.ZkRisk.Api.V1.EpochEvent;
using Google.Protobuf;
using Grpc.Core;

namespace DVV.ZkRisk.Service.Services;

/// <summary>dvv.zkrisk.v1.Epochs: sealed bundles (whole or in parts), epoch events, Merkle inclusion proofs, the
/// published attestations and the committee registry.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindEpochs))]
internal sealed class EpochsService(EpochService epochs, EpochPipeline pipeline, ServerLimits limits) : Api.V1.Epochs.EpochsBase
{
    public const int DefaultPartBytes = 1 << 20, MinPartBytes = 64 << 10, MaxPartBytes = 4 << 20;
    /// <summary>Room for a part's own fields (epoch, hash, lengths, offset) under the server's message limit.</summary>
    public const int PartOverhead = 256;

    public override async Task<EpochBundle> GetEpoch(GetEpochRequest request, ServerCallContext context) =>
        EpochBundle.Parser.ParseFrom((await pipeline.GetBundleBytesAsync(request.Epoch)).Bytes);

    public override async Task<InclusionProof> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        var i = await pipeline.GetInclusionProofAsync(request.Epoch, request.TraderPublicKey.Memory);
        var r = new InclusionProof
        {
            Epoch = i.Epoch, Leaf = ByteString.CopyFrom(i.Leaf), LeafIndex = i.LeafIndex, LeafCount = i.LeafCount, MerkleRoot = ByteString.CopyFrom(i.MerkleRoot),
        };
        foreach (var x in i.Siblings) r.Siblings.Add(ByteString.CopyFrom(x));
        return r;
    }

    public override async Task<PublishedAttestation> GetAttestation(GetAttestationRequest request, ServerCallContext context)
    {
        var (epoch, hash, aggregated) = await pipeline.GetAttestationAsync(request.Epoch, context.CancellationToken);
        return new PublishedAttestation { Epoch = epoch, BundleHash = ByteString.CopyFrom(hash), Aggregated = ByteString.CopyFrom(aggregated) };
    }

    public override Task<CommitteeRegistry> GetCommittee(GetCommitteeRequest request, ServerCallContext context) =>
        pipeline.Committee is { } c
            ? Task.FromResult(new CommitteeRegistry { RegistryJson = c.ToJson(), CommitteeId = ByteString.CopyFrom(c.CommitteeId) })
            : throw new RpcException(new Status(StatusCode.FailedPrecondition, "committee: no verifier committee is configured on this venue"));

    /// <summary>A bundle's canonical encoding in contiguous parts (the encoding is built once per bundle and cached), each
    /// at most the requested size and below the server's message limit.</summary>
    public override async Task GetEpochParts(GetEpochPartsRequest request, IServerStreamWriter<EpochBundlePart> responseStream, ServerCallContext context)
    {
        if (request.PartBytes != 0 && (request.PartBytes < MinPartBytes || request.PartBytes > MaxPartBytes))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"part_bytes: {request.PartBytes} is outside {MinPartBytes}..{MaxPartBytes}"));
        int cap = limits.MaxSendMessageSize - PartOverhead;
        int size = Math.Max(1024, Math.Min(request.PartBytes == 0 ? DefaultPartBytes : (int)request.PartBytes, cap));
        var (epoch, hash, bytes) = await pipeline.GetBundleBytesAsync(request.Epoch);
        var h = ByteString.CopyFrom(hash);
        for (int off = 0; off < bytes.Length || off == 0; off += size)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(size, bytes.Length - off);
            await responseStream.WriteAsync(new EpochBundlePart
            {
                Epoch = epoch, BundleHash = h, TotalBytes = (ulong)bytes.Length, Offset = (ulong)off, Data = ByteString.CopyFrom(bytes, off, n),
            });
            if (bytes.Length == 0) break;
        }
    }

    /// <summary>The state of every epoch from from_epoch (0: the latest) on, then changes as they happen.</summary>
    public override async Task WatchEpochs(WatchEpochsRequest request, IServerStreamWriter<EpochEvent> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var ch = Channel.CreateUnbounded<Venue.Publication.EpochEvent>();
        using var sub = epochs.Subscribe(e => ch.Writer.TryWrite(e));
        var latest = await epochs.LatestAsync(ct) ?? throw new RpcException(new Status(StatusCode.NotFound, "no epoch exists yet"));
        ulong from = request.FromEpoch == 0 ? latest.Epoch : request.FromEpoch;
        if (from > latest.Epoch) throw new RpcException(new Status(StatusCode.NotFound, $"from_epoch: epoch {from} is unknown (latest is {latest.Epoch})"));
        ulong sentUpTo = 0;
        for (ulong e = from; e <= latest.Epoch; e++)
        {
            var info = await epochs.GetInfoAsync(e, ct);
            await responseStream.WriteAsync(new EpochEvent { Epoch = e, Status = info.Status.ToMessage(), AtUnixMs = info.OpenedAtUnixMs });
            sentUpTo = e;
        }
        try
        {
            await foreach (var ev in ch.Reader.ReadAllAsync(ct))
            {
                if (ev.Epoch < from || (ev.Epoch <= sentUpTo && ev.Status == Protocol.Records.EpochStatus.Open)) continue;
                await responseStream.WriteAsync(new EpochEvent { Epoch = ev.Epoch, Status = ev.Status.ToMessage(), BundleHash = ByteString.CopyFrom(ev.BundleHash.Span), AtUnixMs = ev.AtUnixMs });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { /* the client went away or its deadline passed */ }
    }
}

/// <summary>The message limits the host configured (bundle parts are cut below the send limit).</summary>
internal sealed record ServerLimits(int MaxReceiveMessageSize, int MaxSendMessageSize);
