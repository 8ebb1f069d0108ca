using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// A Pedersen commitment as the protocol carries it (wire: dvv.zkrisk.v1.Commitment): the group element and its canonical
/// 32-byte ristretto255 encoding, kept together so that a decoded point is never re-encoded (compressing costs an inverse
/// square root; a 10,000-trader bundle holds millions of points, and its hash, digests and transcripts are over the
/// bytes). Only two ways in: <see cref="Of"/> from a point, and the decoder from bytes that decode canonically.
/// </summary>
public readonly struct Commitment : IEquatable<Commitment>
{
    private readonly byte[] _encoding;

    private Commitment(in RistrettoPoint point, byte[] encoding) { Point = point; _encoding = encoding; }

    public static Commitment Of(in RistrettoPoint point) => new(point, point.ToBytes());

    /// <summary><paramref name="encoding"/> must be the canonical encoding of <paramref name="point"/> (the decoder's contract).</summary>
    internal static Commitment Decoded(in RistrettoPoint point, byte[] encoding) => new(point, encoding);

    public RistrettoPoint Point { get; }
    public ReadOnlySpan<byte> Encoding => _encoding ?? Identity._encoding;
    public byte[] ToBytes() => Encoding.ToArray();

    public static readonly Commitment Identity = new(RistrettoPoint.Identity, new byte[32]);

    public bool Equals(Commitment other) => Encoding.SequenceEqual(other.Encoding);
    public override bool Equals(object? obj) => obj is Commitment c && Equals(c);
    public override int GetHashCode() => BitConverter.ToInt32(Encoding);
    public static bool operator ==(Commitment a, Commitment b) => a.Equals(b);
    public static bool operator !=(Commitment a, Commitment b) => !a.Equals(b);
    public override string ToString() => Convert.ToHexStringLower(Encoding);
}
