using System.Text.Json;
using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// What `dvv-zk serve` opens each epoch with: the risk parameters of <c>--params</c> (default: the default set) on the
/// market of <c>--market</c> (an epoch state file such as samples/aggregates.json, or a bare market object), re-read at
/// every epoch opening so that an operator's feed can replace the file between epochs; without <c>--market</c>, the demo
/// market at the opening time. A market file that stops parsing keeps the last good snapshot (and says so on stderr):
/// one bad write must not stop the venue.
/// </summary>
internal sealed class OperatorMarket
{
    private readonly DVV.ZkRisk.Risk.ParameterSet _risk;
    private readonly string? _marketPath;
    private MarketSnapshot? _last;

    private OperatorMarket(DVV.ZkRisk.Risk.ParameterSet risk, string? marketPath)
    {
        _risk = risk; _marketPath = marketPath;
        if (marketPath != null) _last = Load(marketPath);   // a bad file is refused at start
    }

    /// <exception cref="RiskInputException">a file that cannot be read or does not parse (the message names it)</exception>
    public static OperatorMarket Create(string? paramsPath, string? marketPath) =>
        new(paramsPath is null ? DVV.ZkRisk.Risk.ParameterSet.Default : DVV.ZkRisk.Risk.ParameterSet.Load(paramsPath), marketPath);

    public EpochParameters ParametersFor(ulong epoch, DateTimeOffset openedAt)
    {
        if (_marketPath is null) return DVV.ZkRisk.Protocol.Submissions.Parameters.Create(_risk, DemoMarket.Snapshot(openedAt));
        try { _last = Load(_marketPath); }
        catch (RiskInputException e) { Console.Error.WriteLine($"warning: epoch {epoch}: {e.Message}; keeping the market as of {_last!.AsOf:O}"); }
        return DVV.ZkRisk.Protocol.Submissions.Parameters.Create(_risk, _last!);
    }

    private static MarketSnapshot Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RiskInputException($"{path}: {e.Message}"); }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            bool state = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("market", out _);
            return EpochStateFile.ParseMarket(state ? root.GetProperty("market") : root, state ? "market" : "");
        }
        catch (JsonException e) { throw new RiskInputException($"{path}: not valid JSON: {e.Message}"); }
        catch (RiskInputException e) { throw new RiskInputException($"{path}: {e.Message}", e); }
    }
}
