namespace DVV.ZkRisk.Risk.Tests;

/// <summary>The CAVB properties required by issue 5, each as a test with consistent aggregates.</summary>
public class CavbTests
{
    private static readonly ParameterSet P = ParameterSet.Default;

    private static MarginCalculator Calc(MarketSnapshot? m = null, ParameterSet? p = null) =>
        new(MarginContext.Create(p ?? P, m ?? Fixtures.Market(), Fixtures.Universe()));

    private static readonly OptionContract Put1 = Fixtures.Put(58_500, 21);
    private static readonly OptionContract Put2 = Fixtures.Put(61_750, 45);
    private static readonly OptionContract Call1 = Fixtures.Call(74_750, 45);

    /// <summary>Short puts and calls with equity = cushion x IM: near liquidation for cushion ~1, safe for a large one.</summary>
    private static PositionBook Trader(MarginCalculator calc, string id, double size, double cushion)
    {
        var pos = new[] { Position.Of(Put1, -10 * size), Position.Of(Put2, -6 * size), Position.Of(Call1, -3 * size) };
        var bare = new PositionBook(id, pos, 0);
        var r = calc.InitialMargin.Evaluate(calc.Context.Resolve(bare));
        double mtm = r.Equity;                      // collateral 0: equity is the (negative) MTM
        return new PositionBook(id, pos, cushion * r.InitialMargin - mtm);
    }

    private static List<PositionBook> Crowd(MarginCalculator calc, int n, double size = 1, double cushion = 1.05) =>
        Enumerable.Range(0, n).Select(i => Trader(calc, $"crowd{i}", size * (1 + 0.1 * (i % 5)), cushion)).ToList();

    private static double Cavb(MarginCalculator calc, PositionBook me, IEnumerable<PositionBook> others)
    {
        var agg = Fixtures.Aggregates(calc, others.Append(me));
        return calc.Margin(me, agg).Cavb;
    }

    [Fact]
    public void ZeroWhenNobodyIsNearLiquidation()
    {
        var calc = Calc();
        var everyone = Crowd(calc, 20, cushion: 50).Append(Trader(calc, "me", 1, 50)).ToList();
        var agg = Fixtures.Aggregates(calc, everyone);
        for (int s = 0; s < agg.ShockCount; s++)
            for (int b = 0; b < agg.BandCount; b++)
                Assert.Equal(0UL, agg.Lsv(s, b));
        foreach (var t in everyone)
        {
            var n = calc.Margin(t, agg);
            Assert.Equal(0, n.Cavb);
            Assert.Equal(n.InitialMargin, n.TotalMargin);
        }
    }

    [Fact]
    public void ZeroForASafeTraderEvenWhenTheCrowdIsLiquidated()
    {
        var calc = Calc();
        var me = Trader(calc, "me", 1, 50);
        var n = calc.Margin(me, Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me)));
        Assert.False(calc.OwnData(me).Flags.Any);
        Assert.Equal(0, n.Cavb);
    }

    [Fact]
    public void PositiveForALiquidatedTraderInALiquidatedCrowd()
    {
        var calc = Calc();
        var me = Trader(calc, "me", 1, 1.05);
        var n = calc.Margin(me, Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me)));
        Assert.True(n.Cavb > 0);
        Assert.Equal(n.InitialMargin + n.Cavb, n.TotalMargin, 9);
        Assert.True(n.CavbBreakdown.Lines[n.CavbBreakdown.Result.BindingShock].Lambda == 1);
    }

    [Fact]
    public void IncreasingAndSuperlinearInOwnSize()
    {
        // Own size k: own S_ib and own contribution to LSV both scale (equity too, so flags are unchanged).
        var calc = Calc();
        var crowd = Crowd(calc, 20);
        double c1 = Cavb(calc, Trader(calc, "me", 1, 1.05), crowd);
        double c2 = Cavb(calc, Trader(calc, "me", 2, 1.05), crowd);
        double c4 = Cavb(calc, Trader(calc, "me", 4, 1.05), crowd);
        Assert.True(c1 > 0);
        Assert.True(c2 > 2 * c1, $"CAVB(2x) = {c2} is not more than twice CAVB(1x) = {c1}");
        Assert.True(c4 > 2 * c2, $"CAVB(4x) = {c4} is not more than twice CAVB(2x) = {c2}");
    }

    [Fact]
    public void IncreasingInOwnLiquidationSensitiveExposureAtFixedAggregates()
    {
        // Holding the proven aggregates fixed, more own flagged short OI means more CAVB (v_i grows).
        var calc = Calc();
        var me = Trader(calc, "me", 1, 1.05);
        var agg = Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me));
        var own = calc.OwnData(me);
        double prev = calc.Cavb.Compute(agg, own).Cavb;
        for (int extra = 1; extra <= 3; extra++)
        {
            var more = own.Exposure.Short.Select(v => v * (ulong)(1 + extra)).ToArray();
            double c = calc.Cavb.Compute(agg, new TraderOwnData(new BandExposure(more, own.Exposure.Long), own.Flags)).Cavb;
            Assert.True(c > prev);
            prev = c;
        }
    }

    [Fact]
    public void IncreasingInTheCrowdsExposure()
    {
        var calc = Calc();
        var me = Trader(calc, "me", 1, 1.05);
        double prev = -1;
        foreach (int n in new[] { 0, 5, 10, 20, 40 })
        {
            double c = Cavb(calc, me, Crowd(calc, n));
            Assert.True(c > prev, $"crowd of {n}: CAVB {c} not above {prev}");
            prev = c;
        }
        // Same crowd count, bigger crowd positions.
        double small = Cavb(calc, me, Crowd(calc, 10, size: 1));
        double big = Cavb(calc, me, Crowd(calc, 10, size: 3));
        Assert.True(big > small);
        // A safe crowd adds nothing.
        Assert.Equal(Cavb(calc, me, Crowd(calc, 0)), Cavb(calc, me, Crowd(calc, 10, cushion: 50)), 9);
    }

    [Fact]
    public void CappedByPMax()
    {
        // Tiny depth: the impact is enormous and P(I) = P_max exactly.
        var calc = Calc(Fixtures.Market(depthCoins: 0.01));
        var me = Trader(calc, "me", 1, 1.05);
        var n = calc.Margin(me, Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me)));
        var lines = n.CavbBreakdown.Lines;
        double cap = lines.Max(l => P.Alpha * Fixtures.Spot * l.OwnForcedVolume * P.PMax);
        Assert.True(cap > 0);
        Assert.Equal(cap, n.Cavb, 6);
        Assert.All(lines.Where(l => l.ForcedVolume > 0), l => Assert.Equal(P.PMax, l.Multiplier));

        // And never above the cap at normal depth, for any P_max.
        foreach (double pmax in new[] { 0.01, 0.1, 1.0, 5.0 })
        {
            var p = P with { PMax = pmax };
            var c = Calc(p: p);
            var m2 = Trader(c, "me", 1, 1.05);
            var n2 = c.Margin(m2, Fixtures.Aggregates(c, Crowd(c, 40).Append(m2)));
            double bound = n2.CavbBreakdown.Lines.Max(l => p.Alpha * Fixtures.Spot * l.OwnForcedVolume * pmax);
            Assert.True(n2.Cavb <= bound + 1e-9);
        }
    }

    [Fact]
    public void LargerWhenTheClearingFundShrinks()
    {
        double CavbWithFund(double fund)
        {
            var calc = Calc(Fixtures.Market(fundUsd: fund));
            var me = Trader(calc, "me", 1, 1.05);
            return Cavb(calc, me, Crowd(calc, 20));
        }
        double target = P.FundTargetUsd;
        double atTarget = CavbWithFund(target);
        double half = CavbWithFund(target / 2);
        double tenth = CavbWithFund(target / 10);
        Assert.True(atTarget > 0);
        Assert.True(half > atTarget);
        Assert.True(tenth > half);
        Assert.Equal(atTarget, CavbWithFund(2 * target), 9);    // kappa_eff = kappa once F >= F_target
        // An empty fund charges the cap.
        var calc0 = Calc(Fixtures.Market(fundUsd: 0));
        var me0 = Trader(calc0, "me", 1, 1.05);
        var n0 = calc0.Margin(me0, Fixtures.Aggregates(calc0, Crowd(calc0, 20).Append(me0)));
        Assert.Equal(n0.CavbBreakdown.Lines.Max(l => P.Alpha * Fixtures.Spot * l.OwnForcedVolume * P.PMax), n0.Cavb, 6);
    }

    [Fact]
    public void SplittingABookAcrossLinkedAccountsDoesNotLowerTheTotal()
    {
        var calc = Calc();
        var crowd = Crowd(calc, 20);
        var whole = new PositionBook("whole", new[]
        {
            Position.Of(Put1, -12), Position.Of(Put2, -6), Position.Of(Call1, -4), Position.Of(Fixtures.Perp, 1.5),
            Position.Of(Fixtures.Put(52_000, 45), 5),
        }, 0);
        var r = calc.InitialMargin.Evaluate(calc.Context.Resolve(whole));
        whole = new PositionBook("whole", whole.Positions, 1.02 * r.InitialMargin - r.Equity);

        var aggWhole = Fixtures.Aggregates(calc, crowd.Append(whole));
        double totalWhole = calc.Margin(whole, aggWhole).TotalMargin;
        Assert.True(calc.Margin(whole, aggWhole).Cavb > 0);

        var rng = new Random(5);
        for (int trial = 0; trial < 25; trial++)
        {
            // Random partition of positions and collateral over 2..4 linked accounts; on odd trials
            // also add offsetting long/short legs in different accounts (the merged book is unchanged).
            int k = 2 + trial % 3;
            var parts = Enumerable.Range(0, k).Select(_ => new List<Position>()).ToArray();
            foreach (var pos in whole.Positions)
            {
                long left = pos.QuantityE4;
                for (int i = 0; i < k - 1; i++)
                {
                    long piece = (long)(left * rng.NextDouble());
                    parts[i].Add(pos with { QuantityE4 = piece });
                    left -= piece;
                }
                parts[k - 1].Add(pos with { QuantityE4 = left });
            }
            if (trial % 2 == 1)
            {
                var leg = Fixtures.Put(58_500, 45);
                parts[0].Add(Position.Of(leg, 7));
                parts[1].Add(Position.Of(leg, -7));
            }
            var weights = Enumerable.Range(0, k).Select(_ => rng.NextDouble()).ToArray();
            double sumW = weights.Sum();
            var accounts = parts.Select((ps, i) => new PositionBook($"acct{i}", ps, whole.CollateralUsd * weights[i] / sumW)).ToList();

            var agg = Fixtures.Aggregates(calc, crowd.Select(c => (IReadOnlyList<PositionBook>)new[] { c }).Append(accounts));
            var notice = calc.MarginCluster("cluster", accounts, agg);
            Assert.True(notice.TotalMargin >= totalWhole - 1e-6 * totalWhole,
                $"trial {trial}: cluster total {notice.TotalMargin} below whole-book total {totalWhole}");
            if (trial % 2 == 0)
                Assert.Equal(totalWhole, notice.TotalMargin, 6);     // a plain split changes nothing
        }
    }

    [Fact]
    public void BreakdownFollowsTheFormula()
    {
        var calc = Calc();
        var me = Trader(calc, "me", 1, 1.05);
        var agg = Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me));
        var own = calc.OwnData(me);
        var bd = calc.Cavb.Explain(agg, own);
        double kappaEff = P.Kappa * Math.Max(1, Math.Pow(P.FundTargetUsd / calc.Context.Market.ClearingFundUsd, P.Gamma));
        Assert.Equal(kappaEff, bd.KappaEffective, 12);
        foreach (var l in bd.Lines)
        {
            double v = 0, vi = 0;
            for (int b = 0; b < agg.BandCount; b++)
            {
                v += calc.Cavb.H(l.Index, b) * agg.Lsv(l.Index, b) / 1e4;
                vi += calc.Cavb.H(l.Index, b) * own.Exposure.Short[b] / 1e4;
            }
            Assert.Equal(v, l.ForcedVolume, 9);
            Assert.Equal(own.Flags.Lambda(l.Index) * vi, l.OwnForcedVolume, 9);
            Assert.Equal(v / calc.Context.Market.DepthCoins, l.Impact, 12);
            Assert.Equal(Math.Min(P.PMax, Math.Exp(kappaEff * l.Impact) - 1), l.Multiplier, 12);
            Assert.Equal(P.Alpha * Fixtures.Spot * l.OwnForcedVolume * l.Multiplier, l.Cavb, 6);
        }
        Assert.Equal(bd.Lines.Max(l => l.Cavb), bd.Result.Cavb, 9);
        Assert.Equal(bd.Result, calc.Cavb.Compute(agg, own));
    }

    [Fact]
    public void RepresentativeDeltasAreProbabilities()
    {
        var calc = Calc();
        for (int s = 0; s < P.ShockCount; s++)
            for (int b = 0; b < P.TotalBands; b++)
                Assert.InRange(calc.Cavb.H(s, b), 0.0, 1.0);
        // A crash pushes the downside puts (band 2 of the 30d+ bucket) into the money: |delta| grows.
        int band = 3 * 8 + 2;
        Assert.True(calc.Cavb.H(0, band) > calc.Cavb.H(P.ShockCount - 1, band));
    }

    [Fact]
    public void WithheldCellsFallBackToOwnExposure()
    {
        // Two flagged traders only (< k_min = 5): every non-zero cell is withheld, LSV reads 0,
        // and each trader's V(s) is its own flagged exposure, a lower bound of the true total.
        var calc = Calc();
        var a = Trader(calc, "a", 1, 1.05);
        var b = Trader(calc, "b", 1, 1.05);
        var agg = Fixtures.Aggregates(calc, new[] { a, b });
        var bd = calc.Cavb.Explain(agg, calc.OwnData(a));
        Assert.Contains(Enumerable.Range(0, agg.BandCount), band => !agg.IsPublished(0, band));
        Assert.All(Enumerable.Range(0, agg.BandCount), band => Assert.Equal(0UL, agg.Lsv(0, band)));
        var l0 = bd.Lines[0];
        Assert.Equal(l0.OwnForcedVolume, l0.ForcedVolume, 9);
        Assert.True(bd.Result.Cavb > 0);

        // Publishing (k_min = 1) reveals the full total: at least as large.
        var p1 = P with { KMin = 1 };
        var calc1 = Calc(p: p1);
        var agg1 = Fixtures.Aggregates(calc1, new[] { a, b });
        Assert.True(calc1.Cavb.Compute(agg1, calc1.OwnData(a)).Cavb >= bd.Result.Cavb);
    }

    [Fact]
    public void ProvenWithheldRemainderEntersTheForcedVolumeInsteadOfTheOwnExposureFallback()
    {
        // The same two flagged traders with every cell withheld, but now the epoch layer proves the withheld remainder
        // Sum_b h_b(s) LSV_sb per shock: V(s) is the true total (as if published), not the own-exposure lower bound.
        var calc = Calc();
        var a = Trader(calc, "a", 1, 1.05);
        var b = Trader(calc, "b", 1, 1.05);
        var hidden = Fixtures.Aggregates(calc, new[] { a, b });
        var open = Fixtures.Aggregates(Calc(p: P with { KMin = 1 }), new[] { a, b });
        var remainder = new double[P.ShockCount];
        for (int s = 0; s < P.ShockCount; s++)
            for (int band = 0; band < P.TotalBands; band++)
                remainder[s] += calc.Cavb.H(s, band) * open.Lsv(s, band) / Quantity.UnitsPerContract;
        var lsv = new ulong[P.ShockCount, P.TotalBands];
        var cnt = new int[P.ShockCount, P.TotalBands];
        for (int s = 0; s < P.ShockCount; s++)
            for (int band = 0; band < P.TotalBands; band++) { lsv[s, band] = open.Lsv(s, band); cnt[s, band] = open.Contributors(s, band); }
        var proven = ProvenAggregates.FromVerifiedTotals(7, P, lsv, cnt, remainder);   // every cell withheld (2 < k_min = 5)
        Assert.All(Enumerable.Range(0, P.TotalBands), band => Assert.Equal(0UL, proven.Lsv(0, band)));
        var withRemainder = calc.Cavb.Explain(proven, calc.OwnData(a));
        var fallback = calc.Cavb.Explain(hidden, calc.OwnData(a));
        for (int s = 0; s < P.ShockCount; s++) Assert.Equal(remainder[s], withRemainder.Lines[s].ForcedVolume, 9);
        Assert.True(withRemainder.Result.Cavb >= fallback.Result.Cavb);
        Assert.True(withRemainder.Lines[0].ForcedVolume > fallback.Lines[0].ForcedVolume);   // b's exposure counts too
        Assert.Throws<RiskInputException>(() => ProvenAggregates.FromVerifiedTotals(7, P, lsv, cnt, [-1.0]));
    }

    [Fact]
    public void ComputeAllocatesNothing()
    {
        var calc = Calc();
        var me = Trader(calc, "me", 1, 1.05);
        var agg = Fixtures.Aggregates(calc, Crowd(calc, 20).Append(me));
        var own = calc.OwnData(me);
        var shortE4 = own.Exposure.Short;
        calc.Cavb.Compute(agg, shortE4, own.Flags);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sink = 0;
        for (int i = 0; i < 1000; i++) sink += calc.Cavb.Compute(agg, shortE4, own.Flags).Cavb;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
    }
}
