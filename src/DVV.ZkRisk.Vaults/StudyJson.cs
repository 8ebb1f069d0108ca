using System.Text.Encodings.Web;
using System.Text.Json;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The machine-readable result of a study (`dvv-zk simulate --json`): one document, deterministic by seed (the same
/// configuration and seeds give the same bytes; no timings, no dates of the run). Shape:
/// <code>
/// { "scenario": "crash", "aggregates": "...", "aggregatesProven": false, "seeds": [1, 2], "blocks": 1000, "blockSeconds": 2,
///   "config": { ...the parameters that differ between runs... },
///   "regimes": [ { "regime": "im-only", "peakForcedVolume": {"mean","min","max"}, "endogenousDrawdown": {...},
///                  "vaultLosses": {...}, "safetyFundDraw": {...}, "tradersLiquidated": {...}, ...,
///                  "runs": [ { "seed": 1, "peakForcedVolume": 812.5, ... } ] } ] }
/// </code>
/// Headline figures: peakForcedVolume (coins per block), endogenousDrawdown (fraction), vaultLosses and safetyFundDraw
/// (USD), tradersLiquidated and vaultsLiquidated (counts).
/// </summary>
public static class StudyJson
{
    private static readonly (string Name, Func<RegimeHeadline, double> Get)[] Figures =
    [
        ("peakForcedVolume", h => h.PeakForcedVolume),
        ("endogenousDrawdown", h => h.EndogenousDrawdown),
        ("vaultLosses", h => h.VaultLosses),
        ("safetyFundDraw", h => h.SafetyFundDraw),
        ("tradersLiquidated", h => h.TradersLiquidated),
        ("vaultsLiquidated", h => h.VaultsLiquidated),
        ("markDrawdown", h => h.MarkDrawdown),
        ("exogenousDrawdown", h => h.ExogenousDrawdown),
        ("forcedVolumeTotal", h => h.ForcedVolumeTotal),
        ("hedgeVolumeTotal", h => h.HedgeVolumeTotal),
        ("liquidationVolumeTotal", h => h.LiquidationVolumeTotal),
        ("dealerVolumeTotal", h => h.DealerVolumeTotal),
        ("vaultContractsWritten", h => h.VaultContractsWritten),
        ("herdContracts", h => h.HerdContracts),
        ("leveredLongCoins", h => h.LeveredLongCoins),
        ("initialRequirement", h => h.InitialRequirement),
        ("initialAddOn", h => h.InitialAddOn),
        ("premiumIncome", h => h.PremiumIncome),
        ("contractsBoughtBack", h => h.ContractsBoughtBack),
    ];

    public static byte[] Serialize(StudyResult r)
    {
        using var ms = new MemoryStream();
        // relaxed escaping: "im+cavb", not "im\u002Bcavb" (the document is read by tools, never embedded in HTML)
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var c = r.Config;
            w.WriteStartObject();
            w.WriteString("scenario", c.Scenario.ToString().ToLowerInvariant());
            w.WriteString("aggregates", r.AggregatesDescription);
            w.WriteBoolean("aggregatesProven", r.AggregatesProven);
            w.WriteStartArray("seeds");
            foreach (var s in r.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteNumber("blocks", c.Blocks);
            w.WriteNumber("blockSeconds", c.BlockSeconds);
            w.WriteStartObject("config");
            w.WriteNumber("vaults", c.Vaults);
            w.WriteString("vaultStrategy", c.VaultStrategy.Label());
            w.WriteNumber("unhedgedVaults", c.UnhedgedVaults);
            w.WriteNumber("vaultNavUsd", c.VaultNavUsd);
            w.WriteNumber("traders", c.Traders);
            w.WriteNumber("depthCoins", c.DepthCoins);
            w.WriteNumber("crashMove", c.CrashMove);
            w.WriteNumber("crashSeconds", c.CrashSeconds);
            w.WriteNumber("twapSeconds", c.TwapSeconds);
            w.WriteNumber("timeToLiquidateSeconds", c.TimeToLiquidateSeconds);
            w.WriteNumber("safeCapitalRatio", c.SafeCapitalRatio);
            w.WriteNumber("kappa", c.RiskParameters.Kappa);
            w.WriteNumber("pMax", c.RiskParameters.PMax);
            w.WriteNumber("alpha", c.RiskParameters.Alpha);
            w.WriteNumber("safetyFundUsd", c.SafetyFundUsd);
            w.WriteEndObject();
            w.WriteStartArray("regimes");
            for (int g = 0; g < r.Regimes.Count; g++)
            {
                w.WriteStartObject();
                w.WriteString("regime", r.Regimes[g].Label());
                foreach (var (name, get) in Figures)
                {
                    var s = r.Stat(g, get);
                    w.WriteStartObject(name);
                    w.WriteNumber("mean", s.Mean); w.WriteNumber("min", s.Min); w.WriteNumber("max", s.Max);
                    w.WriteEndObject();
                }
                w.WriteStartArray("runs");
                for (int i = 0; i < r.Seeds.Count; i++)
                {
                    var h = r.Runs[i][g].Headline;
                    w.WriteStartObject();
                    w.WriteNumber("seed", r.Seeds[i]);
                    foreach (var (name, get) in Figures) w.WriteNumber(name, get(h));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }
}
