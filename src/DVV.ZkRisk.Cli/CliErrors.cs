namespace DVV.ZkRisk.Cli;

/// <summary>One way to report bad input: a message on stderr and exit code 2 (1 is reserved for "checked and invalid").</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

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
