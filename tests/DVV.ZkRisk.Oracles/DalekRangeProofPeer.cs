using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DVV.ZkRisk.Oracles;

/// <summary>
/// dalek bulletproofs 4.0 as WASM (npm @aptos-labs/confidential-asset-wasm-bindings 0.0.2) behind
/// tests/interop/rangeproof/dalek-rp.mjs. Its transcript label is fixed (<see cref="Label"/>), its generators
/// are BulletproofGens::new(64, 16) (so m &lt;= 16), its Pedersen bases are dalek's B and B_blinding, and it
/// reduces 32-byte blindings with Scalar::from_bytes_mod_order. Requests are batched so that one Node start-up
/// serves many proofs. Everything is hex and decimal strings, so this helper needs no crypto types.
/// </summary>
public static class DalekRangeProofPeer
{
    public const string Script = "rangeproof/dalek-rp.mjs";
    public const string Label = "AptosConfidentialAsset/BulletproofRangeProof";
    public const int MaxParties = 16;

    public static JsonObject ProveItem(int bits, IEnumerable<ulong> values, IEnumerable<string> blindingsHex) => new()
    {
        ["op"] = "prove",
        ["bits"] = bits,
        ["values"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v.ToString(CultureInfo.InvariantCulture))).ToArray()),
        ["blindings"] = new JsonArray(blindingsHex.Select(h => (JsonNode)JsonValue.Create(h)).ToArray()),
    };

    public static JsonObject VerifyItem(int bits, string proofHex, IEnumerable<string> commitmentsHex) => new()
    {
        ["op"] = "verify",
        ["bits"] = bits,
        ["proof"] = proofHex,
        ["commitments"] = new JsonArray(commitmentsHex.Select(h => (JsonNode)JsonValue.Create(h)).ToArray()),
    };

    /// <summary>Runs every item in one Node process; the replies are in the same order.</summary>
    public static IReadOnlyList<Reply> Batch(IEnumerable<JsonObject> items, int timeoutMs = 600_000)
    {
        var request = new JsonObject { ["op"] = "batch", ["items"] = new JsonArray(items.Cast<JsonNode>().ToArray()) };
        var reply = JsonNode.Parse(NodePeer.Run(Script, request.ToJsonString(), timeoutMs))!;
        return reply["results"]!.AsArray().Select(r => new Reply(r!.AsObject())).ToList();
    }

    /// <summary>The golden-fixture self check of the script: {fixture_verifies, fixture_rejected_with_16, ok}.</summary>
    public static JsonObject SelfTest() => JsonNode.Parse(NodePeer.Run(Script, "{\"op\":\"selftest\"}"))!.AsObject();

    /// <summary>Times dalek WASM prove/verify (medians in ms) on the given inputs; see the script header for the reply.</summary>
    public static JsonObject Bench(int bits, IEnumerable<int> ms, int iterations, IReadOnlyList<ulong> values, IReadOnlyList<string> blindingsHex,
        IEnumerable<int>? singles = null, int warmup = 1, int singleDistinct = 16, int timeoutMs = 1_800_000)
    {
        var request = new JsonObject
        {
            ["op"] = "bench",
            ["bits"] = bits,
            ["m"] = new JsonArray(ms.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["iterations"] = iterations,
            ["warmup"] = warmup,
            ["values"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v.ToString(CultureInfo.InvariantCulture))).ToArray()),
            ["blindings"] = new JsonArray(blindingsHex.Select(h => (JsonNode)JsonValue.Create(h)).ToArray()),
            ["singles"] = new JsonArray((singles ?? []).Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["singleDistinct"] = singleDistinct,
        };
        return JsonNode.Parse(NodePeer.Run(Script, request.ToJsonString(), timeoutMs))!.AsObject();
    }

    /// <summary>One reply: a proof (prove), a verdict (verify), or an error (dalek refused the request).</summary>
    public sealed class Reply(JsonObject json)
    {
        public JsonObject Json { get; } = json;
        public string? Error => Json["error"]?.GetValue<string>();
        public string ProofHex => Json["proof"]?.GetValue<string>() ?? throw new InvalidOperationException("dalek reply has no proof: " + Json.ToJsonString());
        public string[] CommitmentsHex => Json["commitments"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray()
            ?? throw new InvalidOperationException("dalek reply has no commitments: " + Json.ToJsonString());
        /// <summary>dalek's verdict: true only for an explicit ok:true (an error reply counts as a rejection).</summary>
        public bool Ok => Json["ok"]?.GetValue<bool>() ?? false;
        public bool IsVerifyReply => Json.ContainsKey("ok");
        public override string ToString() => Json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
