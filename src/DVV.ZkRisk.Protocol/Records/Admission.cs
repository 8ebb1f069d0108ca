namespace DVV.ZkRisk.Protocol.Records;

/// <summary>An onboarding authority's admission of a trader key (wire: dvv.zkrisk.v1.Admission), signed over
/// <see cref="Trust.Admissions"/>' digest by one of the parameter set's onboarding keys.</summary>
public sealed record Admission(ReadOnlyMemory<byte> TraderPublicKey, long AdmittedAtUnixMs, ReadOnlyMemory<byte> AuthorityPublicKey, ReadOnlyMemory<byte> Signature);
