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

    /// <summary>Reports bad input found by a verb's own checks: message on stderr, exit code 2 (1 is "checked and invalid").</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return BadInput;
    }
}

/// <summary>Hex argument parsing with a reason instead of an exception.</summary>
internal static class CliHex
{
    public static bool TryParse(string text, int expectedBytes, out byte[] bytes, out string? why)
    {
        bytes = [];
        why = null;
        if (text.Length != expectedBytes * 2) { why = $"expected {expectedBytes} bytes ({expectedBytes * 2} hex digits), got {text.Length} characters"; return false; }
        try { bytes = Convert.FromHexString(text); return true; }
        catch (FormatException) { why = "not hexadecimal"; return false; }
    }
}
