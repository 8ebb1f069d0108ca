using DVV.ZkRisk.Api.V1;
using Grpc.Core;

namespace DVV.ZkRisk.Client;

/// <summary>
/// Reassembles a bundle from its parts (Epochs.GetEpochParts): the first part fixes epoch, hash and total length, which
/// must be within the client's bound before anything is allocated; every later part must continue it exactly; the
/// result must parse and carry the hash the parts named. A venue that lies about any of these gets a clear error.
/// </summary>
internal sealed class BundleAssembly(long maxBytes)
{
    private byte[]? _buffer;
    private byte[]? _hash;
    private ulong _at, _total, _epoch;

    public void Add(EpochBundlePart p)
    {
        if (_buffer is null)
        {
            if (p.TotalBytes > (ulong)maxBytes)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"bundle of epoch {p.Epoch} is {p.TotalBytes} bytes, above the client's limit {maxBytes}"));
            _buffer = new byte[p.TotalBytes];
            _hash = p.BundleHash.ToByteArray(); _total = p.TotalBytes; _epoch = p.Epoch;
        }
        if (p.Epoch != _epoch || p.TotalBytes != _total || !p.BundleHash.Span.SequenceEqual(_hash) || p.Offset != _at || _at + (ulong)p.Data.Length > _total)
            throw new RpcException(new Status(StatusCode.Internal, $"bundle part at offset {p.Offset} does not continue the parts received (expected offset {_at} of {_total}, epoch {_epoch})"));
        p.Data.Span.CopyTo(_buffer.AsSpan((int)_at));
        _at += (ulong)p.Data.Length;
    }

    /// <summary>The reassembled bundle, decoded once (<see cref="Protocol.Codec.WireCodec"/>); a bundle that does not decode
    /// throws <see cref="Protocol.Codec.WireDecodeException"/> naming the field (a verifier reports it as a finding).</summary>
    public Protocol.Records.EpochBundle Finish()
    {
        if (_buffer is null || _at != _total) throw new RpcException(new Status(StatusCode.Internal, $"bundle stream ended after {_at} of {_total} bytes"));
        var b = Protocol.Codec.WireCodec.DecodeBundle(_buffer);
        if (!b.BundleHash.Span.SequenceEqual(_hash)) throw new RpcException(new Status(StatusCode.Internal, "the reassembled bundle is not the bundle the parts named"));
        return b;
    }
}
