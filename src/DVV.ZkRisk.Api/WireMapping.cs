using DVV.ZkRisk.Protocol.Codec;
using Google.Protobuf;
using R = DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Api;

/// <summary>
/// The one crossing between the gRPC messages (protos/dvv/zkrisk/v1, compiled here) and the protocol's records: a
/// message is turned into its bytes and decoded by <see cref="WireCodec"/>, the single decoder (points and scalars
/// decoded canonically once, a refusal naming the field path as <see cref="WireDecodeException"/>); a record is encoded
/// canonically and parsed into the message. The messages never travel further than the service and the client.
/// </summary>
public static class WireMapping
{
    private static T Parse<T>(MessageParser<T> parser, byte[] bytes) where T : IMessage<T> => parser.ParseFrom(bytes);

    public static R.Submission ToRecord(this V1.Submission m, string path = "") => WireCodec.DecodeSubmission(m.ToByteArray(), path);
    public static V1.Submission ToMessage(this R.Submission r) => Parse(V1.Submission.Parser, WireCodec.Encode(r));

    public static R.Receipt ToRecord(this V1.Receipt m) => WireCodec.DecodeReceipt(m.ToByteArray());
    public static V1.Receipt ToMessage(this R.Receipt r) => Parse(V1.Receipt.Parser, WireCodec.Encode(r));

    public static R.Admission ToRecord(this V1.Admission m) => WireCodec.DecodeAdmission(m.ToByteArray());
    public static V1.Admission ToMessage(this R.Admission r) => Parse(V1.Admission.Parser, WireCodec.Encode(r));

    public static R.EpochParameters ToRecord(this V1.ParameterSet m) => WireCodec.DecodeParameters(m.ToByteArray());
    public static V1.ParameterSet ToMessage(this R.EpochParameters r) => Parse(V1.ParameterSet.Parser, WireCodec.Encode(r));

    public static R.EpochBundle ToRecord(this V1.EpochBundle m) => WireCodec.DecodeBundle(m.ToByteArray());
    public static V1.EpochBundle ToMessage(this R.EpochBundle r) => Parse(V1.EpochBundle.Parser, WireCodec.Encode(r));

    public static R.MarginNotice ToRecord(this V1.MarginNotice m) => WireCodec.DecodeNotice(m.ToByteArray());
    public static V1.MarginNotice ToMessage(this R.MarginNotice r) => Parse(V1.MarginNotice.Parser, WireCodec.Encode(r));

    public static R.MarginNoticeRequest ToRecord(this V1.GetMarginNoticeRequest m) => WireCodec.DecodeNoticeRequest(m.ToByteArray());
    public static V1.GetMarginNoticeRequest ToMessage(this R.MarginNoticeRequest r) => Parse(V1.GetMarginNoticeRequest.Parser, WireCodec.Encode(r));

    public static R.EpochInfo ToRecord(this V1.EpochInfo m) => WireCodec.DecodeEpochInfo(m.ToByteArray());
    public static V1.EpochInfo ToMessage(this R.EpochInfo r) => Parse(V1.EpochInfo.Parser, WireCodec.Encode(r));

    public static V1.EpochStatus ToMessage(this R.EpochStatus s) => (V1.EpochStatus)(int)s;
    public static R.EpochStatus ToRecord(this V1.EpochStatus s) => (R.EpochStatus)(int)s;
}
