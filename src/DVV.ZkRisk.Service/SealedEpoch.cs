namespace DVV.ZkRisk.Service;

/// <summary>What a scheduled seal reports (<see cref="ZkRiskServerOptions.OnSealed"/>): the sealed epoch, its bundle's hash
/// and size, how many traders it holds and how many entered with a new submission, and who the risk engine could not
/// value (hex keys).</summary>
public sealed record SealedEpoch(ulong Epoch, byte[] BundleHash, int BundleBytes, int Traders, int NewSubmissions, IReadOnlyList<string> Unvalued);
