namespace DVV.ZkRisk.Risk;

/// <summary>
/// A trader's (or cluster's) margin for one epoch: IM, MM, CAVB and total = IM + CAVB, with the
/// breakdowns behind each number (DESIGN.md 2, step 6).
/// </summary>
public sealed record MarginNotice(
    string AccountId,
    IReadOnlyList<string> MemberAccounts,
    long Epoch,
    string RiskParameterHash,
    double InitialMargin,
    double MaintenanceMargin,
    double Cavb,
    double TotalMargin,
    InitialMarginReport InitialMarginReport,
    BandExposure Exposure,
    CavbBreakdown CavbBreakdown);
