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

    /// <summary>Issue 13: the gateway values each book in the epoch's shared context (each instrument's risk arrays built
    /// once per epoch); a book's margin is the one of a context of its own, as the context grows, past its size limit
    /// (then each book has its own again), and after a book the engine refuses.</summary>
    [Fact]
    public void The_shared_context_valuation_is_the_books_own_context_valuation()
    {
        var epoch = EpochContext.Of(DemoMarket.Parameters(T0));   // a fresh context: its shared universe starts empty
        var expired = new PositionBook("expired", [Position.Of(new OptionContract(OptionType.Put, 90_000, T0.AddDays(-1)), -1)], 10_000);
        Assert.ThrowsAny<RiskInputException>(() => epoch.Value(expired));
        // 120 books of 12 random strikes: about 1,400 instruments, past the shared limit of 1,024
        foreach (var book in Enumerable.Range(1, 120).Select(Sample))
        {
            var own = new MarginCalculator(MarginContext.ForBooks(epoch.Risk, epoch.Market, [book]));
            Assert.Equal(own.InitialMargin.Evaluate(own.Context.Resolve(book)), epoch.Value(book));
        }
        // listed strikes (every sample of the "all bands" kind holds the same 32): valued from the shared arrays
        var fresh = EpochContext.Of(DemoMarket.Parameters(T0));
        foreach (var seed in new[] { 5, 6, 7 })
        {
            var book = OpeningBook.Parse(SampleBooks.Generate(new Random(seed), DemoMarket.Forward, T0, 32, coverAllBands: true));
            var own = new MarginCalculator(MarginContext.ForBooks(fresh.Risk, fresh.Market, [book]));
            Assert.Equal(own.InitialMargin.Evaluate(own.Context.Resolve(book)), fresh.Value(book));
        }
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
