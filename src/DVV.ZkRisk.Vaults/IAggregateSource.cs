using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>Where a run's per-epoch crowd aggregates come from: the risk engine in the clear (<see cref="ClearAggregates"/>,
/// for sweeps) or the real epoch pipeline with proofs (<see cref="ProvenEpochAggregates"/>, demo scale).</summary>
public interface IAggregateSource
{
    /// <summary>What a report prints about the aggregates, e.g. "not proven (risk engine in the clear)".</summary>
    string Description { get; }
    /// <summary>True when the aggregates come out of a verified epoch bundle.</summary>
    bool Proven { get; }

    /// <summary>The epoch's aggregates over the margined books. <paramref name="risk"/> and <paramref name="shortE4"/> are the
    /// risk engine's pass 1 over the same books (flags and S_ib, flat [book x bands]).</summary>
    ProvenAggregates Aggregate(long epoch, MarginContext context, IReadOnlyList<PositionBook> books, TraderRisk[] risk, ulong[] shortE4);
}
