namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>The canonical form of a submission's linked-account declaration (circuits/cluster.v1.json): the other accounts'
/// 32-byte Ed25519 keys, strictly ascending, without the trader's own, at most 63 (a cluster has at most 64 members).</summary>
public static class LinkedAccounts
{
    public const int MaxLinked = Flags.ClusterFlagProof.MaxMembers - 1;

    /// <summary>The keys in canonical form (sorted, distinct, own key removed); throws when one is not 32 bytes or there
    /// are too many.</summary>
    public static ReadOnlyMemory<byte>[] Canonical(IEnumerable<ReadOnlyMemory<byte>> keys, ReadOnlySpan<byte> self)
    {
        var own = self.ToArray();
        var list = keys.Where(k => !k.Span.SequenceEqual(own)).Select(k => k.ToArray()).ToList();
        if (list.Any(k => k.Length != 32)) throw new ArgumentException("a linked account key is not 32 bytes");
        list.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        var result = list.Where((k, i) => i == 0 || !k.AsSpan().SequenceEqual(list[i - 1])).Select(k => (ReadOnlyMemory<byte>)k).ToArray();
        if (result.Length > MaxLinked) throw new ArgumentException($"{result.Length} linked accounts: a cluster has at most {MaxLinked + 1} members");
        return result;
    }

    /// <summary>Why <paramref name="linked"/> is not in canonical form for <paramref name="self"/>, or null.</summary>
    public static string? Problem(IReadOnlyList<ReadOnlyMemory<byte>> linked, ReadOnlySpan<byte> self)
    {
        if (linked.Count > MaxLinked) return $"{linked.Count} accounts: a cluster has at most {MaxLinked + 1} members";
        for (int i = 0; i < linked.Count; i++)
        {
            var k = linked[i].Span;
            if (k.Length != 32) return $"[{i}] is {k.Length} bytes, not a 32-byte Ed25519 key";
            if (k.SequenceEqual(self)) return $"[{i}] is the trader's own key";
            if (i > 0 && linked[i - 1].Span.SequenceCompareTo(k) >= 0) return $"[{i}] is not after [{i - 1}]: keys must be strictly ascending";
        }
        return null;
    }
}
