using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// One aggregate cell of an epoch: S_b (short open interest of band b), L_b (long), or LSV_sb (the liquidation-sensitive
/// short volume of band b under shock s). The one index layout every running sum, sum proof and verifier uses:
/// [S bands][L bands][LSV shock-major x bands], so index = b, bands + b, 2 bands + s bands + b; the contributor-count
/// cells follow in the same layout at offset <see cref="Count"/>.
/// </summary>
internal readonly record struct CellId(int Band, int Shock, bool IsShort)
{
    public static CellId ShortOf(int band) => new(band, -1, true);
    public static CellId LongOf(int band) => new(band, -1, false);
    public static CellId Lsv(int shock, int band) => new(band, shock, true);

    /// <summary>Value cells in an epoch of <paramref name="bands"/> bands and <paramref name="shocks"/> shocks.</summary>
    public static int Count(int bands, int shocks) => 2 * bands + shocks * bands;

    public int Index(int bands) => Shock >= 0 ? 2 * bands + Shock * bands + Band : IsShort ? Band : bands + Band;

    public static CellId FromIndex(int index, int bands) =>
        index < bands ? ShortOf(index) : index < 2 * bands ? LongOf(index - bands) : Lsv((index - 2 * bands) / bands, (index - 2 * bands) % bands);

    /// <summary>The cell an aggregate names, or null when it names none (band out of the grid, a long LSV cell, a shock
    /// out of range).</summary>
    public static CellId? Of(BandAggregate a, int bands, int shocks) =>
        a.Band >= bands || a.ShockIndex < -1 || a.ShockIndex >= shocks || (a.ShockIndex >= 0 && !a.IsShort) ? null
            : new CellId((int)a.Band, a.ShockIndex, a.IsShort);
}
