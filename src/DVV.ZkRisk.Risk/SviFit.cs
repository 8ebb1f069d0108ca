namespace DVV.ZkRisk.Risk;

/// <summary>Result of <see cref="SviCalibrator.Calibrate"/>: the slice and its fit quality.</summary>
/// <param name="Slice">calibrated raw SVI parameters</param>
/// <param name="RmseVol">root-mean-square error of the fitted Black vols against the quotes (vol units)</param>
/// <param name="RmseTotalVariance">weighted RMS error in total variance (the quantity minimised)</param>
/// <param name="Evaluations">objective evaluations spent by the outer search</param>
public sealed record SviFit(SviSlice Slice, double RmseVol, double RmseTotalVariance, int Evaluations);
