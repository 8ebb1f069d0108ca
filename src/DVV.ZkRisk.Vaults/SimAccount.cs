namespace DVV.ZkRisk.Vaults;

/// <summary>
/// One account of a run: cash (USD), coins, a perpetual position and option positions by instrument index. Cash moves
/// only through <see cref="Ledger.Transfer"/>; positions only through trades that give the other side to another
/// account, so that sums over all accounts are conserved (tested).
/// The perpetual is settled every block (variation margin at the mark), so it has no unrealised PnL.
/// </summary>
internal sealed class SimAccount(int id, string name, AccountKind kind)
{
    public int Id { get; } = id;
    public string Name { get; } = name;
    public AccountKind Kind { get; } = kind;
    public double Cash { get; set; }
    public double Coins { get; set; }
    public double Perp { get; set; }
    /// <summary>Option positions, signed contracts, by instrument index (sorted for deterministic iteration).</summary>
    public SortedDictionary<int, double> Options { get; } = new();

    /// <summary>Part of the venue's margined population (vaults and traders).</summary>
    public bool Margined => Kind >= AccountKind.Vault;
    public bool Liquidated { get; set; }
    /// <summary>Block at which a pending liquidation executes (-1: none).</summary>
    public int LiquidationBlock { get; set; } = -1;
    /// <summary>The venue's maintenance requirement from the last epoch (regime-specific), USD.</summary>
    public double Maintenance { get; set; }
    /// <summary>The venue's initial requirement from the last epoch (IM + add-on), USD.</summary>
    public double Requirement { get; set; }
    public double InitialMargin { get; set; }
    public double AddOn { get; set; }

    public double OptionQty(int instrument) => Options.TryGetValue(instrument, out var q) ? q : 0;

    public void AddOption(int instrument, double q)
    {
        double v = Math.Round(OptionQty(instrument) + q, 4);
        if (v == 0) Options.Remove(instrument); else Options[instrument] = v;
    }

    public double ShortOptionContracts
    {
        get { double s = 0; foreach (var q in Options.Values) if (q < 0) s -= q; return s; }
    }
}
