namespace DVV.ZkRisk.Risk;

/// <summary>
/// What the CAVB engine may know about one trader (or linked cluster): its own band exposure S_ib
/// and its own liquidation flags lam_is. Nothing about any other trader.
/// </summary>
public sealed record TraderOwnData(BandExposure Exposure, LiquidationFlags Flags);
