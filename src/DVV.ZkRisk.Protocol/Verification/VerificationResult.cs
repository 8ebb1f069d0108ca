using DVV.ZkRisk.Protocol.Records;
using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;

namespace DVV.ZkRisk.Protocol.Verification;

public sealed record VerifyTimings(double DecodeMs, double SignaturesMs, double RangeProofsMs, double SelectionProofsMs, double SumsMs, double SumProofsMs, double MerkleMs, double TotalMs);

/// <summary>The outcome of checking one bundle against its parent state.</summary>
public sealed class VerificationResult
{
    internal VerificationResult(EpochBundle bundle, List<Finding> findings, EpochState? state, VerifiedEpoch? verified, VerifyTimings timings,
        Dictionary<string, int> counts, List<string> trusted)
    {
        Bundle = bundle; Findings = findings; State = state; Verified = verified; Timings = timings; Counts = counts; Trusted = trusted;
    }

    /// <summary>A bundle whose bytes do not decode: one finding naming the field (<see cref="FindingKinds.Of"/>).</summary>
    public static VerificationResult Undecodable(Codec.WireDecodeException e) =>
        new(new EpochBundle(), [FindingKinds.Of(e)], null, null, new VerifyTimings(0, 0, 0, 0, 0, 0, 0, 0), new(), []);

    /// <summary>What this verification took on trust instead of checking (e.g. a checkpoint's carried state without its
    /// parent, a governance committee that was not pinned): an auditor's report prints it.</summary>
    public IReadOnlyList<string> Trusted { get; }

    public EpochBundle Bundle { get; }
    public bool IsValid => Findings.Count == 0;
    public IReadOnlyList<Finding> Findings { get; }
    /// <summary>The folded state (null when the fold itself failed).</summary>
    public EpochState? State { get; }
    /// <summary>Only when every check passed.</summary>
    public VerifiedEpoch? Verified { get; }
    public VerifyTimings Timings { get; }
    /// <summary>How many of each item were checked (signatures, range_proofs, selection_proofs, sum_proofs, traders, ...).</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }
}
