namespace DVV.ZkRisk.Protocol.Proofs;

/// <summary>The one place that picks the proof system the SDK and the gateway use.</summary>
public static class ProofSystems
{
    public static ISubmissionProofSystem Default { get; } = new RistrettoProofSystem(new BulletproofsRangeBackend());
}
