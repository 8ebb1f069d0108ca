using DVV.ZkRisk.Vaults;

namespace DVV.ZkRisk.Vaults.Tests;

public class ProvenRunTests
{
    [Fact]
    public void A_run_on_verified_epoch_bundles_gives_the_same_result_as_the_aggregates_in_the_clear()
    {
        // every epoch: 8 submissions with both m = 64 range proofs, sealed, verified (range proofs included); the CAVB then
        // reads the verified bundle's aggregates. They must be exactly the sealer's clear computation.
        var cfg = SimulationConfig.Headline with { Vaults = 2, Traders = 6, DurationSeconds = 120, EpochSeconds = 60 };
        var proven = new ProvenEpochAggregates();
        var a = new Simulation(cfg, MarginRegime.ImPlusCavb, proven).Run();
        var b = new Simulation(cfg, MarginRegime.ImPlusCavb, new ClearAggregates()).Run();
        Assert.Equal(3, proven.Epochs);
        Assert.Equal(24, proven.Submissions);
        Assert.Equal(b.Headline, a.Headline);
        Assert.Equal(b.Series.Requirement, a.Series.Requirement);
        Assert.Equal(b.Series.Mark, a.Series.Mark);
        Assert.True(a.Headline.InitialAddOn > 0, "the CAVB charged something");
    }
}
