namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>What kind of rule a <see cref="Finding"/> says is broken: one per check the verifier and the audit make.
/// Code branches on these, never on the text; <see cref="FindingKinds.Label"/> is the stable snake_case name the JSON
/// reports and the docs use (docs/epochs.md, "Findings").</summary>
public enum FindingKind
{
    /// <summary>The bundle hash is not the hash of the bundle's contents.</summary>
    BundleHash,
    /// <summary>The parameter set does not hash to the bundle's parameter hash.</summary>
    ParameterHash,
    /// <summary>The parameter set is missing or its risk parameters or market do not parse.</summary>
    Parameters,
    /// <summary>The parameter set is not signed by the governance in force (or not the pinned one).</summary>
    Governance,
    /// <summary>The statement definitions differ from the verifier's circuits/.</summary>
    StatementHash,
    /// <summary>The bundle does not link to its parent (hash, epoch number, checkpoint epoch).</summary>
    ChainLink,
    /// <summary>The submissions do not fold from the parent state (replays, repeats, dropped traders).</summary>
    Fold,
    /// <summary>The expiry rule: an expired submission kept, or the expired list not what the rule removes.</summary>
    Expiry,
    /// <summary>A trader key without a valid admission by an onboarding authority.</summary>
    Admission,
    /// <summary>A malformed submission (repeated trader, wrong counts, bad encodings, wrong parameter hash).</summary>
    Submission,
    /// <summary>A submission's Ed25519 signature does not verify.</summary>
    Signature,
    /// <summary>A range proof is malformed or does not verify.</summary>
    RangeProof,
    /// <summary>Selection parts missing, malformed or not issued in a valid epoch.</summary>
    Selection,
    /// <summary>A selection proof does not decode or verify.</summary>
    SelectionProof,
    /// <summary>The re-issued set or the newcomers would tell too much (issue 17 item 9); a box in the bundle.</summary>
    Privacy,
    /// <summary>The cover seed does not open its commitment, or the derived cover set was not re-randomised.</summary>
    Cover,
    /// <summary>An unvalued entry is unsorted, unknown, or does not open to the conservative flags.</summary>
    Unvalued,
    /// <summary>An aggregate cell is missing, repeated, out of the grid or inconsistent.</summary>
    Aggregate,
    /// <summary>A contributor-count proof does not verify.</summary>
    CountProof,
    /// <summary>A cell published below k_min, or withheld at or above it.</summary>
    KMin,
    /// <summary>A published cell's sum proof does not verify.</summary>
    SumProof,
    /// <summary>The LSF weights or the proven remainder of the withheld cells are wrong.</summary>
    Withheld,
    /// <summary>The Merkle root is not the root over the folded state.</summary>
    MerkleRoot,
    /// <summary>A bundle or file that cannot be read, or a count that does not match.</summary>
    Structure,
    /// <summary>An attestation or the committee file is missing, does not decode or does not reach the quorum (audit).</summary>
    Attestation,
    /// <summary>The flag coefficients are missing, malformed or not the parameter set's (circuits/flag.v1.json).</summary>
    FlagCoefficients,
    /// <summary>A flag proof is missing, repeated, for a trader without published parts, or does not verify; a submission
    /// without the committed collateral the flags start from.</summary>
    FlagProof,
    /// <summary>A linked-account cluster is malformed, a declared one is not what its members declared, a mutual declaration
    /// is not margined as one, or a changed cluster was not re-proven as a whole (circuits/cluster.v1.json).</summary>
    Cluster,
}

public static class FindingKinds
{
    private static readonly string[] Labels =
    [
        "bundle_hash", "parameter_hash", "parameters", "governance", "statement_hash", "chain_link", "fold", "expiry",
        "admission", "submission", "signature", "range_proof", "selection", "selection_proof", "privacy", "cover",
        "unvalued", "aggregate", "count_proof", "k_min", "sum_proof", "withheld", "merkle_root", "structure", "attestation",
        "flag_coefficients", "flag_proof", "cluster",
    ];

    /// <summary>The stable snake_case name of <paramref name="kind"/> (frozen: reports and scripts read it).</summary>
    public static string Label(this FindingKind kind) => Labels[(int)kind];

    /// <summary>The kind of a bundle field that does not decode (<see cref="Codec.WireDecodeException.Field"/>): the rule whose
    /// input it is, so that a bad point or proof is reported under the same kind whether the wire or a check finds it.</summary>
    public static FindingKind OfField(string field)
    {
        static bool Has(string f, string part) => f.Contains(part, StringComparison.Ordinal);
        if (Has(field, "range_proof") || Has(field, "indicator_proof") || Has(field, "collateral_proof")) return FindingKind.RangeProof;
        if (field.StartsWith("flag_coefficients", StringComparison.Ordinal)) return FindingKind.FlagCoefficients;
        if (field.StartsWith("flag_proofs", StringComparison.Ordinal)) return FindingKind.FlagProof;
        if (field.StartsWith("clusters", StringComparison.Ordinal)) return FindingKind.Cluster;
        if (field.StartsWith("submissions", StringComparison.Ordinal)) return Has(field, "admission") ? FindingKind.Admission : FindingKind.Submission;
        if (field.StartsWith("selections", StringComparison.Ordinal)) return Has(field, ".proof") ? FindingKind.SelectionProof : FindingKind.Selection;
        if (Has(field, "count_proof")) return FindingKind.CountProof;
        if (field.StartsWith("aggregates", StringComparison.Ordinal)) return Has(field, "sum_proof") ? FindingKind.SumProof : FindingKind.Aggregate;
        if (field.StartsWith("withheld", StringComparison.Ordinal)) return FindingKind.Withheld;
        if (field.StartsWith("unvalued", StringComparison.Ordinal)) return FindingKind.Unvalued;
        if (field.StartsWith("parameters", StringComparison.Ordinal)) return FindingKind.Parameters;
        return FindingKind.Structure;
    }

    /// <summary>A decoding refusal as a finding.</summary>
    public static Finding Of(Codec.WireDecodeException e) => new(OfField(e.Field), e.Field, e.Reason);
}

/// <summary>One thing that does not hold in a bundle: <see cref="Kind"/> the rule, <see cref="Where"/> the element
/// (e.g. submissions[3], aggregates[LSV/s=2/b=3]), <see cref="Message"/> what was found.</summary>
public sealed record Finding(FindingKind Kind, string Where, string Message)
{
    /// <summary>The kind's stable name (<see cref="FindingKinds.Label"/>).</summary>
    public string Check => Kind.Label();
    public override string ToString() => $"{Check}: {Where}: {Message}";
}
