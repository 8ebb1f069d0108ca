using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Vaults;

namespace DVV.ZkRisk.Vaults.Tests;

/// <summary>The model's sanity checks (issue 14): each isolates one mechanism and compares it with what theory says.</summary>
public class SanityTests
{
    private static readonly SimulationConfig Calm = SimulationConfig.Headline with { Scenario = Scenario.Calm };

    [Fact]
    public void Without_vaults_or_traders_the_mark_is_the_exogenous_path()
    {
        var cfg = SimulationConfig.Headline with { Vaults = 0, Traders = 0 };
        var path = new ExogenousPath(cfg);
        var r = new Simulation(cfg, MarginRegime.ImOnly, path: path).Run();
        for (int k = 0; k <= cfg.Blocks; k++) Assert.Equal(path[k], r.Series.Mark[k]);
        Assert.Equal(0, r.Headline.ForcedVolumeTotal);
        Assert.Equal(0, r.Headline.EndogenousDrawdown, 12);
        // and the scripted crash is there: -30% of the fundamental over the crash
        Assert.InRange(path[cfg.Blocks] / path[0], 0.55, 0.85);
    }

    [Fact]
    public void In_a_calm_market_the_delta_engine_keeps_delta_within_the_band()
    {
        var cfg = Calm with { Vaults = 4, Traders = 0 };
        var r = new Simulation(cfg, MarginRegime.ImOnly).Run();
        foreach (var v in r.Vaults)
        {
            Assert.True(v.ContractsWritten > 0, $"{v.Name} wrote nothing");
            Assert.InRange(v.MaxAbsDeltaAfterHedge, 0, cfg.DeltaBand + 1e-9);
            Assert.True(v.Rehedges > 0, $"{v.Name} never rehedged");
            // the band and the interval, not every block: at most one rehedge per rehedge interval plus the out-of-band ones
            Assert.True(v.Rehedges < cfg.Blocks / 2, $"{v.Name} rehedged {v.Rehedges} times in {cfg.Blocks} blocks");
            Assert.False(v.Liquidated);
        }
    }

    [Fact]
    public void Gamma_scalping_pnl_matches_half_gamma_dS_squared_on_small_moves()
    {
        // hedged every block at the mark (no TWAP), no impact, no jumps, a flat smile and no vol-spot beta (so Black's
        // gamma is the whole second derivative): the hedged book's spot PnL per block is 1/2 Gamma dS^2 + O(dS^3)
        var cfg = Calm with
        {
            Surface = VolSurface.Flat(0.6),
            Vaults = 1, Traders = 0, DepthCoins = 1e12, TwapSeconds = 2, DeltaBand = 0, RehedgeIntervalSeconds = 2,
            JumpsPerYear = 0, VolSpotBeta = 0, FundingRatePer8h = 0, ExogenousVol = 0.4,
        };
        var v = new Simulation(cfg, MarginRegime.ImOnly).Run().Vaults[0];
        Assert.True(v.HalfGammaDs2 < 0, "a short strangle is short gamma");
        Assert.InRange(v.GammaPnl / v.HalfGammaDs2, 0.97, 1.03);
        Assert.Equal(0, v.Funding);
    }

    [Fact]
    public void Hedging_costs_are_booked_separately_and_add_up_with_finite_depth_and_funding()
    {
        var cfg = Calm with { Vaults = 2, Traders = 0, DepthCoins = 50, FundingRatePer8h = 0.001 };
        var r = new Simulation(cfg, MarginRegime.ImOnly).Run();
        foreach (var v in r.Vaults)
        {
            Assert.True(v.Slippage > 0, "walking a finite book costs");
            Assert.NotEqual(0, v.Funding);
            AssertCashAttribution(v, cfg.VaultNavUsd);
        }
    }

    [Theory]
    [InlineData(0.30, true)]    // realized well below the 60% implied: the premium is earned
    [InlineData(1.10, false)]   // realized far above: the hedged seller loses
    public void A_hedged_vault_earns_the_premium_on_average_when_realized_is_below_implied(double realized, bool earns)
    {
        var cfg = Calm with
        {
            Vaults = 1, Traders = 0, BlockSeconds = 3_600, DurationSeconds = 28 * 86_400, RoundSeconds = 7 * 86_400,
            EpochSeconds = 3_600, RehedgeIntervalSeconds = 3_600, TwapSeconds = 3_600, ExogenousVol = realized, JumpsPerYear = 0,
            VolSpotBeta = 0, DepthCoins = 1e7, MaxDepositFraction = 0, MaxWithdrawFraction = 0,
        };
        var pnl = Enumerable.Range(1, 24).Select(seed =>
        {
            var v = new Simulation(cfg with { Seed = seed }, MarginRegime.ImOnly).Run().Vaults[0];
            Assert.True(v.ContractsWritten > 0);
            return v.FinalNav - v.InitialNav;
        }).ToArray();
        double mean = pnl.Average();
        if (earns) Assert.True(mean > 0, $"mean PnL {mean:N0} USD with realized vol {realized}");
        else Assert.True(mean < 0, $"mean PnL {mean:N0} USD with realized vol {realized}");
    }

    [Theory]
    [InlineData(MarginRegime.ImOnly)]
    [InlineData(MarginRegime.ImPlusCavb)]
    [InlineData(MarginRegime.ImPlusLinearOi)]
    public void Collateral_fees_pnl_and_the_safety_fund_balance_in_the_crash(MarginRegime regime)
    {
        // the ledger checks after every block that cash, coins and positions are conserved (the run throws otherwise);
        // here: each vault's cash change is exactly the sum of its booked sources, and the fund is initial + fees - draws
        var cfg = SimulationConfig.Headline with { Traders = 300, UnhedgedVaults = 2 };
        var r = new Simulation(cfg, regime).Run();
        foreach (var v in r.Vaults) AssertCashAttribution(v, v.Strategy == "covered-call" ? 0 : cfg.VaultNavUsd);
        var h = r.Headline;
        Assert.Equal(cfg.SafetyFundUsd + h.LiquidationFeesTotal - h.SafetyFundDraw, h.SafetyFundEnd, 1e-6 * cfg.SafetyFundUsd);
        Assert.True(h.TradersLiquidated > 0, "a -30% crash liquidates levered traders");
        Assert.True(h.LiquidationFeesTotal > 0);
    }

    [Fact]
    public void The_ledger_refuses_a_position_without_a_counterparty()
    {
        var l = new Ledger();
        var a = l.Open("a", AccountKind.Herd, 100);
        var b = l.Open("b", AccountKind.Herd, 100);
        l.TradeOption(a, b, 0, 2, 10);
        l.CheckConservation(0);
        Assert.Equal(80, a.Cash, 9);
        Assert.Equal(120, b.Cash, 9);
        a.Perp += 1;                                                  // a perpetual nobody is short of
        Assert.Throws<InvalidOperationException>(() => l.CheckConservation(1));
        a.Perp -= 1;
        a.Cash += 5;                                                  // cash from nowhere
        Assert.Throws<InvalidOperationException>(() => l.CheckConservation(2));
    }

    internal static void AssertCashAttribution(VaultOutcome v, double initialCash)
    {
        double booked = v.Premium - v.PerformanceFees - v.OptionCashPaid + v.PerpVariation - v.Slippage - v.Funding
                        - v.LiquidationFees + v.Deposits - v.Withdrawals + v.SafetyFundCover;
        Assert.True(Math.Abs(booked - v.CashChange) <= 1e-6 * Math.Max(1, initialCash),
            $"{v.Name}: cash moved by {v.CashChange:N2}, the sources add up to {booked:N2}");
    }
}
