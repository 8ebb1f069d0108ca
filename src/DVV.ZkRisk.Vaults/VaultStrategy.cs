namespace DVV.ZkRisk.Vaults;

/// <summary>What a vault writes each round. Strangles and straddles are delta-hedged on the perpetual; covered calls
/// (coin collateral) and cash-secured puts (USD collateral equal to the strikes) are not.</summary>
public enum VaultStrategy
{
    ShortStrangle,
    ShortStraddle,
    CoveredCall,
    CashSecuredPut,
}

public static class VaultStrategies
{
    public static bool IsHedged(this VaultStrategy s) => s is VaultStrategy.ShortStrangle or VaultStrategy.ShortStraddle;

    public static string Label(this VaultStrategy s) => s switch
    {
        VaultStrategy.ShortStrangle => "short-strangle",
        VaultStrategy.ShortStraddle => "short-straddle",
        VaultStrategy.CoveredCall => "covered-call",
        VaultStrategy.CashSecuredPut => "cash-secured-put",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };
}
