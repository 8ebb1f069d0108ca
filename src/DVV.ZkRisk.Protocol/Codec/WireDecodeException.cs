namespace DVV.ZkRisk.Protocol.Codec;

/// <summary>Bytes that are not an encoding of a protocol record: <see cref="Field"/> is the path of the offending field in
/// the wire schema's names (e.g. <c>submissions[3].short_commitments[5]</c>), <see cref="Reason"/> what is wrong with it.</summary>
public sealed class WireDecodeException(string field, string reason) : FormatException($"{field}: {reason}")
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
