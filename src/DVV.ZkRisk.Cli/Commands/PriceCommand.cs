using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk price --type call|put --forward F --strike K --vol V --expiry-years T [--rate r] [--inverse]`:
/// Black-76 price and analytic Greeks as JSON (coin-denominated with --inverse).
/// </summary>
internal static class PriceCommand
{
    public static Command Create()
    {
        var type = new Option<string>("--type") { Description = "option type: call or put", Required = true };
        type.AcceptOnlyFromAmong("call", "put");
        var forward = new Option<double>("--forward") { Description = "forward (futures) price F of the expiry, USD", Required = true };
        var strike = new Option<double>("--strike") { Description = "strike K, USD", Required = true };
        var vol = new Option<double>("--vol") { Description = "Black volatility as a fraction (0.65 = 65%)", Required = true };
        var expiry = new Option<double>("--expiry-years") { Description = "time to expiry T in years (ACT/365)", Required = true };
        var rate = new Option<double>("--rate") { Description = "continuously compounded discount rate (default 0)", DefaultValueFactory = _ => 0.0 };
        var inverse = new Option<bool>("--inverse") { Description = "coin-settled (inverse) contract: price and Greeks in coins" };

        var cmd = new Command("price", "Black-76 price and Greeks (delta, gamma, vega, theta, vanna, volga) of a European option, as JSON");
        foreach (var o in new Option[] { type, forward, strike, vol, expiry, rate, inverse }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var t = pr.GetValue(type) == "put" ? OptionType.Put : OptionType.Call;
            var conv = pr.GetValue(inverse) ? SettlementConvention.Inverse : SettlementConvention.Linear;
            double f = pr.GetValue(forward), k = pr.GetValue(strike), v = pr.GetValue(vol), T = pr.GetValue(expiry), r = pr.GetValue(rate);
            var g = Black76.Greeks(t, f, k, v, T, r, conv);

            using var stdout = Console.OpenStandardOutput();
            using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("type", t == OptionType.Call ? "call" : "put");
                w.WriteString("convention", conv == SettlementConvention.Linear ? "linear" : "inverse");
                w.WriteString("currency", conv == SettlementConvention.Linear ? "USD" : "coin");
                w.WriteNumber("forward", f);
                w.WriteNumber("strike", k);
                w.WriteNumber("vol", v);
                w.WriteNumber("expiryYears", T);
                w.WriteNumber("rate", r);
                w.WriteNumber("price", g.Price);
                w.WriteNumber("delta", g.Delta);
                // Inverse: F dW/dF = Delta_linear - W, the coin exposure exchanges report as delta.
                if (conv == SettlementConvention.Inverse) w.WriteNumber("coinDelta", f * g.Delta);
                w.WriteNumber("gamma", g.Gamma);
                w.WriteNumber("vega", g.Vega);
                w.WriteNumber("theta", g.Theta);
                w.WriteNumber("thetaPerDay", g.Theta / 365.0);
                w.WriteNumber("vanna", g.Vanna);
                w.WriteNumber("volga", g.Volga);
                w.WriteEndObject();
            }
            stdout.WriteByte((byte)'\n');
            return 0;
        }));
        return cmd;
    }
}
