using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// One run of the contagion model under one margin regime. Per block, in this order:
/// <list type="number">
/// <item>the fundamental moves (<see cref="ExogenousPath"/>), the book refills and its transient impact decays; the
///   manipulator trades in the manipulation scenario;</item>
/// <item>the oracle observes the mark; options are revalued at the mark and at the oracle;</item>
/// <item>perpetuals settle variation margin at the mark and pay funding to the book;</item>
/// <item>expired options settle at the oracle; at a round's end vaults take deposits and withdrawals and write again;</item>
/// <item>at an epoch, the venue margins the population (<see cref="VenueMargin"/>) and vaults below their safe capital
///   ratio deleverage (<see cref="LiquidationThreshold"/>);</item>
/// <item>accounts below maintenance at the oracle are queued for liquidation, which lands after the time to liquidate
///   (block time x blocks to finality + window); due liquidations close options with the dealer and perpetuals on the
///   book, charge the fee to the safety fund, and the fund covers what is left negative;</item>
/// <item>hedged vaults rehedge (<see cref="DeltaHedger"/>), the dealer hedges what it took over;</item>
/// <item>conservation is checked (<see cref="Ledger.CheckConservation"/>).</item>
/// </list>
/// Perpetual accounting: a position is settled at <c>_settle</c>, the mark at the block's start; a trade of q at fill f
/// pays q (f - settle) in cash, of which q (f - mark) is booked as slippage and the rest as variation.
/// </summary>
public sealed class Simulation
{
    private readonly SimulationConfig _cfg;
    private readonly MarginRegime _regime;
    private readonly IAggregateSource _source;
    private readonly ExogenousPath _path;

    public Simulation(SimulationConfig config, MarginRegime regime, IAggregateSource? source = null, ExogenousPath? path = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _cfg = config;
        _regime = regime;
        _source = source ?? new ClearAggregates();
        _path = path ?? new ExogenousPath(config);
        if (_path.Blocks != config.Blocks) throw new ArgumentException("the exogenous path has a different number of blocks than the run");
    }

    /// <summary>The start of every run (a fixed date: runs are deterministic).</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public RegimeResult Run(IProgress<int>? blocksDone = null) => new Run(_cfg, _regime, _source, _path).Execute(blocksDone);
}

/// <summary>The state of one <see cref="Simulation"/> while it runs.</summary>
internal sealed class Run
{
    private readonly SimulationConfig _cfg;
    private readonly MarginRegime _regime;
    private readonly ExogenousPath _path;
    private readonly VenueMargin _venue;
    private readonly VenueMargin _sizing;         // sizing always reads aggregates in the clear: participants plan on published figures
    private readonly Ledger _ledger = new();
    private readonly PerpMarket _book;
    private readonly TwapOracle _oracle;
    private readonly OptionMarket _options;
    private readonly DeltaHedger _hedger;
    private readonly LiquidationThreshold _threshold;
    private readonly Random _rng;
    private readonly SimAccount _buyers, _dealer, _lp, _fund, _stakers, _depositors, _manipulator;
    private readonly List<Vault> _vaults = [];
    private readonly List<SimAccount> _traders = [];
    private readonly Dictionary<SimAccount, Vault> _vaultOf = [];
    private readonly RegimeSeries _series;
    private readonly List<EpochMargin> _epochs = [];
    private readonly HashSet<int> _settled = [];
    private double _settle;                    // mark at which perpetuals were last settled
    private double _fundDraw, _feesTotal, _liqVolume, _dealerVolume, _hedgeVolume, _blockForced, _blockHedge;
    private int _tradersLiquidated, _vaultsLiquidated, _block, _blockLiquidations;
    private long _epoch;
    private double _herdContracts, _leveredCoins, _initialRequirement, _initialAddOn;
    private DateTimeOffset _nextRound;
    private Greeks[] _prevMark = [];
    private double _prevMarkPrice;
    private ProvenAggregates? _lastAggregates;

    public Run(SimulationConfig cfg, MarginRegime regime, IAggregateSource source, ExogenousPath path)
    {
        _cfg = cfg; _regime = regime; _path = path;
        _venue = new VenueMargin(cfg, regime, source);
        _sizing = new VenueMargin(cfg, regime, new ClearAggregates());
        _book = new PerpMarket(cfg, path[0]);
        _oracle = new TwapOracle(cfg.BlocksPer(cfg.TwapSeconds), path[0]);
        _options = new OptionMarket(cfg.Surface ?? SkewedSurface.Create(cfg.ImpliedVol), cfg.VolSpotBeta, cfg.InitialSpot, cfg.RiskParameters.MinVol);
        _hedger = new DeltaHedger(cfg.DeltaBand, cfg.BlocksPer(cfg.RehedgeIntervalSeconds));
        _threshold = new LiquidationThreshold(cfg.SafeCapitalRatio, cfg.WriteHeadroom);
        _rng = new Random(unchecked(cfg.Seed * 31 + 5));   // the population: the same in every regime of a seed
        _series = new RegimeSeries(cfg.Blocks);
        const double outside = 1e13;                      // the outside world's cash: large enough never to run out
        _buyers = _ledger.Open("option-buyers", AccountKind.OptionBuyers, outside);
        _dealer = _ledger.Open("dealer", AccountKind.Dealer, outside);
        _lp = _ledger.Open("book-liquidity", AccountKind.BookLiquidity, outside);
        _fund = _ledger.Open("safety-fund", AccountKind.SafetyFund, cfg.SafetyFundUsd);
        _stakers = _ledger.Open("stakers", AccountKind.Stakers);
        _depositors = _ledger.Open("depositors", AccountKind.Depositors, outside);
        _manipulator = _ledger.Open("manipulator", AccountKind.Manipulator, outside);
        _settle = path[0];
    }

    private DateTimeOffset Now => Simulation.Start.AddSeconds(_block * _cfg.BlockSeconds);

    public RegimeResult Execute(IProgress<int>? progress)
    {
        Populate();
        Record();
        int epochBlocks = _cfg.BlocksPer(_cfg.EpochSeconds);
        int manipFrom = _cfg.Scenario == Scenario.Manipulation ? _cfg.BlocksPer(_cfg.ManipulationStartSeconds) : -1;
        int manipTo = manipFrom + _cfg.BlocksPer(_cfg.ManipulationHoldSeconds);
        for (_block = 1; _block <= _cfg.Blocks; _block++)
        {
            _blockForced = 0; _blockHedge = 0; _blockLiquidations = 0;
            _book.Advance(_path[_block]);
            if (_block == manipFrom) TradePerp(_manipulator, -_cfg.ManipulationCoins, Flow.None);
            if (_block == manipTo) TradePerp(_manipulator, -_manipulator.Perp, Flow.None);
            double mark = _book.Mark;
            _oracle.Observe(mark);
            Array.Resize(ref _prevMark, _options.Contracts.Count);
            for (int i = 0; i < _prevMark.Length; i++) _prevMark[i] = _options.AtMark(i);
            _options.Refresh(Now, mark, _oracle.Price);
            AttributeSpotPnl(mark);
            SettlePerpetuals(mark);
            SettleExpiries();
            if (Now >= _nextRound) StartRound();
            if (_block % epochBlocks == 0) Margin();
            Liquidations();
            Hedge();
            _prevMarkPrice = _book.Mark;
            _ledger.CheckConservation(_block);
            Record();
            if ((_block & 63) == 0) progress?.Report(_block);
        }
        progress?.Report(_cfg.Blocks);
        return Result();
    }

    // ---- population ---------------------------------------------------------------------------

    private void Populate()
    {
        double s0 = _path[0];
        _options.Refresh(Now, s0, s0);
        _prevMarkPrice = s0;
        for (int v = 0; v < _cfg.Vaults + _cfg.UnhedgedVaults; v++)
        {
            var strategy = v < _cfg.Vaults ? _cfg.VaultStrategy : (v - _cfg.Vaults) % 2 == 0 ? VaultStrategy.CoveredCall : VaultStrategy.CashSecuredPut;
            bool coins = strategy == VaultStrategy.CoveredCall;
            var acc = _ledger.Open($"vault-{v:D2}", AccountKind.Vault, coins ? 0 : _cfg.VaultNavUsd, coins ? _cfg.VaultNavUsd / s0 : 0);
            var vault = new Vault(acc, strategy, _cfg.VaultNavUsd) { InitialNav = _cfg.VaultNavUsd };
            _vaults.Add(vault);
            _vaultOf[acc] = vault;
        }
        int herd = (int)Math.Round(_cfg.Traders * _cfg.HerdShare), levered = (int)Math.Round(_cfg.Traders * _cfg.LeveredLongShare);
        for (int i = 0; i < _cfg.Traders; i++)
        {
            var kind = i < herd ? AccountKind.Herd : i < herd + levered ? AccountKind.LeveredLong : AccountKind.Hedger;
            // lognormal collateral; hedgers hold three times as much (well collateralised by construction)
            double collateral = Math.Round(_cfg.TraderCollateralUsd * Math.Exp(0.5 * ExogenousPath.Gaussian(_rng)) * (kind == AccountKind.Hedger ? 3 : 1), 2);
            _traders.Add(_ledger.Open($"{KindLabel(kind)}-{i:D4}", kind, collateral));
        }
        OpenPositions(initial: true);
        _nextRound = Now.AddSeconds(_cfg.RoundSeconds);
    }

    internal static string KindLabel(AccountKind k) => k switch
    {
        AccountKind.Herd => "herd", AccountKind.LeveredLong => "levered", AccountKind.Hedger => "hedger", _ => k.ToString().ToLowerInvariant(),
    };

    private sealed record Plan(SimAccount Account, List<(int Instrument, double Qty)> Unit, double PerpPerUnit, double Target, double MaxUnits)
    {
        public double Units { get; set; }
        public double UnitPremium { get; set; }
    }

    /// <summary>Round start (and the run's start): vaults write; at the start, traders open their books. Sizes are solved
    /// under the regime; for im+cavb the crowd's aggregates depend on everyone's sizes, so the sizing iterates on them
    /// (damped fixed point, five passes) before anything is traded.</summary>
    private void OpenPositions(bool initial)
    {
        double s = _oracle.Price;
        var now = Now;
        var expiry = now.AddSeconds(_cfg.RoundSeconds);
        var plans = new List<Plan>();
        foreach (var v in _vaults)
        {
            if (v.Account.Liquidated) continue;
            double nav = EquityAtOracle(v.Account);
            if (nav <= 0) continue;
            var unit = new List<(int, double)>();
            double maxUnits;
            switch (v.Strategy)
            {
                case VaultStrategy.ShortStrangle:
                    unit.Add((Listed(OptionType.Put, s * Math.Exp(-_cfg.StrangleWidth), expiry), -1));
                    unit.Add((Listed(OptionType.Call, s * Math.Exp(_cfg.StrangleWidth), expiry), -1));
                    maxUnits = nav / (0.01 * s);
                    break;
                case VaultStrategy.ShortStraddle:
                    unit.Add((Listed(OptionType.Put, s, expiry), -1));
                    unit.Add((Listed(OptionType.Call, s, expiry), -1));
                    maxUnits = nav / (0.01 * s);
                    break;
                case VaultStrategy.CoveredCall:
                    unit.Add((Listed(OptionType.Call, s * Math.Exp(_cfg.StrangleWidth), expiry), -1));
                    maxUnits = Math.Floor(v.Account.Coins * 10) / 10;                 // fully covered
                    break;
                default:
                    int put = Listed(OptionType.Put, s * Math.Exp(-_cfg.StrangleWidth), expiry);
                    unit.Add((put, -1));
                    maxUnits = Math.Floor(v.Account.Cash / _options.Contracts[put].Strike * 10) / 10;   // cash-secured
                    break;
            }
            plans.Add(new Plan(v.Account, unit, 0, nav / _threshold.TargetAdequacy, maxUnits));
        }
        if (initial)
        {
            var herdExpiry = now.AddDays(21);
            int herdPut = Listed(OptionType.Put, s * Math.Exp(-0.075), herdExpiry);
            int herdWing = Listed(OptionType.Put, s * Math.Exp(-0.125), herdExpiry);
            foreach (var t in _traders)
            {
                double u = 0.75 + 0.2 * _rng.NextDouble();
                switch (t.Kind)
                {
                    case AccountKind.Herd:
                    {
                        var unit = new List<(int, double)> { (herdPut, -1) };
                        if (_rng.Next(3) == 0) unit.Add((herdWing, -0.5));
                        plans.Add(new Plan(t, unit, 0, u * t.Cash, t.Cash / (0.002 * s)));
                        break;
                    }
                    case AccountKind.LeveredLong:
                        plans.Add(new Plan(t, [], 1, (0.6 + 0.3 * _rng.NextDouble()) * t.Cash, t.Cash / (0.01 * s)));
                        break;
                    default:
                        OpenHedgerBook(t, s, now);
                        break;
                }
            }
        }
        foreach (var p in plans)
        {
            double prem = 0;
            foreach (var (i, q) in p.Unit) prem += -q * _options.AtOracle(i).Price;
            p.UnitPremium = prem * (_vaultOf.ContainsKey(p.Account) ? 1 - _cfg.PerformanceFee : 1);
        }
        var market = _venue.Snapshot(now, s, _options.Surface, _book.Depth, _fund.Cash);
        var ctx = _venue.Context(market, _options);
        ProvenAggregates? agg = _regime == MarginRegime.ImPlusCavb ? _lastAggregates : null;
        int passes = _regime == MarginRegime.ImPlusCavb ? 5 : 1;
        for (int pass = 0; pass < passes; pass++)
        {
            foreach (var p in plans)
            {
                double n = _sizing.Size(ctx, p.Account, _options, p.Unit, p.UnitPremium, p.PerpPerUnit, p.Target, p.MaxUnits, agg);
                p.Units = pass == 0 ? n : Math.Floor(5 * (p.Units + n)) / 10;
            }
            if (pass + 1 < passes) agg = CandidateAggregates(ctx, plans);
        }
        foreach (var p in plans) Execute(p);
    }

    /// <summary>The crowd's aggregates if every plan were carried out (sizing passes only; in the clear).</summary>
    private ProvenAggregates CandidateAggregates(MarginContext ctx, List<Plan> plans)
    {
        var planned = plans.ToDictionary(p => p.Account);
        var books = new List<PositionBook>();
        foreach (var a in _ledger.Accounts)
        {
            if (!a.Margined || a.Liquidated) continue;
            if (planned.TryGetValue(a, out var p))
            {
                var extra = p.Unit.Select(x => (x.Instrument, x.Qty * p.Units)).ToList();
                var b = VenueMargin.BookOf(a, _options, extra);
                books.Add(new PositionBook(b.AccountId, p.PerpPerUnit != 0 ? b.Positions.Append(Position.Of(new PerpetualFuture(), Math.Round(p.PerpPerUnit * p.Units, 4))) : b.Positions,
                    b.CollateralUsd + p.UnitPremium * p.Units, b.CollateralCoin));
            }
            else books.Add(VenueMargin.BookOf(a, _options));
        }
        var calc = new MarginCalculator(ctx);
        var resolved = books.Select(ctx.Resolve).ToArray();
        var risk = new TraderRisk[resolved.Length];
        var shortE4 = new ulong[resolved.Length * ctx.Bands.Count];
        calc.EvaluateBatch(resolved, risk, shortE4, new ulong[shortE4.Length]);
        return new ClearAggregates().Aggregate(0, ctx, books, risk, shortE4);   // epoch 0: a plan, not an epoch
    }

    private void Execute(Plan p)
    {
        if (p.Units <= 0) return;
        var a = p.Account;
        _vaultOf.TryGetValue(a, out var vault);
        foreach (var (i, q) in p.Unit)
        {
            double size = Math.Round(-q * p.Units, 4);
            double price = _options.AtOracle(i).Price;
            _ledger.TradeOption(_buyers, a, i, size, price);
            if (a.Kind == AccountKind.Herd) _herdContracts += size;
            if (vault != null)
            {
                double premium = size * price, fee = _cfg.PerformanceFee * premium;
                _ledger.Transfer(a, _stakers, fee);
                vault.Premium += premium;
                vault.PerformanceFees += fee;
                vault.ContractsWritten += size;
            }
        }
        if (p.PerpPerUnit != 0)
        {
            // opening books at the run's start existed before it: taken from the book's liquidity at the mark, no impact
            double q = Math.Round(p.PerpPerUnit * p.Units, 4);
            a.Perp += q; _lp.Perp -= q;
            _leveredCoins += q;
        }
        if (vault is { IsHedged: true })
        {
            double delta = DeltaAtOracle(a);
            double q = Math.Round(-delta, 4);
            if (_block == 0) { a.Perp += q; _lp.Perp -= q; }
            else TradePerp(a, q, Flow.Hedge);
            vault.LastRehedgeBlock = _block;
        }
    }

    private void OpenHedgerBook(SimAccount t, double s, DateTimeOffset now)
    {
        int legs = 2 + _rng.Next(0, 4);
        for (int j = 0; j < legs; j++)
        {
            double k = (_rng.NextDouble() - 0.5) * 0.4;
            double days = new[] { 3.0, 10, 21, 45 }[_rng.Next(4)];
            int i = Listed(k < 0 ? OptionType.Put : OptionType.Call, s * Math.Exp(k), now.AddDays(days));
            double q = Math.Round((0.1 + 0.5 * _rng.NextDouble()) * (_rng.Next(2) == 0 ? -1 : 1), 1);
            if (q > 0) _ledger.TradeOption(t, _buyers, i, q, _options.AtOracle(i).Price);
            else _ledger.TradeOption(_buyers, t, i, -q, _options.AtOracle(i).Price);
        }
        double perp = Math.Round((_rng.NextDouble() - 0.5) * 0.5, 2);
        t.Perp += perp; _lp.Perp -= perp;
    }

    /// <summary>The listed contract nearest to the strike (strikes every 1,000 USD, expiries at 08:00 UTC).</summary>
    private int Listed(OptionType type, double strike, DateTimeOffset expiry)
    {
        double k = Math.Max(1_000, Math.Round(strike / 1_000) * 1_000);
        var e = new DateTimeOffset(expiry.Year, expiry.Month, expiry.Day, 8, 0, 0, TimeSpan.Zero);
        if (e <= Now.AddDays(1)) e = e.AddDays(1);
        return _options.Register(new OptionContract(type, k, e));
    }

    // ---- valuation ------------------------------------------------------------------------------

    private double DeltaAtOracle(SimAccount a)
    {
        double d = a.Perp;
        foreach (var (i, q) in a.Options) d += q * _options.AtOracle(i).Delta;
        return d;
    }

    private double DeltaAtMark(SimAccount a)
    {
        double d = a.Perp;
        foreach (var (i, q) in a.Options) d += q * _options.AtMark(i).Delta;
        return d;
    }

    /// <summary>Equity read at the oracle: cash + coins + options at the oracle + the perpetual's unsettled move.</summary>
    private double EquityAtOracle(SimAccount a)
    {
        double s = _oracle.Price;
        double e = a.Cash + a.Coins * s + a.Perp * (s - _settle);
        foreach (var (i, q) in a.Options) e += q * _options.AtOracle(i).Price;
        return e;
    }

    private double EquityAtMark(SimAccount a)
    {
        double s = _book.Mark;
        double e = a.Cash + a.Coins * s + a.Perp * (s - _settle);
        foreach (var (i, q) in a.Options) e += q * _options.AtMark(i).Price;
        return e;
    }

    /// <summary>Gamma-scalping attribution of the hedged vaults over the block: spot-move PnL at the new time and vol
    /// (options revalued from the previous mark to this one, plus the perpetual), theta and vol as the rest, and the
    /// textbook 1/2 Gamma dS^2 with Gamma at the block's start.</summary>
    private void AttributeSpotPnl(double mark)
    {
        double ds = mark - _prevMarkPrice;
        foreach (var v in _vaults)
        {
            if (!v.IsHedged || v.Account.Options.Count == 0) continue;
            double spot = v.Account.Perp * ds, rest = 0, halfGamma = 0;
            foreach (var (i, q) in v.Account.Options)
            {
                if (i >= _prevMark.Length) continue;   // written this block: no move to attribute yet
                double atPrev = _options.Value(i, _prevMarkPrice).Price;
                spot += q * (_options.AtMark(i).Price - atPrev);
                rest += q * (atPrev - _prevMark[i].Price);
                halfGamma += 0.5 * q * _prevMark[i].Gamma * ds * ds;
            }
            v.GammaPnl += spot;
            v.ThetaPnl += rest;
            v.HalfGammaDs2 += halfGamma;
        }
    }

    // ---- perpetual ------------------------------------------------------------------------------

    private enum Flow { None, Hedge, Liquidation, Dealer }

    /// <summary>Variation margin from the last settlement to the mark, and funding, against the book's liquidity.</summary>
    private void SettlePerpetuals(double mark)
    {
        double dm = mark - _settle;
        double fundingRate = _cfg.FundingRatePer8h * _cfg.BlockSeconds / (8 * 3600.0);
        foreach (var a in _ledger.Accounts)
        {
            if (a.Perp == 0 || a == _lp) continue;
            double vm = a.Perp * dm;
            _ledger.Transfer(_lp, a, vm);
            double funding = a.Perp * mark * fundingRate;
            _ledger.Transfer(a, _lp, funding);
            if (_vaultOf.TryGetValue(a, out var v)) { v.PerpVariation += vm; v.Funding += funding; }
        }
        _settle = mark;
    }

    private void TradePerp(SimAccount a, double q, Flow flow)
    {
        q = Math.Round(q, 4);
        if (q == 0) return;
        double mark = _book.Mark;
        double fill = _book.Execute(q);
        a.Perp += q; _lp.Perp -= q;
        double slip = q * (fill - mark), variation = q * (mark - _settle);
        _ledger.Transfer(a, _lp, slip + variation);
        if (_vaultOf.TryGetValue(a, out var v)) { v.Slippage += slip; v.PerpVariation -= variation; }
        double vol = Math.Abs(q);
        switch (flow)
        {
            case Flow.Hedge: _hedgeVolume += vol; _blockHedge += vol; _blockForced += vol; break;
            case Flow.Liquidation: _liqVolume += vol; _blockForced += vol; break;
            case Flow.Dealer: _dealerVolume += vol; _blockForced += vol; break;
        }
    }

    // ---- options --------------------------------------------------------------------------------

    /// <summary>Expired contracts settle in cash at the oracle: each short pays q x payoff, each long receives it (the
    /// option buyers' account is the hub; positions sum to zero, so the hub nets to zero).</summary>
    private void SettleExpiries()
    {
        double s = _oracle.Price;
        for (int i = 0; i < _options.Contracts.Count; i++)
        {
            if (_options.IsLive(i) || !_settled.Add(i)) continue;
            double payoff = _options.Intrinsic(i, s);
            foreach (var a in _ledger.Accounts)
            {
                double q = a.OptionQty(i);
                if (q == 0) continue;
                if (a != _buyers) _ledger.Transfer(_buyers, a, q * payoff);
                if (_vaultOf.TryGetValue(a, out var v)) v.OptionCashPaid += -q * payoff;
                a.Options.Remove(i);
            }
        }
    }

    /// <summary>A vault buys back <paramref name="q"/> contracts of a short (or sells a long) from the dealer, at the mark's
    /// model value and the dealer's spread.</summary>
    private void CloseWithDealer(SimAccount a, int i, double q)
    {
        q = Math.Round(q, 4);
        if (q == 0) return;
        double value = _options.AtMark(i).Price;
        double spread = _cfg.OptionSpread * value;
        if (q < 0) _ledger.TradeOption(a, _dealer, i, -q, value + spread);   // a short: the account buys back
        else _ledger.TradeOption(_dealer, a, i, q, Math.Max(0, value - spread));
        if (_vaultOf.TryGetValue(a, out var v))
        {
            v.OptionCashPaid += -q * value;
            v.Slippage += Math.Abs(q) * spread - (q > 0 ? Math.Max(0, spread - value) * q : 0);
            if (q < 0) v.ContractsBoughtBack += -q;
        }
    }

    // ---- rounds, epochs, liquidations, hedging ---------------------------------------------------

    private void StartRound()
    {
        if (_block > 0)
        {
            foreach (var v in _vaults)
            {
                if (v.Account.Liquidated || v.Account.Options.Count > 0) continue;
                double nav = EquityAtOracle(v.Account);
                if (nav <= 0 || v.Shares <= 0) continue;
                double perShare = nav / v.Shares;
                double w = _cfg.MaxWithdrawFraction * _rng.NextDouble(), d = _cfg.MaxDepositFraction * _rng.NextDouble();
                double withdraw = Math.Min(w * nav, Math.Max(0, v.Account.Cash)), deposit = d * nav;
                _ledger.Transfer(v.Account, _depositors, withdraw);
                _ledger.Transfer(_depositors, v.Account, deposit);
                v.Shares += (deposit - withdraw) / perShare;
                v.Withdrawals += withdraw; v.Deposits += deposit;
            }
            OpenPositions(initial: false);
        }
        _nextRound = Now.AddSeconds(_cfg.RoundSeconds);
    }

    private void Margin()
    {
        var live = _ledger.Accounts.Where(a => a.Margined && !a.Liquidated).ToList();
        var market = _venue.Snapshot(Now, _oracle.Price, _options.Surface, _book.Depth, _fund.Cash);
        var ctx = _venue.Context(market, _options);
        var (summary, agg) = _venue.Evaluate(++_epoch, _block, ctx, live, _options);
        _epochs.Add(summary);
        if (agg != null) _lastAggregates = agg;
        // the vaults' own threshold engine: below the safe capital ratio, buy options back; the venue then re-margins the
        // smaller books against the same epoch's aggregates before it checks maintenance
        var shrunk = new List<SimAccount>();
        foreach (var v in _vaults)
        {
            var a = v.Account;
            if (a.Liquidated || a.LiquidationBlock >= 0 || a.Options.Count == 0) continue;
            double keep = _threshold.KeepFraction(EquityAtOracle(a), a.Requirement);
            if (keep >= 1) continue;
            foreach (var (i, q) in a.Options.ToArray()) CloseWithDealer(a, i, q * (1 - keep));
            shrunk.Add(a);
        }
        if (shrunk.Count > 0) _venue.Evaluate(_epoch, _block, ctx, shrunk, _options, agg ?? _lastAggregates);
    }

    private void Liquidations()
    {
        int delay = _cfg.LiquidationDelayBlocks;
        foreach (var a in _ledger.Accounts)
        {
            if (!a.Margined || a.Liquidated) continue;
            if (a.LiquidationBlock < 0)
            {
                if (a.Maintenance > 0 && EquityAtOracle(a) < a.Maintenance) a.LiquidationBlock = _block + delay;
                continue;
            }
            if (a.LiquidationBlock > _block) continue;
            Liquidate(a);
        }
    }

    private void Liquidate(SimAccount a)
    {
        double notional = Math.Abs(a.Perp);
        foreach (var (i, q) in a.Options.ToArray()) { notional += Math.Abs(q); CloseWithDealer(a, i, q); }
        TradePerp(a, -a.Perp, Flow.Liquidation);
        double equity = EquityAtMark(a);
        double fee = Math.Min(Math.Max(0, equity), _cfg.LiquidationFee * notional * _book.Mark);
        _ledger.Transfer(a, _fund, fee);
        _feesTotal += fee;
        var v = _vaultOf.GetValueOrDefault(a);
        if (v != null) v.LiquidationFees += fee;
        double shortfall = -(equity - fee);
        if (shortfall > 0)
        {
            _ledger.Transfer(_fund, a, shortfall);
            _fundDraw += shortfall;
            if (v != null) v.SafetyFundCover += shortfall;
        }
        a.Liquidated = true;
        a.LiquidationBlock = -1;
        _blockLiquidations++;
        if (a.Kind == AccountKind.Vault) _vaultsLiquidated++; else _tradersLiquidated++;
    }

    private void Hedge()
    {
        double s = _oracle.Price;
        foreach (var v in _vaults)
        {
            var a = v.Account;
            if (!v.IsHedged || a.Liquidated || a.LiquidationBlock >= 0) continue;
            if (a.Options.Count == 0 && a.Perp == 0) continue;
            double delta = DeltaAtOracle(a);
            double nav = EquityAtOracle(a);
            double q = a.Options.Count == 0 ? -a.Perp : _hedger.Trade(delta, s, nav, _block - v.LastRehedgeBlock);
            if (q != 0)
            {
                TradePerp(a, q, Flow.Hedge);
                v.LastRehedgeBlock = _block;
                v.Rehedges++;
            }
            v.MaxAbsDeltaAfterHedge = Math.Max(v.MaxAbsDeltaAfterHedge, Math.Abs(DeltaHedger.Fraction(DeltaAtOracle(a), s, EquityAtOracle(a))));
        }
        // the dealer hedges everything it took over, at the mark, every block (a professional: no band)
        double dd = DeltaAtMark(_dealer);
        if (Math.Abs(dd) > 0.01) TradePerp(_dealer, -dd, Flow.Dealer);
    }

    // ---- output ---------------------------------------------------------------------------------

    private void Record()
    {
        int k = _block;
        _series.Mark[k] = _book.Mark;
        _series.Oracle[k] = _oracle.Price;
        _series.ForcedVolume[k] = _blockForced;
        _series.HedgeVolume[k] = _blockHedge;
        double nav = 0;
        foreach (var v in _vaults) nav += EquityAtMark(v.Account);
        _series.VaultNav[k] = nav;
        _series.SafetyFund[k] = _fund.Cash;
        double req = 0, add = 0;
        foreach (var a in _ledger.Accounts) if (a.Margined && !a.Liquidated) { req += a.Requirement; add += a.AddOn; }
        _series.Requirement[k] = req;
        _series.AddOn[k] = add;
        _series.Liquidations[k] = _blockLiquidations;
        if (k == 0)
        {
            // the opening requirement: margin once at the start so that the first epoch's figures exist from block 0
            var live = _ledger.Accounts.Where(a => a.Margined).ToList();
            var market = _venue.Snapshot(Now, _oracle.Price, _options.Surface, _book.Depth, _fund.Cash);
            var (summary, agg) = _venue.Evaluate(++_epoch, 0, _venue.Context(market, _options), live, _options);
            _epochs.Add(summary);
            if (agg != null) _lastAggregates = agg;
            _initialRequirement = summary.TotalInitialMargin + summary.TotalAddOn;
            _initialAddOn = summary.TotalAddOn;
            _series.Requirement[0] = _initialRequirement;
            _series.AddOn[0] = _initialAddOn;
        }
    }

    private RegimeResult Result()
    {
        double peak = 0, forced = 0;
        for (int k = 0; k <= _cfg.Blocks; k++) { peak = Math.Max(peak, _series.ForcedVolume[k]); forced += _series.ForcedVolume[k]; }
        double ddMark = MaxDrawdown(_series.Mark), ddExo = MaxDrawdown(_path.Prices);
        var outcomes = new List<VaultOutcome>();
        double losses = 0, premium = 0, gamma = 0, half = 0, maxDelta = 0, written = 0, bought = 0;
        foreach (var v in _vaults)
        {
            var a = v.Account;
            double nav = EquityAtMark(a);
            losses += Math.Max(0, v.InitialNav + v.Deposits - v.Withdrawals - nav);
            premium += v.Premium; gamma += v.GammaPnl; half += v.HalfGammaDs2; written += v.ContractsWritten; bought += v.ContractsBoughtBack;
            maxDelta = Math.Max(maxDelta, v.MaxAbsDeltaAfterHedge);
            double cash0 = a.Kind == AccountKind.Vault && v.Strategy == VaultStrategy.CoveredCall ? 0 : v.InitialNav;
            outcomes.Add(new VaultOutcome(a.Name, v.Strategy.Label(), v.InitialNav, nav, v.Shares > 0 ? nav / v.Shares : 0, a.Liquidated,
                v.Premium, v.PerformanceFees, v.OptionCashPaid, v.PerpVariation, v.Slippage, v.Funding, v.LiquidationFees, v.Deposits,
                v.Withdrawals, v.SafetyFundCover, v.GammaPnl, v.HalfGammaDs2, v.ThetaPnl, v.ContractsWritten, v.ContractsBoughtBack,
                v.Rehedges, v.MaxAbsDeltaAfterHedge, a.Cash - cash0));
        }
        var headline = new RegimeHeadline(peak, ddMark - ddExo, losses, _fundDraw, _tradersLiquidated, _vaultsLiquidated, forced,
            _hedgeVolume, _liqVolume, _dealerVolume, ddMark, ddExo, written, _herdContracts, _leveredCoins, _initialRequirement,
            _initialAddOn, premium, gamma, half, maxDelta, bought, _epochs.Count, _feesTotal, _fund.Cash);
        return new RegimeResult(_regime, headline, _series, outcomes, _epochs);
    }

    internal static double MaxDrawdown(ReadOnlySpan<double> p)
    {
        double peak = p[0], dd = 0;
        foreach (var x in p) { peak = Math.Max(peak, x); dd = Math.Max(dd, 1 - x / peak); }
        return dd;
    }
}
