using System.Security.Cryptography;
using DVV.ZkRisk.Protocol.Submissions;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The cover set of an epoch (DESIGN.md 2, issue 17 item 11), derived so that anyone can check it: the venue commits to
/// a random 32-byte seed in the epoch's parameter set when the epoch opens (<see cref="Commitment"/>) and reveals it in
/// the bundle; the cover is the k_cover carried traders with the smallest SHA-256(domain || seed || epoch || key). The
/// venue cannot choose whom to cover after the fact, and the seed is drawn from the OS CSPRNG.
/// </summary>
internal static class CoverSet
{
    public const string CommitmentDomain = DomainLabels.CoverSeed;
    public const string RankDomain = DomainLabels.CoverRank;
    public const int SeedLength = 32;

    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedLength);

    public static byte[] Commitment(ReadOnlySpan<byte> seed)
    {
        using var h = new CanonicalHash(CommitmentDomain);
        h.Bytes(seed);
        return h.Finish();
    }

    private static byte[] Rank(ReadOnlySpan<byte> seed, ulong epoch, string traderHex)
    {
        using var h = new CanonicalHash(RankDomain);
        h.Bytes(seed).U64(epoch).Bytes(Convert.FromHexString(traderHex));
        return h.Finish();
    }

    /// <summary>The k traders of <paramref name="candidates"/> (hex keys) with the smallest rank, in rank order.</summary>
    public static List<string> Derive(ReadOnlySpan<byte> seed, ulong epoch, IEnumerable<string> candidates, int k)
    {
        var ranked = new List<(byte[] Rank, string Hex)>();
        foreach (var c in candidates) ranked.Add((Rank(seed, epoch, c), c));
        ranked.Sort((a, b) => a.Rank.AsSpan().SequenceCompareTo(b.Rank));
        var r = new List<string>(Math.Min(Math.Max(0, k), ranked.Count));
        for (int i = 0; i < ranked.Count && i < k; i++) r.Add(ranked[i].Hex);
        return r;
    }
}
