namespace DVV.ZkRisk.Risk;

/// <summary>European exercise right: call pays (S_T - K)^+, put pays (K - S_T)^+.</summary>
public enum OptionType
{
    Call,
    Put,
}
