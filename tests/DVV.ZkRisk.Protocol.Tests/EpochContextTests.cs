using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Protocol.Book;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The one margin evaluation of an epoch: the batch pass and the single-book pass agree, and one book the
/// engine cannot value does not spoil the others.</summary>
public class EpochContextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly EpochContext Epoch = EpochContext.Of(DemoMarket.Parameters(T0));

    private static PositionBook Sample(int seed) => OpeningBook.Parse(SampleBooks.Generate(new Random(seed), DemoMarket.Forward, T0, 12));

    [Fact]
    public void The_batch_valuation_is_the_single_book_valuation_for_every_book()
    {
        var books = Enumerable.Range(1, 40).Select(Sample).ToList();
        var batch = Epoch.ValueAll(books);
        for (int i = 0; i < books.Count; i++) Assert.Equal(Epoch.Value(books[i]), batch[i]);
    }

    [Fact]
    public void A_book_that_cannot_be_valued_is_null_and_the_others_are_valued()
    {
        var expired = new PositionBook("expired", [Position.Of(new OptionContract(OptionType.Put, 90_000, T0.AddDays(-1)), -1)], 10_000);
        var books = new List<PositionBook> { Sample(1), expired, Sample(2) };
        Assert.ThrowsAny<RiskInputException>(() => Epoch.Value(expired));
        var r = Epoch.ValueAll(books);
        Assert.Null(r[1]);
        Assert.Equal(Epoch.Value(books[0]), r[0]);
        Assert.Equal(Epoch.Value(books[2]), r[2]);
    }
}
