using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>
/// The protocol's records to and from their wire bytes (protos/dvv/zkrisk/v1), the one place where bytes become typed
/// values: points and scalars are decoded here, canonically, once, and a refusal names the field path
/// (<see cref="WireDecodeException"/>). Encodings are canonical (<see cref="WireWriter"/>) and equal to any protobuf
/// library's encoding of the same message; the gRPC edge maps its messages through these.
/// </summary>
public static class WireCodec
{
    private static byte[] Encode<T>(T value, Action<WireWriter, T> write, int capacity = 256)
    {
        var w = new WireWriter(capacity);
        write(w, value);
        return w.ToArray();
    }

    public static byte[] Encode(Submission s) => Encode(s, SubmissionWire.Write, 16 << 10);
    public static byte[] Encode(Opening o) => Encode(o, SubmissionWire.Write, 8 << 10);
    public static byte[] Encode(Receipt r) => Encode(r, SubmissionWire.Write);
    public static byte[] Encode(Admission a) => Encode(a, SubmissionWire.Admission);
    public static byte[] Encode(EpochParameters p) => Encode(p, ParameterWire.Write, 4 << 10);
    public static byte[] Encode(EpochBundle b) => Encode(b, BundleWire.Write, 64 << 10);
    public static byte[] Encode(MarginNotice n) => Encode(n, NoticeWire.Write, 4 << 10);
    public static byte[] Encode(MarginNoticeRequest q) => Encode(q, NoticeWire.Write);
    public static byte[] Encode(EpochInfo i) => Encode(i, NoticeWire.Write, 8 << 10);

    /// <summary>The encoding of <paramref name="b"/> with bundle_hash empty (what the bundle hash is over) and the offset at
    /// which field 11 goes once the hash is known.</summary>
    internal static byte[] EncodeUnhashed(EpochBundle b, out int hashAt)
    {
        var w = new WireWriter(64 << 10);
        BundleWire.Write(w, b with { BundleHash = default }, out hashAt);
        return w.ToArray();
    }

    /// <summary>Size of the canonical encoding.</summary>
    public static int Size(EpochBundle b) { var w = new WireWriter(64 << 10); BundleWire.Write(w, b); return w.Length; }
    public static int Size(Opening o) { var w = new WireWriter(8 << 10); SubmissionWire.Write(w, o); return w.Length; }

    public static Submission DecodeSubmission(ReadOnlyMemory<byte> bytes, string path = "") => SubmissionWire.ReadSubmission(new WireReader(bytes, path));
    public static Opening DecodeOpening(ReadOnlyMemory<byte> bytes, string path = "") => SubmissionWire.ReadOpening(new WireReader(bytes, path));
    public static Receipt DecodeReceipt(ReadOnlyMemory<byte> bytes, string path = "") => SubmissionWire.ReadReceipt(new WireReader(bytes, path));
    public static Admission DecodeAdmission(ReadOnlyMemory<byte> bytes, string path = "") => SubmissionWire.ReadAdmission(new WireReader(bytes, path));
    public static EpochParameters DecodeParameters(ReadOnlyMemory<byte> bytes, string path = "") => ParameterWire.Read(new WireReader(bytes, path));
    public static EpochBundle DecodeBundle(ReadOnlyMemory<byte> bytes, string path = "") => BundleWire.Read(new WireReader(bytes, path));
    public static MarginNotice DecodeNotice(ReadOnlyMemory<byte> bytes, string path = "") => NoticeWire.Read(new WireReader(bytes, path));
    public static MarginNoticeRequest DecodeNoticeRequest(ReadOnlyMemory<byte> bytes, string path = "") => NoticeWire.ReadRequest(new WireReader(bytes, path));
    public static EpochInfo DecodeEpochInfo(ReadOnlyMemory<byte> bytes, string path = "") => NoticeWire.ReadInfo(new WireReader(bytes, path));
}
