using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Flags;

/// <summary>
/// The flag proof of a member of a linked-account cluster (circuits/cluster.v1.json): one aggregated floor-form
/// <see cref="SignRangeProof"/> over V_s = X_is + 2^62 F_is (s = 0..S-1) and V_{S+s} = X_Cs + 2^62 F_is, where X_is is the
/// member's distance commitment (<see cref="FlagProof.DistanceCommitments"/>) and X_Cs = Sum_j X_js over the members. It
/// shows lam_is &gt;= [d_is &lt; 0] and lam_is &gt;= [d_Cs &lt; 0]: a cluster can never unflag what a member's own data flags, and
/// every member is flagged where the members' summed data is. The transcript binds the epoch (binding), the member, the
/// coefficients' digest, every member's key and every F_is; the range proof then absorbs every V.
/// </summary>
internal static class ClusterFlagProof
{
    public const string TranscriptLabel = DomainLabels.ClusterFlagProof;
    /// <summary>The floor shift 2^62: completeness for distances in [-2^62, 2^62) whatever the bit.</summary>
    public const int ShiftBits = 62;
    /// <summary>At most this many members, so |d_Cs| &lt; 64 x 2^117 stays far below l (the soundness bound).</summary>
    public const int MaxMembers = 64;
    /// <summary>The bound of the distances the sealer proves in the floor form: |d| &lt; 2^62.</summary>
    public const long DistanceBound = 1L << ShiftBits;

    public static Transcript Transcript(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, IReadOnlyList<ReadOnlyMemory<byte>> members,
        ReadOnlySpan<RistrettoPoint> bitCommitments)
    {
        var t = new Transcript(TranscriptLabel);
        binding.AppendTo(t);
        t.AppendMessage("trader"u8, traderId);
        t.AppendMessage("coefficients"u8, model.Digest);
        t.AppendU64("members"u8, (ulong)members.Count);
        foreach (var m in members) t.AppendMessage("member"u8, m.Span);
        t.AppendU64("shocks"u8, (ulong)bitCommitments.Length);
        foreach (var f in bitCommitments) t.AppendPoint("F"u8, f);
        return t;
    }

    /// <summary>The floor proof for a member with witness <paramref name="witness"/> (its <see cref="FlagWitness.Cluster"/> set)
    /// and bit commitments F_s made with <paramref name="bitBlindings"/> for the cluster's flags <see cref="ClusterWitness.Flags"/>.</summary>
    public static RangeProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, FlagWitness witness,
        ReadOnlySpan<RistrettoPoint> bitCommitments, ReadOnlySpan<Scalar> bitBlindings)
    {
        var c = witness.Cluster ?? throw new ArgumentException("not a cluster member's witness");
        int shocks = model.Shocks;
        if (bitCommitments.Length != shocks || bitBlindings.Length != shocks)
            throw new ArgumentException($"{bitCommitments.Length} bit commitments and {bitBlindings.Length} blindings for {shocks} shocks");
        var values = new long[2 * shocks];
        var blind = new Scalar[2 * shocks];
        var bits = new int[2 * shocks];
        var phi = new Scalar[2 * shocks];
        for (int s = 0; s < shocks; s++)
        {
            values[s] = witness.Distances[s]; blind[s] = witness.DistanceBlindings[s];
            values[shocks + s] = c.Distances[s]; blind[shocks + s] = c.Blindings[s];
            bits[s] = bits[shocks + s] = c.Flags[s] ? 1 : 0;
            phi[s] = phi[shocks + s] = bitBlindings[s];
        }
        var t = Transcript(binding, traderId, model, Array.ConvertAll(c.Members, m => (ReadOnlyMemory<byte>)m), bitCommitments);
        return SignRangeProof.ProveFloor(Verification.RangeProofChunks.Gens, PedersenGens.Default, t, values, blind, bits, phi, FlagModel.DistanceBits, ShiftBits);
    }

    /// <summary>X_Cs = Sum_j X_js per shock, from every member's distance commitments (verifier side).</summary>
    public static RistrettoPoint[] ClusterDistanceCommitments(IReadOnlyList<RistrettoPoint[]> memberDistances, int shocks)
    {
        var x = new RistrettoPoint[shocks];
        for (int s = 0; s < shocks; s++)
        {
            var sum = RistrettoPoint.Identity;
            foreach (var m in memberDistances) sum += m[s];
            x[s] = sum;
        }
        return x;
    }

    /// <summary>The batch statement that checks a member's proof, from its own X_is and the cluster's X_Cs.</summary>
    public static RangeProofStatement Statement(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, IReadOnlyList<ReadOnlyMemory<byte>> members,
        ReadOnlySpan<RistrettoPoint> ownDistances, ReadOnlySpan<RistrettoPoint> clusterDistances, ReadOnlySpan<RistrettoPoint> bitCommitments, RangeProof proof)
    {
        int shocks = model.Shocks;
        if (bitCommitments.Length != shocks || ownDistances.Length != shocks || clusterDistances.Length != shocks)
            throw new ArgumentException($"{bitCommitments.Length} bit commitments for {shocks} shocks");
        var x = new RistrettoPoint[2 * shocks];
        var f = new RistrettoPoint[2 * shocks];
        ownDistances.CopyTo(x);
        clusterDistances.CopyTo(x.AsSpan(shocks));
        bitCommitments.CopyTo(f);
        bitCommitments.CopyTo(f.AsSpan(shocks));
        return SignRangeProof.FloorStatement(proof, Transcript(binding, traderId, model, members, bitCommitments), x, f, FlagModel.DistanceBits, ShiftBits);
    }
}
