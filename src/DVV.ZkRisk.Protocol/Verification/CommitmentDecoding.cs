using DVV.ZkRisk.Api.V1;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Protocol.Proofs;
using Google.Protobuf;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>The verifier's decoding of a bundle's commitments: canonical encodings only, four at a time.</summary>
internal static class CommitmentDecoding
{
    public sealed class PointException(string where, string message) : Exception(message) { public string Where { get; } = where; }

    /// <summary>
    /// Decodes a list of commitments four at a time (<see cref="RistrettoBatchDecoder"/>: the square-root chains run in
    /// vector lanes); a bad entry is decoded again on its own for the finding's reason.
    /// </summary>
    public static RistrettoPoint[] DecodeAll(IReadOnlyList<Commitment> cs, string where)
    {
        int n = cs.Count;
        var points = new RistrettoPoint[n];
        Span<byte> enc = n <= 128 ? stackalloc byte[32 * n] : new byte[32 * n];
        for (int i = 0; i < n; i++)
        {
            var d = cs[i].Point?.Data ?? ByteString.Empty;
            if (d.Length != 32) Decode(cs[i], $"{where}[{i}]");     // throws with the reason
            d.Span.CopyTo(enc.Slice(32 * i, 32));
        }
        Span<bool> valid = n <= 128 ? stackalloc bool[n] : new bool[n];
        if (RistrettoBatchDecoder.Decode(enc, points, valid) != n)
            for (int i = 0; i < n; i++)
                if (!valid[i]) points[i] = Decode(cs[i], $"{where}[{i}]");     // throws with the reason
        return points;
    }

    private static RistrettoPoint Decode(Commitment c, string where)
    {
        var d = c.Point?.Data ?? ByteString.Empty;
        try { return RistrettoProofSystem.DecodePoint(d.Span); }
        catch (ProofEncodingException e) { throw new PointException(where, e.Reason); }
    }
}
