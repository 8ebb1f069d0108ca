namespace DVV.ZkRisk.Risk;

/// <summary>
/// Bad input to the risk engine (a negative forward, an unknown instrument, a malformed file, ...).
/// Carries a message meant for the person who supplied the input: the CLI prints it as is, without
/// a stack trace, and exits non-zero.
/// </summary>
public sealed class RiskInputException : ArgumentException
{
    public RiskInputException(string message) : base(message) { }
    public RiskInputException(string message, Exception inner) : base(message, inner) { }

    private RiskInputException(string field, string reason, Exception? inner) : base($"{(field.Length == 0 ? "$" : field)}: {reason}", inner)
    {
        Field = field.Length == 0 ? "$" : field;
        _reason = reason;
    }

    /// <summary>An error in one field of an input document: <see cref="Field"/> is its JSON path (positions[3].strike,
    /// "$" for the document itself), so that a service can name it in a refusal.</summary>
    public static RiskInputException At(string field, string reason, Exception? inner = null) => new(field, reason, inner);

    /// <summary>The JSON path of the offending field, when the error is about one (see <see cref="At"/>).</summary>
    public string? Field { get; }
    /// <summary>The reason without the path (with <see cref="Field"/>); otherwise the message.</summary>
    public string Reason => _reason ?? Message;
    private readonly string? _reason;

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    internal static void RequirePositive(double value, string what)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new RiskInputException($"{what} must be a finite number > 0 (got {Fmt(value)})");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt;= 0.</summary>
    internal static void RequireNonNegative(double value, string what)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new RiskInputException($"{what} must be a finite number >= 0 (got {Fmt(value)})");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    internal static void RequireFinite(double value, string what)
    {
        if (!double.IsFinite(value))
            throw new RiskInputException($"{what} must be a finite number (got {Fmt(value)})");
    }

    internal static string Fmt(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
