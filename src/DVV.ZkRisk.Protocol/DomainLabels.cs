namespace DVV.ZkRisk.Protocol;

/// <summary>
/// Every domain-separation label of the protocol, in one place: the SHA-256 domains of <c>CanonicalHash</c>, the HPKE
/// info, the Merlin transcript labels of the proofs and the BLS message domain. The bytes are frozen (changing one
/// changes digests, signatures and transcripts, and old bundles would stop verifying: tests/fixtures/bundles-7b8876b
/// shows they do not). The spellings come in two generations, both frozen: the epoch layer's <c>dvv.zkrisk.v1/...</c>
/// and the cryptographic core's older <c>DVV.ZkRisk/... v1</c>; the core's are defined beside its code (it cannot
/// depend on this assembly) and named here.
/// </summary>
public static class DomainLabels
{
    // ---- submissions (SubmissionDigest) ----
    /// <summary>The public digest of a submission (everything but signature and sealed opening): HPKE aad.</summary>
    public const string SubmissionPublic = "dvv.zkrisk.v1/submission-public";
    /// <summary>The digest a trader signs: the public digest and the sealed opening's hash.</summary>
    public const string Submission = "dvv.zkrisk.v1/submission";
    /// <summary>The hash of a sealed opening (HPKE box), which a bundle carries instead of the box.</summary>
    public const string SealedOpening = "dvv.zkrisk.v1/sealed-opening";
    /// <summary>HPKE info of the sealed opening (RFC 9180 section 5.1).</summary>
    public const string OpeningHpkeInfo = "dvv.zkrisk.v1/opening";
    /// <summary>What the venue signs in a receipt.</summary>
    public const string Receipt = "dvv.zkrisk.v1/receipt";
    /// <summary>The parameter hash every transcript binds.</summary>
    public const string ParameterSet = "dvv.zkrisk.v1/parameter-set";

    // ---- trust (GovernanceRules, Admissions) ----
    public const string GovernedParameters = "dvv.zkrisk.v1/governed-parameters";
    public const string Governance = "dvv.zkrisk.v1/governance";
    public const string Admission = "dvv.zkrisk.v1/admission";

    // ---- sealing (BundleFormat, CoverSet) ----
    public const string Bundle = "dvv.zkrisk.v1/bundle";
    public const string SelectionSet = "dvv.zkrisk.v1/selection-set";
    public const string CoverSeed = "dvv.zkrisk.v1/cover-seed";
    public const string CoverRank = "dvv.zkrisk.v1/cover-rank";

    // ---- notices ----
    public const string MarginNotice = "dvv.zkrisk.v1/margin-notice";
    public const string MarginNoticeRequest = "dvv.zkrisk.v1/margin-notice-request";

    // ---- transcripts (Merlin) ----
    /// <summary>The exposure range proof of a submission (circuits/range.v2.json).</summary>
    public const string SubmissionRange = "dvv.zkrisk.v1/submission-range";
    /// <summary>The indicator range proof of a submission (circuits/indicator.v1.json).</summary>
    public const string SubmissionIndicators = "dvv.zkrisk.v1/submission-indicators";
    /// <summary>The collateral range proof of a submission (circuits/flag.v1.json).</summary>
    public const string SubmissionCollateral = "dvv.zkrisk.v1/submission-collateral";
    /// <summary>A trader's flag proof (circuits/flag.v1.json).</summary>
    public const string FlagProof = Crypto.Statements.StatementDefinitions.FlagTranscriptLabel;
    /// <summary>A cluster member's flag proof (circuits/cluster.v1.json).</summary>
    public const string ClusterFlagProof = Crypto.Statements.StatementDefinitions.ClusterTranscriptLabel;
    /// <summary>Sum, count and remainder proofs (circuits/sum.v2.json); the cell label follows in the transcript.</summary>
    public const string SumProof = Crypto.Sigma.SumProof.TranscriptLabel;
    /// <summary>Selection proofs (circuits/selection.v2.json, selection.v3.json).</summary>
    public const string SelectionProof = Crypto.Sigma.SelectionProof.TranscriptLabel;

    // ---- committee (BLS12-381) ----
    public const string CommitteeId = Crypto.Bls12381.VerifierCommittee.CommitteeDomain;
    public const string Attestation = Crypto.Bls12381.VerifierCommittee.AttestationDomain;
}
