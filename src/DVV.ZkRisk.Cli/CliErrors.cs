using System.Text.Json;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// Runs a verb's body and turns failures into a one-line message on stderr and a non-zero exit
/// code: 2 for bad input (the user can fix it), 1 for anything unexpected. Never a stack trace.
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 2;
    public const int Unexpected = 1;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RiskInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: unexpected failure ({e.GetType().Name}): {e.Message}");
            return Unexpected;
        }
    }
}
