namespace DVV.ZkRisk.Protocol.Publication;

/// <summary>Which part of a trader's own check (<see cref="Notices.TraderCheck"/>) failed.</summary>
public enum TraderCheckKind
{
    /// <summary>The trader is not in the epoch's Merkle tree, or the inclusion proof does not verify.</summary>
    Inclusion,
    /// <summary>The submission in the state is not the one the trader signed.</summary>
    Submission,
    /// <summary>The bundle's commitments do not open to the trader's own opening (the venue counted another submission).</summary>
    Opening,
    /// <summary>The opening's book cannot be read or valued.</summary>
    Book,
    /// <summary>The notice is for another epoch, bundle or trader, is not signed by the venue key the parameters pin, or is
    /// malformed or mislabelled (unvalued).</summary>
    Notice,
    /// <summary>A selection commitment D_sb does not open to the flag the notice claims (the venue counted another flag).</summary>
    Selection,
    /// <summary>The notice's IM, CAVB or total differ from the trader's own recomputation.</summary>
    Margin,
    /// <summary>The notice's cluster is not the bundle's, or a cluster notice cannot be recomputed (a member's opening is
    /// missing or does not open its commitments).</summary>
    Cluster,
}

/// <summary>One thing that does not hold in a trader's check: its <see cref="Kind"/> and what was found.</summary>
public sealed record TraderProblem(TraderCheckKind Kind, string Message)
{
    private static readonly string[] Labels = ["inclusion", "submission", "opening", "opening.book_json", "notice", "selection", "margin", "cluster"];

    /// <summary>The stable lower-case name of the kind (reports print it).</summary>
    public string Label => Labels[(int)Kind];

    public override string ToString() => $"{Label}: {Message}";
}
