using DVV.ZkRisk.Protocol.Diagnostics;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Book;

/// <summary>
/// The book an opening carries (its <c>book_json</c>): one account in the one book format,
/// <see cref="PositionBookFile"/> (samples/book.json). Every reader of an opening goes through here, so a book is
/// parsed in one place and the parse is counted (<see cref="WorkCounters"/>). Errors are
/// <see cref="RiskInputException"/>s naming the JSON path in <see cref="RiskInputException.Field"/>.
/// </summary>
public static class OpeningBook
{
    /// <summary>The book of a new submission: the current format only (the gateway and the trader SDK).</summary>
    public static PositionBook Parse(ReadOnlyMemory<byte> json)
    {
        WorkCounters.BookParsed();
        return PositionBookFile.ParseAccount(json);
    }

    /// <summary>The book of a stored or published opening: the current format, or the venue's dialect of openings sealed
    /// before the one book format (<see cref="LegacyBookJson"/>), so that old traders' checks and a venue restarting over an
    /// old store still read them.</summary>
    public static PositionBook ParseStored(ReadOnlyMemory<byte> json)
    {
        if (!LegacyBookJson.IsLegacy(json.Span)) return Parse(json);
        WorkCounters.BookParsed();
        return LegacyBookJson.Parse(json);
    }
}
