using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>SHA-256 over a domain tag and length-prefixed fields (u32 LE lengths, LE integers): the canonical
/// encoding every digest in the protocol uses, independent of protobuf serialisation.</summary>
internal sealed class CanonicalHash : IDisposable
{
    private readonly IncrementalHash _h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CanonicalHash(string domain) => Bytes(Encoding.ASCII.GetBytes(domain));

    public CanonicalHash Bytes(ReadOnlySpan<byte> b)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)b.Length);
        _h.AppendData(len);
        _h.AppendData(b);
        return this;
    }

    public CanonicalHash U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        _h.AppendData(b);
        return this;
    }

    public CanonicalHash I64(long v) => U64(unchecked((ulong)v));
    /// <summary>A u32 written as 8 little-endian bytes, like <see cref="U64"/>: the digests were frozen with this
    /// encoding (the method was called U32), so the bytes stay and the name says what they are.</summary>
    public CanonicalHash U32AsU64(uint v) => U64(v);

    public byte[] Finish() => _h.GetHashAndReset();
    public void Dispose() => _h.Dispose();
}
