using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Proofs;
using DVV.ZkRisk.Protocol.Records;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>
/// The typed leaves of the wire: a commitment (dvv.zkrisk.v1.Commitment { CompressedRistretto point { bytes data } }),
/// a scalar (dvv.zkrisk.v1.Scalar { bytes data } or bare 32 bytes) and the proofs, each decoded once with canonical
/// encodings only, the refusal naming the field.
/// </summary>
internal static class FieldDecoding
{
    /// <summary>The 32 bytes inside one commitment message (not yet decoded: <see cref="Points"/> does it in batch).</summary>
    public static ReadOnlyMemory<byte> CommitmentBytes(ref WireReader r, string name, int index)
    {
        var outer = new WireReader(r.Bytes(name), r.At(name, index));
        ReadOnlyMemory<byte> data = default;
        bool seen = false;
        while (outer.Next())
            if (outer.Field == 1) data = Data(outer.SingularMessage("point", ref seen));
            else outer.Skip();
        return data;
    }

    /// <summary>The one field of a { bytes data = 1 } wrapper (CompressedRistretto, Scalar).</summary>
    private static ReadOnlyMemory<byte> Data(WireReader m)
    {
        ReadOnlyMemory<byte> data = default;
        while (m.Next()) { if (m.Field == 1) data = m.Bytes("data"); else m.Skip(); }
        return data;
    }

    /// <summary>Decodes every collected encoding four at a time (<see cref="RistrettoBatchDecoder"/>); a bad one is decoded
    /// again alone for the reason.</summary>
    public static Commitment[] Points(List<ReadOnlyMemory<byte>> encodings, string path)
    {
        int n = encodings.Count;
        if (n == 0) return [];
        var points = new RistrettoPoint[n];
        var enc = new byte[32 * n];
        for (int i = 0; i < n; i++)
        {
            if (encodings[i].Length != 32) throw new WireDecodeException($"{path}[{i}]", $"point must be 32 bytes, got {encodings[i].Length}");
            encodings[i].Span.CopyTo(enc.AsSpan(32 * i, 32));
        }
        var valid = new bool[n];
        if (RistrettoBatchDecoder.Decode(enc, points, valid) != n)
            for (int i = 0; i < n; i++)
                if (!valid[i]) points[i] = Point(encodings[i].Span, $"{path}[{i}]");
        var result = new Commitment[n];
        for (int i = 0; i < n; i++) result[i] = Commitment.Decoded(points[i], enc.AsSpan(32 * i, 32).ToArray());
        return result;
    }

    /// <summary>One canonical point (the proof system's decoding and its reasons), refused naming <paramref name="path"/>.</summary>
    public static RistrettoPoint Point(ReadOnlySpan<byte> b, string path)
    {
        try { return RistrettoProofSystem.DecodePoint(b); }
        catch (ProofEncodingException e) { throw new WireDecodeException(path, e.Reason); }
    }

    /// <summary>One canonical scalar (&lt; l), refused naming <paramref name="path"/>.</summary>
    public static Scalar Scalar(ReadOnlySpan<byte> b, string path)
    {
        try { return RistrettoProofSystem.DecodeScalar(b); }
        catch (ProofEncodingException e) { throw new WireDecodeException(path, e.Reason); }
    }

    /// <summary>One dvv.zkrisk.v1.Scalar message.</summary>
    public static Scalar ScalarMessage(ref WireReader r, string name, int index)
    {
        string path = r.At(name, index);
        return Scalar(Data(new WireReader(r.Bytes(name), path)).Span, path);
    }

    /// <summary>A singular dvv.zkrisk.v1.Scalar field.</summary>
    public static Scalar ScalarMessage(ref WireReader r, string name)
    {
        string path = r.At(name);
        return Scalar(Data(new WireReader(r.Bytes(name), path)).Span, path);
    }

    public delegate T SpanParse<T>(ReadOnlySpan<byte> bytes);

    /// <summary>A proof's bytes parsed by its own decoder; null when the field is empty (a missing proof is the verifier's finding).</summary>
    public static T? Proof<T>(ReadOnlyMemory<byte> b, string path, SpanParse<T> parse) where T : class
    {
        if (b.IsEmpty) return null;
        try { return parse(b.Span); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new WireDecodeException(path, "does not decode: " + e.Message); }
    }
}
