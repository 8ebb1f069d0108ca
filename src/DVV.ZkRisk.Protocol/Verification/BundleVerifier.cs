using System.Diagnostics;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Risk;

using EpochState = DVV.ZkRisk.Protocol.Sealing.EpochState;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>
/// Checks an epoch bundle completely (DESIGN.md 2 step 5): the content hash, the parameter hash and the governance
/// signature over the parameter set, the statement hashes against the verifier's own circuits/, the chain link, the fold
/// of the chain (replays, repeats, dropped traders, the expiry rule), every submission's Ed25519 signature, all range
/// proofs in one batch, every selection proof (one batch), privacy and the cover set, the conservative flags of
/// unvalued traders, every aggregate cell with its sum and count proofs against the commitment sums of the folded state,
/// k_min, the withheld remainders and the Merkle root: the named steps of <see cref="BundleCheck"/>. Never throws on bad
/// input: every failure is a <see cref="Finding"/> of a <see cref="FindingKind"/>.
/// </summary>
/// <param name="governanceRoot">the pinned governance (<see cref="Trust.GovernanceRules.RootHash"/>) a bundle without
/// parent must declare; null: such a bundle's governance is taken on trust and said so in <see cref="VerificationResult.Trusted"/>.</param>
public sealed class BundleVerifier(StatementSet expectedStatements, byte[]? governanceRoot = null)
{
    public StatementSet Statements => expectedStatements;
    public byte[]? GovernanceRoot => governanceRoot;

    /// <summary>Verifies <paramref name="bundle"/>. <paramref name="parent"/> is the verified state of the previous epoch
    /// (required unless the bundle is a checkpoint; for a checkpoint without parent the chain link is not checked).</summary>
    public VerificationResult Verify(EpochBundle bundle, EpochState? parent, bool checkRangeProofs = true)
    {
        long t0 = Stopwatch.GetTimestamp();
        var check = new BundleCheck(this, bundle, parent, checkRangeProofs);
        var f = check.Findings;
        EpochState? state;
        VerifiedEpoch? verified = null;
        try { state = check.Run(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // every expected refusal is a finding already; anything else is reported, never thrown
            var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            f.Add(new Finding(FindingKind.Structure, "bundle", $"{inner.GetType().Name}: {inner.Message}"));
            state = null;
        }
        if (f.Count == 0 && state != null)
        {
            try { verified = new VerifiedEpoch(bundle, state); }
            catch (RiskInputException e) { f.Add(new Finding(FindingKind.Parameters, "parameters", e.Message)); }
        }
        double total = (Stopwatch.GetTimestamp() - t0) * 1000.0 / Stopwatch.Frequency;
        var ms = check.Ms;
        return new VerificationResult(bundle, f, state, verified, new VerifyTimings(ms[0], ms[1], ms[2], ms[3], ms[4], ms[5], ms[6], total), check.Counts, check.Trusted);
    }
}
