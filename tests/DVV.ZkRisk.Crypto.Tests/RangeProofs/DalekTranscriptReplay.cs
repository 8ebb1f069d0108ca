using System.Numerics;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// Replays, with the public Merlin <see cref="Transcript"/> only, the transcript calls dalek bulletproofs 4.0's
/// verifier makes (RangeProof::verify_multiple, then InnerProductProof::verification_scalars) and returns the
/// challenges y, z, x, w, u_1..u_lg. Used to compare with the golden fixture's expected challenges and, when a
/// dalek proof is rejected here, to say whether the transcript or the verification equation is at fault.
/// </summary>
public static class DalekTranscriptReplay
{
    public static List<(string Name, Scalar Value)> Challenges(string label, byte[] proof, IReadOnlyList<byte[]> commitments, int n)
    {
        int m = commitments.Count;
        var names = ProofTampering.ElementNames(n * m);
        byte[] El(string name) => proof.AsSpan(Array.IndexOf(names, name) * 32, 32).ToArray();
        var t = new Transcript(label);
        var r = new List<(string, Scalar)>();
        t.AppendMessage("dom-sep"u8, "rangeproof v1"u8);
        t.AppendU64("n"u8, (ulong)n);
        t.AppendU64("m"u8, (ulong)m);
        foreach (var v in commitments) t.AppendMessage("V"u8, v);
        t.ValidateAndAppendPoint("A"u8, El("A"));
        t.ValidateAndAppendPoint("S"u8, El("S"));
        r.Add(("y", t.ChallengeScalar("y"u8)));
        r.Add(("z", t.ChallengeScalar("z"u8)));
        t.ValidateAndAppendPoint("T_1"u8, El("T_1"));
        t.ValidateAndAppendPoint("T_2"u8, El("T_2"));
        r.Add(("x", t.ChallengeScalar("x"u8)));
        t.AppendMessage("t_x"u8, El("t_x"));
        t.AppendMessage("t_x_blinding"u8, El("t_x_blinding"));
        t.AppendMessage("e_blinding"u8, El("e_blinding"));
        r.Add(("w", t.ChallengeScalar("w"u8)));
        t.AppendMessage("dom-sep"u8, "ipp v1"u8);
        t.AppendU64("n"u8, (ulong)(n * m));
        int lg = BitOperations.Log2((uint)(n * m));
        for (int i = 0; i < lg; i++)
        {
            t.ValidateAndAppendPoint("L"u8, El($"L_{i}"));
            t.ValidateAndAppendPoint("R"u8, El($"R_{i}"));
            r.Add(($"u_{i + 1}", t.ChallengeScalar("u"u8)));
        }
        return r;
    }

    public static string Describe(IEnumerable<(string Name, Scalar Value)> challenges) => string.Join(", ", challenges.Select(c => $"{c.Name}={c.Value}"));
}
