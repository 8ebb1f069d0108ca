using System.Buffers.Binary;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>
/// Reads one message of the proto3 wire format (protobuf.dev/programming-guides/encoding) for the protocol's decoders:
/// any field order, unknown fields skipped, repeated scalars packed or not, a later singular scalar replacing an earlier
/// one (what every protobuf parser accepts), but a singular sub-message twice is refused instead of merged. Varints of
/// more than 10 bytes, lengths past the end and truncated fields are refused naming <see cref="Path"/>. Bytes fields are
/// slices of the input, not copies.
/// </summary>
internal struct WireReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _pos;
    private int _wireType;
    private int _field;

    public WireReader(ReadOnlyMemory<byte> data, string path) { _data = data; Path = path; }

    /// <summary>The path of this message (the prefix of every field path it names).</summary>
    public string Path { get; }
    public int Field => _field;

    public string At(string name) => Path.Length == 0 ? name : Path + "." + name;
    public string At(string name, int index) => $"{At(name)}[{index}]";

    public WireDecodeException Error(string name, string reason) => new(At(name), reason);

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_pos >= _data.Length) return false;
        ulong tag = Varint("(tag)");
        _wireType = (int)(tag & 7);
        if (tag >> 3 is 0 or > int.MaxValue) throw new WireDecodeException(Path.Length == 0 ? "(message)" : Path, $"field number {tag >> 3} is not valid");
        _field = (int)(tag >> 3);
        return true;
    }

    private ulong Varint(string name)
    {
        var s = _data.Span;
        ulong v = 0;
        for (int shift = 0, i = 0; i < 10; i++, shift += 7)
        {
            if (_pos >= s.Length) throw Error(name, "truncated varint");
            byte b = s[_pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw Error(name, "varint longer than 10 bytes");
    }

    private void Expect(string name, int wireType)
    {
        if (_wireType != wireType) throw Error(name, $"wire type {_wireType}, expected {wireType}");
    }

    public ulong UInt64(string name) { Expect(name, 0); return Varint(name); }
    public uint UInt32(string name) => unchecked((uint)UInt64(name));
    public long Int64(string name) => unchecked((long)UInt64(name));
    public int Int32(string name) => unchecked((int)UInt64(name));
    public bool Bool(string name) => UInt64(name) != 0;

    public double Double(string name)
    {
        Expect(name, 1);
        if (_pos + 8 > _data.Length) throw Error(name, "truncated fixed64");
        var v = BinaryPrimitives.ReadDoubleLittleEndian(_data.Span.Slice(_pos, 8));
        _pos += 8;
        return v;
    }

    public ReadOnlyMemory<byte> Bytes(string name)
    {
        Expect(name, 2);
        ulong n = Varint(name);
        if (n > (ulong)(_data.Length - _pos)) throw Error(name, $"length {n} runs past the end of the message");
        var m = _data.Slice(_pos, (int)n);
        _pos += (int)n;
        return m;
    }

    public string String(string name)
    {
        var b = Bytes(name);
        try { return new System.Text.UTF8Encoding(false, true).GetString(b.Span); }
        catch (System.Text.DecoderFallbackException) { throw Error(name, "not UTF-8"); }
    }

    /// <summary>A sub-message as a reader whose path is <paramref name="path"/>.</summary>
    public WireReader Message(string name, string path) => new(Bytes(name), path);

    /// <summary>A singular sub-message; refuses a second occurrence (<paramref name="seen"/> tracks the first).</summary>
    public WireReader SingularMessage(string name, ref bool seen)
    {
        if (seen) throw Error(name, "appears twice");
        seen = true;
        return Message(name, At(name));
    }

    /// <summary>A repeated varint field, packed or one element (truncated to <typeparamref name="T"/> as protobuf parsers do).</summary>
    public void PackedVarint<T>(string name, List<T> into) where T : System.Numerics.IBinaryInteger<T> => Varints(name, v => into.Add(T.CreateTruncating(v)));

    public void PackedBool(string name, List<bool> into) => Varints(name, v => into.Add(v != 0));

    /// <summary>A repeated sint64 field (ZigZag varints), packed or one element.</summary>
    public void PackedSInt64(string name, List<long> into) => Varints(name, v => into.Add((long)(v >> 1) ^ -(long)(v & 1)));

    private void Varints(string name, Action<ulong> add)
    {
        if (_wireType == 0) { add(Varint(name)); return; }
        var r = new WireReader(Bytes(name), At(name)) { _wireType = 0 };
        while (r._pos < r._data.Length) add(r.Varint(name));
    }

    public void PackedDouble(string name, List<double> into)
    {
        if (_wireType == 1) { into.Add(Double(name)); return; }
        var b = Bytes(name);
        if (b.Length % 8 != 0) throw Error(name, $"packed doubles of {b.Length} bytes");
        for (int i = 0; i < b.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(b.Span.Slice(i, 8)));
    }

    /// <summary>Skips a field this decoder does not know (forward compatibility, as protobuf parsers do).</summary>
    public void Skip()
    {
        string name = $"(field {_field})";
        switch (_wireType)
        {
            case 0: Varint(name); break;
            case 1: if (_pos + 8 > _data.Length) throw Error(name, "truncated fixed64"); _pos += 8; break;
            case 2: Bytes(name); break;
            case 5: if (_pos + 4 > _data.Length) throw Error(name, "truncated fixed32"); _pos += 4; break;
            default: throw Error(name, $"wire type {_wireType} is not supported");
        }
    }
}
