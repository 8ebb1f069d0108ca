using System.Text;
using DVV.ZkRisk.Vaults;

namespace DVV.ZkRisk.Vaults.Tests;

/// <summary>The mechanisms the headline rests on, and the study's determinism.</summary>
public class MechanismTests
{
    [Fact]
    public void Cavb_makes_a_crowd_of_identical_vaults_write_less_before_the_shock()
    {
        var cfg = SimulationConfig.Headline with { Traders = 200, Scenario = Scenario.Calm, DurationSeconds = 60 };
        var im = new Simulation(cfg, MarginRegime.ImOnly).Run().Headline;
        var cavb = new Simulation(cfg, MarginRegime.ImPlusCavb).Run().Headline;
        Assert.Equal(0, im.InitialAddOn);
        Assert.True(cavb.InitialAddOn > 0);
        Assert.True(cavb.VaultContractsWritten < 0.9 * im.VaultContractsWritten, $"{cavb.VaultContractsWritten} vs {im.VaultContractsWritten}");
    }

    [Fact]
    public void A_longer_twap_resists_a_short_push_of_the_mark()
    {
        var cfg = SimulationConfig.Headline with { Scenario = Scenario.Manipulation, Traders = 400, Vaults = 2, DurationSeconds = 900 };
        var spot = new Simulation(cfg with { TwapSeconds = 2 }, MarginRegime.ImOnly).Run().Headline;
        var twap = new Simulation(cfg with { TwapSeconds = 120 }, MarginRegime.ImOnly).Run().Headline;
        Assert.True(spot.TradersLiquidated > twap.TradersLiquidated, $"no TWAP {spot.TradersLiquidated}, 120 s TWAP {twap.TradersLiquidated}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var cfg = SimulationConfig.Headline with { Traders = 100, DurationSeconds = 1_200 };
        byte[] Json(params int[] seeds) => StudyJson.Serialize(new ContagionStudy(cfg, MarginRegimes.All, seeds).Run());
        var a = Json(3, 4);
        Assert.Equal(a, Json(3, 4));
        Assert.NotEqual(a, Json(5, 4));
        var text = Encoding.UTF8.GetString(a);
        foreach (var key in new[] { "\"regimes\"", "\"regime\": \"im-only\"", "\"regime\": \"im+cavb\"", "\"regime\": \"im+linear-oi\"", "\"peakForcedVolume\"",
                                    "\"endogenousDrawdown\"", "\"vaultLosses\"", "\"safetyFundDraw\"", "\"tradersLiquidated\"" })
            Assert.Contains(key, text);
    }

    [Fact]
    public void Square_root_impact_and_a_round_trip_leave_no_permanent_move()
    {
        var cfg = SimulationConfig.Headline with { DepthConsumption = 0 };
        var book = new PerpMarket(cfg, 100_000);
        book.Execute(-cfg.DepthCoins);                       // a full book's depth sold at once moves the mark by X
        Assert.Equal(-cfg.DepthMove, Math.Log(book.Mark / 100_000), 12);
        var quarter = new PerpMarket(cfg, 100_000);
        quarter.Execute(-cfg.DepthCoins / 4);                // a quarter: permanent X/4 theta, transient X sqrt(1/4) (1 - theta)
        Assert.Equal(-cfg.DepthMove * (cfg.PermanentImpactShare / 4 + (1 - cfg.PermanentImpactShare) / 2), Math.Log(quarter.Mark / 100_000), 12);
        var fill = book.Execute(cfg.DepthCoins);             // bought back: the linear permanent part cancels exactly
        Assert.True(fill < 100_000);
        for (int k = 0; k < 2_000; k++) book.Advance(100_000);
        Assert.Equal(100_000, book.Mark, 6);
    }

    [Fact]
    public void The_oracle_is_the_mean_of_the_last_window()
    {
        var o = new TwapOracle(3, 10);
        o.Observe(20); o.Observe(30);
        Assert.Equal(20, o.Price, 12);
        o.Observe(40);
        Assert.Equal(30, o.Price, 12);
    }

    [Fact]
    public void Bad_parameters_are_refused_with_the_parameter_named()
    {
        var e = Assert.Throws<ArgumentException>(() => (SimulationConfig.Headline with { DepthCoins = 0 }).Validate());
        Assert.Contains("depth", e.Message);
        e = Assert.Throws<ArgumentException>(() => (SimulationConfig.Headline with { CrashMove = -1.2 }).Validate());
        Assert.Contains("crash", e.Message);
        e = Assert.Throws<ArgumentException>(() => (SimulationConfig.Headline with { RoundSeconds = 3_600 }).Validate());
        Assert.Contains("round", e.Message);
        Assert.Throws<ArgumentException>(() => new ContagionStudy(SimulationConfig.Headline, [], [1]));
    }
}
