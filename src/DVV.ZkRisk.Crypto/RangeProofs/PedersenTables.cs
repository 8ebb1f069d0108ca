using System.Runtime.CompilerServices;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Width-8 NAF tables of a <see cref="PedersenGens"/>' B and B_blinding for the range-proof verifier, attached
/// to the instance (12 KiB each) and built on first use, so B and B~ join the precomputed generators.
/// </summary>
internal static class PedersenTables
{
    private static readonly ConditionalWeakTable<PedersenGens, GeneratorTable[]> Cache = new();

    /// <summary>[table of B, table of B_blinding].</summary>
    public static GeneratorTable[] For(PedersenGens pc)
        => Cache.GetValue(pc, p => [new GeneratorTable(p.B.Inner, 8, 1), new GeneratorTable(p.BBlinding.Inner, 8, 1)]);
}
