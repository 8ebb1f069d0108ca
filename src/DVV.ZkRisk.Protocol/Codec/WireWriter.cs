using System.Buffers.Binary;
using System.Text;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>
/// The protocol's canonical encoding: the proto3 wire format (protobuf.dev/programming-guides/encoding) written one way
/// only: fields in number order, scalars equal to their default omitted (a double is omitted when it compares equal to
/// 0, as protobuf's encoders do, so -0.0 is written as nothing), repeated scalars packed, sub-messages length-prefixed
/// with the shortest varint. These are the bytes the bundle hash, the parameter hash and the sealed opening are defined
/// over; they equal Google.Protobuf's encoding of the same message (tests/DVV.ZkRisk.Protocol.Tests/WireEncodingTests,
/// with Google.Protobuf as the oracle). The protocol owns this writer, instead of calling a protobuf library, because
/// protobuf promises no canonical serialization across implementations or versions while a hash needs one, and because
/// a trader or an auditor needs no gRPC stack to build or check a bundle.
/// </summary>
internal sealed class WireWriter
{
    private byte[] _buf;
    private int _len;

    public WireWriter(int capacity = 256) => _buf = new byte[Math.Max(16, capacity)];

    public int Length => _len;
    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _len);
    public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();

    private Span<byte> Reserve(int n)
    {
        if (_len + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
        var s = _buf.AsSpan(_len, n);
        _len += n;
        return s;
    }

    public static int VarintSize(ulong v) { int n = 1; while (v >= 0x80) { v >>= 7; n++; } return n; }

    private void Varint(ulong v)
    {
        var s = Reserve(VarintSize(v));
        int i = 0;
        while (v >= 0x80) { s[i++] = (byte)(v | 0x80); v >>= 7; }
        s[i] = (byte)v;
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    public void UInt64(int field, ulong v) { if (v == 0) return; Tag(field, 0); Varint(v); }
    public void UInt32(int field, uint v) => UInt64(field, v);
    /// <summary>int32 and int64 are written as the 64-bit two's complement varint (a negative value takes 10 bytes).</summary>
    public void Int64(int field, long v) => UInt64(field, unchecked((ulong)v));
    public void Int32(int field, int v) => Int64(field, v);
    public void Bool(int field, bool v) => UInt64(field, v ? 1UL : 0UL);

    public void Double(int field, double v)
    {
        if (v == 0) return;
        Tag(field, 1);
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), v);
    }

    public void Bytes(int field, ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty) return;
        RepeatedBytes(field, v);
    }

    /// <summary>One element of a repeated bytes field: written even when empty.</summary>
    public void RepeatedBytes(int field, ReadOnlySpan<byte> v)
    {
        Tag(field, 2);
        Varint((ulong)v.Length);
        v.CopyTo(Reserve(v.Length));
    }

    public void String(int field, string? v)
    {
        if (string.IsNullOrEmpty(v)) return;
        Bytes(field, Encoding.UTF8.GetBytes(v));
    }

    /// <summary>A packed repeated unsigned varint field (uint32, uint64).</summary>
    public void PackedVarint<T>(int field, ReadOnlySpan<T> vs) where T : System.Numerics.IUnsignedNumber<T>, System.Numerics.IBinaryInteger<T>
    {
        if (vs.IsEmpty) return;
        int n = 0;
        foreach (var v in vs) n += VarintSize(ulong.CreateTruncating(v));
        Tag(field, 2); Varint((ulong)n);
        foreach (var v in vs) Varint(ulong.CreateTruncating(v));
    }

    /// <summary>A packed repeated sint64 field (ZigZag varints, protobuf encoding guide "Signed Integers").</summary>
    public void PackedSInt64(int field, ReadOnlySpan<long> vs)
    {
        if (vs.IsEmpty) return;
        int n = 0;
        foreach (var v in vs) n += VarintSize(ZigZag(v));
        Tag(field, 2); Varint((ulong)n);
        foreach (var v in vs) Varint(ZigZag(v));
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    public void PackedBool(int field, ReadOnlySpan<bool> vs)
    {
        if (vs.IsEmpty) return;
        Tag(field, 2); Varint((ulong)vs.Length);
        var s = Reserve(vs.Length);
        for (int i = 0; i < vs.Length; i++) s[i] = vs[i] ? (byte)1 : (byte)0;
    }

    public void PackedDouble(int field, ReadOnlySpan<double> vs)
    {
        if (vs.IsEmpty) return;
        Tag(field, 2); Varint((ulong)(8 * vs.Length));
        var s = Reserve(8 * vs.Length);
        for (int i = 0; i < vs.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(s[(8 * i)..], vs[i]);
    }

    /// <summary>A sub-message: its tag, then its body written by <paramref name="body"/>, then the body's length moved in
    /// front of it (one byte is reserved; a longer length shifts the body once).</summary>
    public void Message<T>(int field, T value, Action<WireWriter, T> body)
    {
        Tag(field, 2);
        int at = _len;
        Reserve(1);
        int start = _len;
        body(this, value);
        int n = _len - start;
        int size = VarintSize((ulong)n);
        if (size > 1)
        {
            Reserve(size - 1);
            _buf.AsSpan(start, n).CopyTo(_buf.AsSpan(start + size - 1));
        }
        ulong v = (ulong)n;
        int i = at;
        while (v >= 0x80) { _buf[i++] = (byte)(v | 0x80); v >>= 7; }
        _buf[i] = (byte)v;
    }

    /// <summary>An optional sub-message: nothing when null (an empty present message is still written, as protobuf does).</summary>
    public void OptionalMessage<T>(int field, T? value, Action<WireWriter, T> body) where T : class
    {
        if (value is not null) Message(field, value, body);
    }
}
