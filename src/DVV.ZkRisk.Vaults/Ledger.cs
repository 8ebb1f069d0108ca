namespace DVV.ZkRisk.Vaults;

/// <summary>
/// All accounts of a run and the only way cash moves between them. Every trade has two sides: option trades move
/// contracts from one account to another, perpetual trades give the book's liquidity providers the opposite position.
/// <see cref="CheckConservation"/> verifies after each block that nothing was created or lost: total cash and coins
/// are constant, and every instrument's positions sum to zero.
/// </summary>
internal sealed class Ledger
{
    private readonly List<SimAccount> _accounts = [];
    private double _cash0, _coins0;

    public IReadOnlyList<SimAccount> Accounts => _accounts;

    public SimAccount Open(string name, AccountKind kind, double cash = 0, double coins = 0)
    {
        var a = new SimAccount(_accounts.Count, name, kind) { Cash = cash, Coins = coins };
        _accounts.Add(a);
        _cash0 += cash;
        _coins0 += coins;
        return a;
    }

    public void Transfer(SimAccount from, SimAccount to, double usd)
    {
        if (!double.IsFinite(usd)) throw new InvalidOperationException($"non-finite transfer {from.Name} -> {to.Name}");
        from.Cash -= usd;
        to.Cash += usd;
    }

    /// <summary>Buyer receives q contracts of the instrument from the seller for q x price.</summary>
    public void TradeOption(SimAccount buyer, SimAccount seller, int instrument, double q, double price)
    {
        q = Math.Round(q, 4);
        if (q <= 0) return;
        buyer.AddOption(instrument, q);
        seller.AddOption(instrument, -q);
        Transfer(buyer, seller, q * price);
    }

    /// <summary>Largest violation of conservation (USD, coins or contracts); 0 when the books balance to rounding.</summary>
    public (double Cash, double Coins, double Perp, double Options) Imbalance()
    {
        double cash = 0, coins = 0, perp = 0;
        var opt = new SortedDictionary<int, double>();
        foreach (var a in _accounts)
        {
            cash += a.Cash; coins += a.Coins; perp += a.Perp;
            foreach (var (i, q) in a.Options) opt[i] = (opt.TryGetValue(i, out var s) ? s : 0) + q;
        }
        double maxOpt = 0;
        foreach (var v in opt.Values) maxOpt = Math.Max(maxOpt, Math.Abs(v));
        return (cash - _cash0, coins - _coins0, perp, maxOpt);
    }

    public double TotalCash0 => _cash0;

    public void CheckConservation(int block)
    {
        var (cash, coins, perp, opt) = Imbalance();
        // doubles: allow rounding relative to the money in the system
        if (Math.Abs(cash) > 1e-6 * Math.Max(1, _cash0) || Math.Abs(coins) > 1e-9 || Math.Abs(perp) > 1e-6 || opt > 1e-6)
            throw new InvalidOperationException($"conservation broken at block {block}: cash {cash}, coins {coins}, perpetual {perp}, options {opt}");
    }
}
