using System.Buffers.Binary;
using System.Text;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// A Merlin transcript (merlin.cool, v1.0): a STROBE-128 duplex that absorbs every public value of a
/// protocol under a label and squeezes Fiat-Shamir challenges bound to all of it. Byte-compatible with
/// the Rust merlin crate, so proofs cross-verify with dalek bulletproofs.
/// </summary>
public sealed class Transcript
{
    private readonly Merlin.Strobe128 _strobe;

    public Transcript(string label) : this(Encoding.UTF8.GetBytes(label)) { }

    public Transcript(ReadOnlySpan<byte> label)
    {
        _strobe = new Merlin.Strobe128("Merlin v1.0"u8);
        AppendMessage("dom-sep"u8, label);
    }

    private Transcript(Merlin.Strobe128 strobe) { _strobe = strobe; }

    /// <summary>An independent copy (for forking a transcript state, e.g. batch verification).</summary>
    public Transcript Clone() => new(_strobe.Clone());

    public void AppendMessage(ReadOnlySpan<byte> label, ReadOnlySpan<byte> message)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, checked((uint)message.Length));
        _strobe.MetaAd(label, false);
        _strobe.MetaAd(len, true);
        _strobe.Ad(message, false);
    }

    public void AppendMessage(string label, ReadOnlySpan<byte> message) => AppendMessage(Encoding.UTF8.GetBytes(label), message);

    public void AppendU64(ReadOnlySpan<byte> label, ulong x)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, x);
        AppendMessage(label, b);
    }

    public void AppendU64(string label, ulong x) => AppendU64(Encoding.UTF8.GetBytes(label), x);

    public void ChallengeBytes(ReadOnlySpan<byte> label, Span<byte> dst)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, checked((uint)dst.Length));
        _strobe.MetaAd(label, false);
        _strobe.MetaAd(len, true);
        _strobe.Prf(dst, false);
    }

    public void ChallengeBytes(string label, Span<byte> dst) => ChallengeBytes(Encoding.UTF8.GetBytes(label), dst);

    /// <summary>A challenge scalar: 64 squeezed bytes reduced modulo l (negligible bias), as dalek's TranscriptProtocol.</summary>
    public Scalar ChallengeScalar(ReadOnlySpan<byte> label)
    {
        Span<byte> buf = stackalloc byte[64];
        ChallengeBytes(label, buf);
        return Scalar.FromBytesWide(buf);
    }

    public Scalar ChallengeScalar(string label) => ChallengeScalar(Encoding.UTF8.GetBytes(label));

    public void AppendPoint(ReadOnlySpan<byte> label, in RistrettoPoint point)
    {
        Span<byte> b = stackalloc byte[32];
        point.WriteTo(b);
        AppendMessage(label, b);
    }

    public void AppendPoint(string label, in RistrettoPoint point) => AppendPoint(Encoding.UTF8.GetBytes(label), point);

    /// <summary>Appends an already-encoded point after rejecting the identity (dalek's validate_and_append_point).</summary>
    public void ValidateAndAppendPoint(ReadOnlySpan<byte> label, ReadOnlySpan<byte> encodedPoint)
    {
        if (encodedPoint.Length != 32) throw new InvalidEncodingException("point encoding must be 32 bytes");
        bool allZero = true;
        foreach (byte b in encodedPoint) allZero &= b == 0;
        if (allZero) throw new InvalidEncodingException("identity point is not allowed here");
        AppendMessage(label, encodedPoint);
    }

    public void AppendScalar(ReadOnlySpan<byte> label, in Scalar s)
    {
        Span<byte> b = stackalloc byte[32];
        s.WriteTo(b);
        AppendMessage(label, b);
    }

    public void AppendScalar(string label, in Scalar s) => AppendScalar(Encoding.UTF8.GetBytes(label), s);
}
