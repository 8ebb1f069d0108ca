using System.Buffers.Binary;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Submissions;

using Scalar = DVV.ZkRisk.Crypto.Scalar;


namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>The canonical pieces of an epoch bundle: its content hash, cell labels, Merkle leaves, file names.</summary>
public static class BundleFormat
{
    public const string BundleDomain = DomainLabels.Bundle;
    public static readonly byte[] GenesisHash = new byte[32];

    /// <summary>SHA-256 over the domain and the canonical encoding (<see cref="Codec.WireCodec"/>) of the bundle with
    /// bundle_hash empty: the bytes protobuf's encoders write for the same message, so bundles of every earlier main keep
    /// their hash.</summary>
    public static byte[] Hash(EpochBundle b) => HashOf(Codec.WireCodec.EncodeUnhashed(b, out _));

    private static byte[] HashOf(ReadOnlySpan<byte> unhashed)
    {
        using var h = new CanonicalHash(BundleDomain);
        h.Bytes(unhashed);
        return h.Finish();
    }

    /// <summary>The bundle hash and the bundle's final encoding from one encoding pass (a 10,000-trader checkpoint is
    /// hundreds of MB): the hashed bytes are the encoding with bundle_hash empty, which proto3 omits, so the final encoding
    /// is those bytes with field 11 (tag 0x5a, length 32, the hash) spliced in where number order puts it.</summary>
    internal static (byte[] Hash, byte[] Encoding) HashAndEncode(EpochBundle b)
    {
        var unhashed = Codec.WireCodec.EncodeUnhashed(b, out int at);
        var hash = HashOf(unhashed);
        var encoding = new byte[unhashed.Length + 2 + hash.Length];
        unhashed.AsSpan(0, at).CopyTo(encoding);
        encoding[at] = (11 << 3) | 2;
        encoding[at + 1] = (byte)hash.Length;
        hash.CopyTo(encoding, at + 2);
        unhashed.AsSpan(at).CopyTo(encoding.AsSpan(at + 2 + hash.Length));
        return (hash, encoding);
    }

    public static string ShortCell(int band) => $"S/b={band}";
    public static string LongCell(int band) => $"L/b={band}";
    public static string LsvCell(int shock, int band) => $"LSV/s={shock}/b={band}";

    public static string CellLabel(BandAggregate a) =>
        a.ShockIndex >= 0 ? LsvCell(a.ShockIndex, (int)a.Band) : a.IsShort ? ShortCell((int)a.Band) : LongCell((int)a.Band);

    /// <summary>The label of a cell's contributor count (the sum of its indicator commitments).</summary>
    public static string CountLabel(string cellLabel) => "N/" + cellLabel;
    /// <summary>The label of a shock's withheld remainder.</summary>
    public static string WithheldLabel(int shock) => $"W/s={shock}";

    /// <summary>Fixed-point scale of the LSF weights: w_sb = round(h_b(s) * 2^16).</summary>
    public const int LsfWeightScale = 1 << 16;

    public static UInt128 U128(ReadOnlySpan<byte> le16) => le16.Length == 16 ? BinaryPrimitives.ReadUInt128LittleEndian(le16) : throw new FormatException($"a u128 value is 16 bytes, got {le16.Length}");
    public static byte[] U128Bytes(UInt128 v) { var b = new byte[16]; BinaryPrimitives.WriteUInt128LittleEndian(b, v); return b; }

    /// <summary>Digest of one trader's selection parts (every shock, in order) and their issuance.</summary>
    public static byte[] SelectionDigest(IReadOnlyList<SelectionPart> parts)
    {
        using var h = new CanonicalHash(DomainLabels.SelectionSet);
        h.U32AsU64((uint)parts.Count);
        foreach (var p in parts)
        {
            h.U32AsU64(p.ShockIndex).U64(p.IssuedEpoch).Bytes(p.IssuedParameterHash.Span).U32AsU64((uint)p.Selected.Count);
            foreach (var d in p.Selected) h.Bytes(d.Encoding.Span);
            h.U32AsU64((uint)p.SelectedIndicators.Count);
            foreach (var d in p.SelectedIndicators) h.Bytes(d.Encoding.Span);
            h.Bytes(p.Proof is { } proof ? proof.ToBytes() : []);
            // F (selection.v3) only when present: the digests of selection.v2 parts stay as they were
            if (p.FlagBit is { } f) h.Bytes(f.Encoding.Span);
        }
        return h.Finish();
    }

    /// <summary>Merkle leaf data of a trader: trader key (32) || submission digest (32) || selection digest (32).</summary>
    public static byte[] LeafData(ReadOnlySpan<byte> trader, ReadOnlySpan<byte> submissionDigest, ReadOnlySpan<byte> selectionDigest) =>
        [.. trader, .. submissionDigest, .. selectionDigest];

    public static string FileName(ulong epoch) => $"epoch-{epoch:D6}.bundle";
    public static string AttestationFileName(ulong epoch) => $"epoch-{epoch:D6}.attestation";
    public const string CommitteeFileName = "committee.json";

    public static Scalar ScalarOf(UInt128 v)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        BinaryPrimitives.WriteUInt128LittleEndian(b, v);
        return Scalar.FromBytesModOrder(b);
    }
}
