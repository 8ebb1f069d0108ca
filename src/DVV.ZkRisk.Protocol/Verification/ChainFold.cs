using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>
/// The one fold of a chain of bundles, used by the audit, `verifier attest` and the committee verifier: each bundle is
/// verified against the state its parent left; only the state of a bundle that verified completely is carried on (a
/// later bundle never builds on a state the verifier refused, so it is then checked without a parent and an
/// incremental one fails its chain link); what every bundle took on trust is collected, in order, once each.
/// </summary>
public sealed class ChainFold(BundleVerifier verifier)
{
    private readonly List<string> _trusted = [];

    /// <summary>The state after the last bundle that verified, when it is the last one added; else null.</summary>
    public EpochState? State { get; private set; }

    /// <summary>Everything the folded bundles took on trust (e.g. a checkpoint's carried state without its parent).</summary>
    public IReadOnlyList<string> Trusted => _trusted;

    /// <param name="checkRangeProofs">false only in benchmarks whose submissions carry no range proofs</param>
    public VerificationResult Add(EpochBundle bundle, bool checkRangeProofs = true)
    {
        var parent = State != null && State.Epoch + 1 == bundle.Epoch ? State : null;
        var r = verifier.Verify(bundle, parent, checkRangeProofs);
        foreach (var t in r.Trusted) if (!_trusted.Contains(t)) _trusted.Add(t);
        State = r.IsValid ? r.State : null;
        return r;
    }
}
