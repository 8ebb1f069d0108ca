namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>The operator's parameter set for a new epoch cannot be proven under (EpochService refuses to open the epoch).</summary>
internal sealed class ParameterSetRejectedException(ulong epoch, string reason)
    : InvalidOperationException($"epoch {epoch}: the parameter set cannot be opened: {reason}")
{
    public ulong Epoch { get; } = epoch;
    public string Reason { get; } = reason;
}
