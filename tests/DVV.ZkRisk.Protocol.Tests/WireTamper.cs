using DVV.ZkRisk.Protocol.Codec;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Protocol.Verification;
using Google.Protobuf;
using V1 = DVV.ZkRisk.Api.V1;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>
/// Tampering as an attacker does it: on the wire. A record is encoded and parsed into the generated protobuf message
/// (Google.Protobuf, not our codec), changed there field by field, and handed back through <see cref="WireCodec"/>, the
/// same decoder the verifier, the gateway and `audit` read bytes with. A change the codec refuses (a non-canonical
/// point, a proof of the wrong length) therefore surfaces as the refusal a real verifier would report.
/// </summary>
internal static class WireTamper
{
    public static V1.EpochBundle Message(this EpochBundle b) => V1.EpochBundle.Parser.ParseFrom(WireCodec.Encode(b));
    public static V1.Submission Message(this Submission s) => V1.Submission.Parser.ParseFrom(WireCodec.Encode(s));
    public static V1.Opening Message(this Opening o) => V1.Opening.Parser.ParseFrom(WireCodec.Encode(o));
    public static V1.MarginNotice Message(this MarginNotice n) => V1.MarginNotice.Parser.ParseFrom(WireCodec.Encode(n));
    public static V1.ParameterSet Message(this EpochParameters p) => V1.ParameterSet.Parser.ParseFrom(WireCodec.Encode(p));

    public static EpochBundle Record(this V1.EpochBundle m) => WireCodec.DecodeBundle(m.ToByteArray());
    public static Submission Record(this V1.Submission m) => WireCodec.DecodeSubmission(m.ToByteArray(), "submission");
    public static Opening Record(this V1.Opening m) => WireCodec.DecodeOpening(m.ToByteArray(), "opening");
    public static MarginNotice Record(this V1.MarginNotice m) => WireCodec.DecodeNotice(m.ToByteArray());
    public static EpochParameters Record(this V1.ParameterSet m) => WireCodec.DecodeParameters(m.ToByteArray());

    /// <summary>A record's list with the element at <paramref name="at"/> replaced (records are tampered with `with`).</summary>
    public static IReadOnlyList<T> Replaced<T>(this IReadOnlyList<T> list, int at, T value) => [.. list.Select((x, i) => i == at ? value : x)];

    /// <summary>The bundle hash recomputed over the tampered content (a venue that tampers also re-hashes). A message the
    /// codec refuses keeps its hash: the refusal comes first.</summary>
    public static V1.EpochBundle Rehash(this V1.EpochBundle m)
    {
        try { m.BundleHash = ByteString.CopyFrom(BundleFormat.Hash(m.Record())); }
        catch (WireDecodeException) { }
        return m;
    }

    /// <summary>A record with its bundle hash recomputed over its content.</summary>
    public static EpochBundle Rehashed(this EpochBundle b) => b with { BundleHash = BundleFormat.Hash(b) };

    /// <summary>Verification of wire bytes: decoded by the codec, then checked; an undecodable bundle is the one finding
    /// naming its field, as `audit` and the committee verifier report it.</summary>
    public static VerificationResult Verify(this BundleVerifier v, V1.EpochBundle m, EpochState? parent, bool checkRangeProofs = true)
    {
        EpochBundle b;
        try { b = m.Record(); }
        catch (WireDecodeException e) { return VerificationResult.Undecodable(e); }
        return v.Verify(b, parent, checkRangeProofs);
    }

    /// <summary>The cell label of a wire aggregate, through the one definition (<see cref="BundleFormat.CellLabel"/>).</summary>
    public static string CellLabel(this V1.BandAggregate a) =>
        BundleFormat.CellLabel(new BandAggregate { Band = a.Band, ShockIndex = a.ShockIndex, IsShort = a.IsShort });

    public static V1.Commitment Wire(this Crypto.RistrettoPoint p) => new() { Point = new V1.CompressedRistretto { Data = ByteString.CopyFrom(p.ToBytes()) } };
}
