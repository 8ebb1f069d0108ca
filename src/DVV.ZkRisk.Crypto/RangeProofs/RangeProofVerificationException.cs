namespace DVV.ZkRisk.Crypto;

/// <summary>A range proof was well-formed bytes but did not prove the statement; <see cref="Reason"/> says which check failed.</summary>
public sealed class RangeProofVerificationException : Exception
{
    public string Reason { get; }

    public RangeProofVerificationException(string reason) : base("range proof rejected: " + reason) { Reason = reason; }
}
