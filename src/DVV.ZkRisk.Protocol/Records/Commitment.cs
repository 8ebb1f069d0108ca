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
    /// <summary>The canonical 32-byte encoding.</summary>
    public ReadOnlyMemory<byte> Encoding => _encoding ?? Identity._encoding;
    public byte[] ToBytes() => Encoding.ToArray();

    public static readonly Commitment Identity = new(RistrettoPoint.Identity, new byte[32]);

    public bool Equals(Commitment other) => Encoding.Span.SequenceEqual(other.Encoding.Span);
    public override bool Equals(object? obj) => obj is Commitment c && Equals(c);
    public override int GetHashCode() => BitConverter.ToInt32(Encoding.Span);
    public static bool operator ==(Commitment a, Commitment b) => a.Equals(b);
    public static bool operator !=(Commitment a, Commitment b) => !a.Equals(b);
    public override string ToString() => Convert.ToHexStringLower(Encoding.Span);
}

/// <summary>Lists of commitments as the group elements the proofs take.</summary>
internal static class Commitments
{
    public static RistrettoPoint[] Points(this IReadOnlyList<Commitment> cs)
    {
        var p = new RistrettoPoint[cs.Count];
        for (int i = 0; i < p.Length; i++) p[i] = cs[i].Point;
        return p;
    }

    public static Commitment[] Of(ReadOnlySpan<RistrettoPoint> points)
    {
        var c = new Commitment[points.Length];
        for (int i = 0; i < c.Length; i++) c[i] = Commitment.Of(points[i]);
        return c;
    }
}
