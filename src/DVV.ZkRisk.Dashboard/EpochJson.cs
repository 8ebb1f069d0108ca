using System.Globalization;
using System.Text.Json.Nodes;
using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Dashboard;

/// <summary>
/// One epoch's detail as JSON (GET /api/epochs/{n}): its row, the parameter set in force and its hash, the heatmap of
/// proven aggregates (expiry bucket x moneyness band; short S_b, long L_b and LSV per shock; withheld cells marked), and
/// the LSF curve V(s), I(s), P(I). Values are read from the verified bundle's aggregates, exactly as published: an
/// aggregate's units (contracts x 10^4) as a decimal string, and the same in contracts, exact.
/// </summary>
internal static class EpochJson
{
    public static JsonObject Of(EpochEntry e)
    {
        var o = new JsonObject { ["epoch"] = e.Epoch, ["row"] = ChainJson.Row(e) };
        if (e.Verified is not { } v)
        {
            o["proven"] = false;
            o["why"] = e.Verification.State == "pending" ? "the bundle is being verified" : "the bundle did not verify: its aggregates are not proven and are not shown";
            return o;
        }
        o["proven"] = true;
        o["parameters"] = Parameters(v);
        o["heatmap"] = Heatmap(v);
        o["lsf"] = Lsf(v, e.Curve!);
        return o;
    }

    private static JsonObject Parameters(VerifiedEpoch v)
    {
        var p = v.Bundle.Parameters!;
        var m = v.Market;
        return new JsonObject
        {
            ["hash"] = Convert.ToHexStringLower(v.Bundle.ParameterHash.Span),
            ["statementHash"] = Convert.ToHexStringLower(v.Bundle.StatementHash.Span),
            ["statements"] = new JsonArray(v.Bundle.Statements.Select(s => (JsonNode)new JsonObject
                { ["name"] = s.Name, ["version"] = s.Version, ["hash"] = Convert.ToHexStringLower(s.Hash.Span) }).ToArray()),
            ["version"] = p.Version,
            ["label"] = v.RiskParameters.Label,
            ["underlying"] = v.RiskParameters.Underlying,
            ["kMin"] = p.KMin,
            ["rangeBits"] = v.Context.RangeBits,
            ["checkpointInterval"] = p.CheckpointInterval,
            ["valuationTime"] = DateTimeOffset.FromUnixTimeMilliseconds(p.ValuationTimeUnixMs).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["referenceForwardUsd"] = p.ReferenceForward,
            ["committeeId"] = Convert.ToHexStringLower(p.CommitteeId.Span),
            ["venueSigningKey"] = Convert.ToHexStringLower(p.VenueSigningKey.Span),
            ["market"] = new JsonObject
            {
                ["asOf"] = m.AsOf.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                ["spotUsd"] = m.Spot, ["depthCoins"] = m.DepthCoins, ["clearingFundUsd"] = m.ClearingFundUsd,
            },
            ["risk"] = JsonNode.Parse(v.RiskParameters.ToCanonicalJson()),
        };
    }

    private static JsonObject Heatmap(VerifiedEpoch v)
    {
        var grid = v.Context.Bands;
        var shocks = v.Aggregates.Shocks;
        int bands = grid.Count;
        JsonObject Layer(string id, string label) => new() { ["id"] = id, ["label"] = label, ["cells"] = new JsonArray() };
        var shortL = Layer("short", "short open interest S_b");
        var longL = Layer("long", "long open interest L_b");
        var lsv = Enumerable.Range(0, shocks.Count).Select(s => Layer($"lsv-{s}",
            $"liquidation-sensitive volume at shock {s} (spot {shocks[s].SpotShock.ToString("+0%;-0%", CultureInfo.InvariantCulture)}, vol {shocks[s].VolShock.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)})")).ToList();
        // every cell of every layer, in band order, from the verified bundle's aggregates (one per cell and layer)
        var cells = new BandAggregate?[shocks.Count + 2, bands];
        foreach (var a in v.Bundle.Aggregates)
        {
            int layer = a.ShockIndex >= 0 ? a.ShockIndex + 2 : a.IsShort ? 0 : 1;
            if (layer < shocks.Count + 2 && a.Band < bands) cells[layer, a.Band] = a;
        }
        var layers = new List<JsonObject> { shortL, longL };
        layers.AddRange(lsv);
        for (int l = 0; l < layers.Count; l++)
        {
            var arr = (JsonArray)layers[l]["cells"]!;
            for (int b = 0; b < bands; b++) arr.Add(Cell(b, grid.BandsPerBucket, cells[l, b]));
        }
        return new JsonObject
        {
            ["unit"] = "contracts",
            ["unitsPerContract"] = Quantity.UnitsPerContract,
            ["kMin"] = v.RiskParameters.KMin,
            ["buckets"] = new JsonArray(Enumerable.Range(0, grid.BucketCount).Select(i => (JsonNode)grid.BucketLabel(i)).ToArray()),
            ["moneyness"] = new JsonArray(Enumerable.Range(0, grid.BandsPerBucket).Select(j => (JsonNode)grid.MoneynessLabel(j)).ToArray()),
            ["layers"] = new JsonArray(layers.Select(x => (JsonNode)x).ToArray()),
        };
    }

    private static JsonObject Cell(int band, int perBucket, BandAggregate? a)
    {
        uint n = a?.Contributors ?? 0;
        bool withheld = a is { Published: false };
        return new JsonObject
        {
            ["band"] = band, ["bucket"] = band / perBucket, ["moneyness"] = band % perBucket,
            ["contributors"] = n,
            ["withheld"] = withheld,
            ["units"] = withheld ? null : (a?.Value ?? 0).ToString(CultureInfo.InvariantCulture),
            ["contracts"] = withheld ? null : Contracts(a?.Value ?? 0),
        };
    }

    /// <summary>Units of contracts x 10^4 as an exact decimal number of contracts (no binary rounding).</summary>
    internal static string Contracts(ulong units) =>
        ((decimal)units / Quantity.UnitsPerContract).ToString("0.####", CultureInfo.InvariantCulture);

    private static JsonObject Lsf(VerifiedEpoch v, LsfCurve curve)
    {
        var lines = new JsonArray();
        foreach (var l in curve.Breakdown.Lines)
            lines.Add(new JsonObject
            {
                ["shock"] = l.Index,
                ["spotShock"] = l.Shock.SpotShock, ["volShock"] = l.Shock.VolShock,
                ["forcedVolumeCoins"] = l.ForcedVolume,   // full doubles: the JSON round-trips them exactly
                ["impact"] = l.Impact,
                ["multiplier"] = l.Multiplier,
                ["withheldCoins"] = v.Aggregates.WithheldVolume is { } w ? w[l.Index] : 0,
            });
        return new JsonObject
        {
            ["depthCoins"] = v.Market.DepthCoins,
            ["kappaEffective"] = double.IsFinite(curve.Breakdown.KappaEffective) ? curve.Breakdown.KappaEffective : null,
            ["pMax"] = v.RiskParameters.PMax,
            ["lines"] = lines,
        };
    }
}
