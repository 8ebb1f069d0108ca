using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Verification;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// One sealed epoch as the page shows it, from either source (the venue's service folding its published bundles, or an
/// offline audit of a directory): the bundle as decoded from its published bytes, their size, where its attestation
/// quorum stands, what verifying it found, and the verified epoch when every check held (the only source of the
/// heatmap and the LSF curve: an epoch that did not verify shows its findings, never its claimed aggregates).
/// </summary>
/// <remarks><see cref="Epoch"/> is the number it was published under (a bundle that does not decode is an empty record).</remarks>
internal sealed record EpochEntry(ulong Epoch, EpochBundle Bundle, int BundleBytes, QuorumView Quorum, VerificationView Verification, VerifiedEpoch? Verified)
{
    /// <summary>The LSF curve of the verified epoch, computed once (the detail, the two charts and every page refresh read
    /// it; a quorum update's copy of the entry keeps it, the verified epoch being the same); null when not verified.</summary>
    public LsfCurve? Curve => Verified is null ? null : _curve ??= LsfCurve.Of(Verified);
    private LsfCurve? _curve;
}
