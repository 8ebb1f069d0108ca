using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto.Bls12381;
using DVV.ZkRisk.Protocol.Sealing;
using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>One epoch of an audit: its bundle's checks and, when required, its attestation quorum (<see cref="Attestation"/>:
/// the aggregated attestation's bytes as checked, when there was one).</summary>
public sealed record AuditedEpoch(ulong Epoch, string File, string BundleHash, bool Checkpoint, int Traders, int Submissions, int BundleBytes,
    IReadOnlyList<Finding> Findings, string Quorum, VerificationResult Result, byte[]? Attestation = null)
{
    public bool Ok => Findings.Count == 0;
}

/// <summary>What an audit is anchored to (issue 17 item 5): the governance root the auditor pins (its hash, obtained out of
/// band, e.g. from the governance committee's own publication) and, optionally, the verifier committee file to use
/// instead of the committee.json found next to the bundles. The committee used must be the one the governed parameter
/// sets pin (committee_id), so with a pinned governance a committee.json planted by the venue is refused.</summary>
public sealed record AuditTrust(byte[]? GovernanceRoot, string? CommitteeFile = null);

/// <summary>An audit's outcome; <see cref="Committee"/> is the verifier committee the quorums were checked against (null: none loaded).</summary>
public sealed record AuditReport(string Path, IReadOnlyList<AuditedEpoch> Epochs, IReadOnlyList<Finding> Problems, IReadOnlyList<string> Trusted,
    VerifierCommittee? Committee = null)
{
    public bool Ok => Problems.Count == 0 && Epochs.Count > 0 && Epochs.All(e => e.Ok);
    public IEnumerable<Finding> AllFindings => Problems.Concat(Epochs.SelectMany(e => e.Findings.Select(f => f with { Where = $"epoch {e.Epoch}: {f.Where}" })));
}

/// <summary>
/// Offline checks of published epochs (DESIGN.md 2 step 7): reads every bundle of a directory (or the chain a bundle
/// needs from its directory), folds the chain from its checkpoint verifying every bundle completely, and checks each
/// epoch's aggregated BLS attestation against committee.json. Bad files are findings, never exceptions.
/// </summary>
public static class EpochAudit
{
    /// <summary>Bundle files above this size are refused unread (a 10,000-trader checkpoint is about 230 MB).</summary>
    public static long MaxBundleBytes { get; set; } = 1L << 30;
    public const long MaxSmallFileBytes = 16 << 20;   // committee.json, attestations

    /// <param name="path">a directory of bundles, or one bundle file (its parents are read from the same directory)</param>
    /// <param name="requireAttestations">audit: every epoch needs its quorum; verify: report it when present</param>
    public static AuditReport Run(string path, StatementSet statements, bool requireAttestations, AuditTrust trust)
    {
        var problems = new List<Finding>();
        var trusted = new List<string>();
        string dir;
        ulong? target = null;
        if (Directory.Exists(path)) dir = path;
        else if (File.Exists(path))
        {
            dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            var b = Read(path, problems);
            if (b is null) return new AuditReport(path, [], problems, trusted);
            target = b.Epoch;
        }
        else throw new FileNotFoundException($"{path}: no such file or directory");

        var bundles = new SortedDictionary<ulong, (string File, EpochBundle Bundle)>();
        foreach (var file in Directory.GetFiles(dir, "*.bundle").OrderBy(f => f, StringComparer.Ordinal))
        {
            var b = Read(file, problems);
            if (b is null) continue;
            if (bundles.ContainsKey(b.Epoch)) { problems.Add(new Finding(FindingKind.Structure, System.IO.Path.GetFileName(file), $"a second bundle for epoch {b.Epoch}")); continue; }
            bundles[b.Epoch] = (file, b);
        }
        if (File.Exists(path) && target is { } te && (!bundles.TryGetValue(te, out var tb) || !SameFile(tb.File, path)))
            bundles[te] = (path, Read(path, new List<Finding>())!);   // the file named on the command line wins
        if (bundles.Count == 0) { problems.Add(new Finding(FindingKind.Structure, dir, "no *.bundle files")); return new AuditReport(path, [], problems, trusted); }

        VerifierCommittee? committee = null;
        var committeePath = trust.CommitteeFile ?? System.IO.Path.Combine(dir, BundleFormat.CommitteeFileName);
        string committeeName = System.IO.Path.GetFileName(committeePath);
        if (File.Exists(committeePath))
        {
            try
            {
                if (new FileInfo(committeePath).Length > MaxSmallFileBytes) throw new IOException($"larger than {MaxSmallFileBytes} bytes");
                committee = VerifierCommittee.FromJson(File.ReadAllText(committeePath));
            }
            catch (Exception e) when (e is not OutOfMemoryException) { problems.Add(new Finding(FindingKind.Attestation, committeeName, "does not load: " + e.Message)); }
        }
        else if (requireAttestations || trust.CommitteeFile != null) problems.Add(new Finding(FindingKind.Attestation, committeeName, "missing: the attestation quorum cannot be checked"));
        if (trust.GovernanceRoot is { } g) trusted.Add($"governance root {Convert.ToHexStringLower(g)} (pinned by the auditor)");
        // the epochs to check: all of them, or the target and the chain back to its checkpoint
        var epochs = bundles.Keys.Where(e => target is null || e <= target).ToList();
        if (target is not null)
        {
            ulong start = target.Value;
            while (!bundles[start].Bundle.Checkpoint && bundles.ContainsKey(start - 1)) start--;
            epochs = epochs.Where(e => e >= start).ToList();
        }
        var fold = new ChainFold(new BundleVerifier(statements, trust.GovernanceRoot));
        var result = new List<AuditedEpoch>();
        foreach (var e in epochs)
        {
            var (file, b) = bundles[e];
            var r = fold.Add(b);
            var findings = r.Findings.ToList();
            string quorum = "not checked";
            byte[]? attestation = null;
            var attPath = System.IO.Path.Combine(dir, BundleFormat.AttestationFileName(e));
            bool pinned = committee != null && b.Parameters != null && b.Parameters.CommitteeId.Span.SequenceEqual(committee.CommitteeId);
            if (committee != null && !pinned && (requireAttestations || File.Exists(attPath)))
            {
                findings.Add(new Finding(FindingKind.Attestation, committeeName, $"committee {Convert.ToHexStringLower(committee.CommitteeId)[..16]}... is not the committee epoch {e}'s governed parameters pin ({BundleCheck.Hex(b.Parameters is null ? default : b.Parameters.CommitteeId.Span)})"));
                quorum = "wrong committee";
            }
            else if (File.Exists(attPath) && committee != null)
            {
                try
                {
                    if (new FileInfo(attPath).Length > MaxSmallFileBytes) throw new IOException($"larger than {MaxSmallFileBytes} bytes");
                    attestation = File.ReadAllBytes(attPath);
                    var q = QuorumCheck.Verify(committee, AggregatedAttestation.FromBytes(attestation), e, b.BundleHash.Span);
                    quorum = q.ToString();
                    if (!q.IsValid) findings.Add(new Finding(FindingKind.Attestation, BundleFormat.AttestationFileName(e), $"{q.Failure}: {q.Reason}"));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                { findings.Add(new Finding(FindingKind.Attestation, BundleFormat.AttestationFileName(e), "does not decode: " + ex.Message)); quorum = "undecodable"; }
            }
            else if (requireAttestations)
            {
                findings.Add(new Finding(FindingKind.Attestation, BundleFormat.AttestationFileName(e), "missing: no aggregated attestation, the epoch was not published"));
                quorum = "missing";
            }
            result.Add(new AuditedEpoch(e, System.IO.Path.GetFileName(file), Convert.ToHexStringLower(b.BundleHash.Span), b.Checkpoint, (int)b.TraderCount,
                b.Submissions.Count, Codec.WireCodec.Size(b), findings, quorum, r, attestation));
        }
        trusted.AddRange(fold.Trusted);
        return new AuditReport(path, result, problems, trusted.Distinct().ToList(), committee);
    }

    /// <summary>The verified epoch of a bundle file or of the latest bundle in a directory (folding the chain); null with the findings when it does not verify.</summary>
    public static (VerifiedEpoch? Epoch, AuditReport Report) VerifyOne(string path, StatementSet statements, AuditTrust trust)
    {
        var report = Run(path, statements, requireAttestations: false, trust);
        var last = report.Epochs.LastOrDefault();
        return (report.Ok ? last?.Result.Verified : null, report);
    }

    private static bool SameFile(string a, string b) => System.IO.Path.GetFullPath(a) == System.IO.Path.GetFullPath(b);

    private static EpochBundle? Read(string file, List<Finding> problems)
    {
        try
        {
            long size = new FileInfo(file).Length;
            if (size > MaxBundleBytes) { problems.Add(new Finding(FindingKind.Structure, System.IO.Path.GetFileName(file), $"{size} bytes, above the limit of {MaxBundleBytes} (--max-bundle-bytes)")); return null; }
            return Codec.WireCodec.DecodeBundle(File.ReadAllBytes(file));
        }
        catch (Codec.WireDecodeException e)
        {
            var f = FindingKinds.Of(e);
            problems.Add(f with { Where = $"{System.IO.Path.GetFileName(file)}: {f.Where}", Message = "not an EpochBundle: " + f.Message });
            return null;
        }
        catch (IOException e) { problems.Add(new Finding(FindingKind.Structure, System.IO.Path.GetFileName(file), "cannot be read: " + e.Message)); return null; }
    }
}
