using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Flags;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The venue's clustering of linked accounts (circuits/cluster.v1.json), over the live traders of an epoch:
/// <list type="bullet">
/// <item>declared: accounts whose live submissions all name each other (<see cref="Submission.LinkedAccounts"/>: a group
/// G with every member's {self} + linked = G). A declaration not every named account makes is no cluster: one account
/// cannot bind another.</item>
/// <item>detected: accounts the venue's own ledger funds from one source (<paramref name="fundingSources"/>, trader hex
/// to a source id: sub-accounts of one master, one deposit wallet), and accounts whose books are identical, non-empty
/// positions and collateral alike (a book split into equal slices; two independent vaults running one strategy differ
/// in size or collateral, so they are not linked by this rule).</item>
/// </list>
/// Groups that share an account merge (connected components). A component is declared when it is exactly one declared
/// group, else detected with the evidence found. Components beyond <see cref="ClusterFlagProof.MaxMembers"/> cannot be
/// proven: they come back in <see cref="Result.Oversized"/>, whose members the sealer flags everywhere by rule.
/// </summary>
internal static class ClusterFinder
{
    public sealed record Found(string[] Members, ClusterKind Kind, string Evidence)
    {
        public string Key => string.Join('+', Members);
        public AccountCluster ToRecord() => new(Members.Select(h => (ReadOnlyMemory<byte>)Convert.FromHexString(h)).ToArray(), Kind, Evidence);
    }

    public sealed record Result(IReadOnlyList<Found> Clusters, IReadOnlyList<string[]> Oversized)
    {
        public static readonly Result None = new([], []);

        /// <summary>Cluster key by member hex ("" for a trader margined alone).</summary>
        public Dictionary<string, Found> ByMember()
        {
            var d = new Dictionary<string, Found>(StringComparer.Ordinal);
            foreach (var c in Clusters) foreach (var m in c.Members) d[m] = c;
            return d;
        }
    }

    /// <summary>The declared group of one trader ({self} + linked, sorted hex), or null when it declares none.</summary>
    public static string[]? DeclaredGroup(TraderState st)
    {
        if (st.Submission.LinkedAccounts.Count == 0) return null;
        var g = st.Submission.LinkedAccounts.Select(k => Convert.ToHexStringLower(k.Span)).Append(st.Hex).Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(g, StringComparer.Ordinal);
        return g;
    }

    /// <summary>The declared groups every member of which declares the same group (the clusters a venue must honour).</summary>
    public static List<string[]> MutualDeclarations(IReadOnlyDictionary<string, TraderState> traders)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string[]>();
        foreach (var st in traders.Values)
        {
            if (DeclaredGroup(st) is not { } g || !seen.Add(string.Join('+', g))) continue;
            bool mutual = g.All(m => traders.TryGetValue(m, out var o) && DeclaredGroup(o) is { } og && og.AsSpan().SequenceEqual(g));
            if (mutual) result.Add(g);
        }
        return result;
    }

    public static Result Find(IReadOnlyDictionary<string, TraderState> traders, IReadOnlyDictionary<string, TraderSecrets> secrets,
        IReadOnlyDictionary<string, string>? fundingSources)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var evidence = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        string Root(string x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];   // path halving
            return x;
        }
        void Link(string[] group, string why)
        {
            if (group.Length < 2) return;
            foreach (var m in group) parent.TryAdd(m, m);
            foreach (var m in group.Skip(1))
            {
                string a = Root(group[0]), b = Root(m);
                if (a != b) parent[b] = a;
            }
            foreach (var m in group) (evidence.TryGetValue(m, out var e) ? e : evidence[m] = new SortedSet<string>(StringComparer.Ordinal)).Add(why);
        }

        var declared = MutualDeclarations(traders);
        foreach (var g in declared) Link(g, "declared");
        if (fundingSources is not null)
            foreach (var g in traders.Keys.Where(fundingSources.ContainsKey).GroupBy(h => fundingSources[h], StringComparer.Ordinal))
                Link(g.OrderBy(h => h, StringComparer.Ordinal).ToArray(), "shared funding");
        foreach (var g in traders.Keys.Where(h => secrets.TryGetValue(h, out var s) && s.Book.Positions.Count > 0)
                     .GroupBy(h => PositionsKey(secrets[h].Book), StringComparer.Ordinal))
            Link(g.OrderBy(h => h, StringComparer.Ordinal).ToArray(), "identical books");

        var clusters = new List<Found>();
        var oversized = new List<string[]>();
        var declaredKeys = declared.Select(g => string.Join('+', g)).ToHashSet(StringComparer.Ordinal);
        foreach (var comp in parent.Keys.GroupBy(Root, StringComparer.Ordinal))
        {
            var members = comp.OrderBy(h => h, StringComparer.Ordinal).ToArray();
            if (members.Length < 2) continue;
            if (members.Length > ClusterFlagProof.MaxMembers) { oversized.Add(members); continue; }
            var why = members.SelectMany(m => evidence[m]).ToHashSet(StringComparer.Ordinal);
            bool isDeclared = why.SetEquals(["declared"]) && declaredKeys.Contains(string.Join('+', members));
            clusters.Add(isDeclared
                ? new Found(members, ClusterKind.Declared, "")
                : new Found(members, ClusterKind.Detected, string.Join(", ", why.Order(StringComparer.Ordinal))));
        }
        clusters.Sort((a, b) => string.CompareOrdinal(a.Members[0], b.Members[0]));
        return new Result(clusters, oversized);
    }

    /// <summary>The book without its account id: positions (instrument and signed size, canonical order) and collateral.</summary>
    private static string PositionsKey(DVV.ZkRisk.Risk.PositionBook book) =>
        string.Join(';', book.Positions.Select(p => p.Instrument.Id + "=" + p.QuantityE4.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        + "|" + book.CollateralUsd.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "|" + book.CollateralCoin.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
