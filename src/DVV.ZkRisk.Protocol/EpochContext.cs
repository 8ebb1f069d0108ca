using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Diagnostics;
using DVV.ZkRisk.Protocol.RiskBinding;
using DVV.ZkRisk.Protocol.Submissions;
using DVV.ZkRisk.Risk;
using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol;

/// <summary>
/// One epoch's public context, decoded once from its (hashed, governed) parameter set: the parameter hash every
/// transcript binds, the risk engine's parameter set and market snapshot, the band grid, the range-proof width. The
/// trader SDK, the gateway, the sealer, the verifier and the notices all read the epoch through one of these, so the
/// parameter set is parsed and hashed once per epoch and there is one band mapping (<see cref="Exposure"/>) and one
/// margin evaluation (<see cref="Value"/>) for everyone.
/// </summary>
public sealed class EpochContext
{
    private EpochContext(EpochParameters parameters)
    {
        Parameters = parameters;
        ParameterHash = SubmissionDigest.ParameterSet(parameters);
        Risk = RiskBridge.RiskParameters(parameters);
        Market = RiskBridge.Market(parameters);
        Bands = new BandGrid(Risk);
        RangeBits = (int)(parameters.RangeBits == 0 ? 64 : parameters.RangeBits);
        if (parameters.BandGrid is { BandCount: not 0 } g && g.BandCount != Bands.Count)
            throw new RiskInputException($"parameter set: the band grid says {g.BandCount} bands, the risk parameters {Bands.Count}");
    }

    /// <summary>Decodes <paramref name="parameters"/>; throws <see cref="RiskInputException"/> when its risk parameters or
    /// market do not parse or validate.</summary>
    public static EpochContext Of(EpochParameters parameters) => new(parameters ?? throw new ArgumentNullException(nameof(parameters)));

    /// <summary>The parameter set as governed and published (what the bundle carries and the hash covers).</summary>
    public EpochParameters Parameters { get; }
    /// <summary>SHA-256 of the parameter set's canonical encoding (<see cref="SubmissionDigest.ParameterSet"/>).</summary>
    public byte[] ParameterHash { get; }
    public DVV.ZkRisk.Risk.ParameterSet Risk { get; }
    public MarketSnapshot Market { get; }
    public BandGrid Bands { get; }
    public int BandCount => Bands.Count;
    public int ShockCount => Risk.ShockCount;
    /// <summary>Bit width n of the exposure range proofs (values in [0, 2^n)).</summary>
    public int RangeBits { get; }
    public long ValuationTimeUnixMs => Parameters.ValuationTimeUnixMs;

    /// <summary>The band-model flag coefficients of this epoch (circuits/flag.v1.json), computed once on first use; throws
    /// <see cref="RiskInputException"/> when a coefficient is outside the proven model's bounds.</summary>
    internal Flags.FlagModel FlagModel => _flagModel ??= Flags.FlagModel.Compute(Risk, Market);
    private Flags.FlagModel? _flagModel;

    /// <summary>What every proof of <paramref name="epoch"/> binds: epoch, this parameter hash, the statements' hash.</summary>
    public StatementBinding Binding(ulong epoch, byte[] statementHash) => new(epoch, ParameterHash, statementHash);

    /// <summary>The book's band exposure S_b, L_b (contracts x 10^4) under this epoch's market: what the trader commits.</summary>
    public BandExposure Exposure(PositionBook book) => BandExposure.Of(book, Bands, Market);

    /// <summary>IM, MM and the liquidation flags of one book under this epoch's market (throws <see cref="RiskInputException"/>
    /// and the arithmetic exceptions of <see cref="IsUnvaluable"/> for a book the engine cannot value).</summary>
    public TraderRisk Value(PositionBook book)
    {
        WorkCounters.MarginEvaluated();
        var calc = SharedFor(book) ?? new MarginCalculator(MarginContext.ForBooks(Risk, Market, [book]));
        return calc.InitialMargin.Evaluate(calc.Context.Resolve(book));
    }

    /// <summary>Instruments in the shared context at most: 1,024 risk arrays of about 21 KB each. Beyond it (an epoch of
    /// unlisted strikes) each book gets a context of its own, as before.</summary>
    public const int SharedInstrumentLimit = 1024;
    private MarginCalculator? _shared;
    private readonly Lock _grow = new();

    /// <summary>The epoch's shared margin context, grown to cover <paramref name="book"/>'s instruments: listed
    /// instruments repeat across traders, so each is valued once per epoch instead of once per book (the gateway values
    /// every accepted book). A book's margin does not depend on which other instruments the context holds. Null when
    /// the book would take the context past <see cref="SharedInstrumentLimit"/>.</summary>
    private MarginCalculator? SharedFor(PositionBook book)
    {
        var c = Volatile.Read(ref _shared);
        if (c != null && Covers(c.Context, book)) return c;
        lock (_grow)
        {
            c = _shared;
            if (c != null && Covers(c.Context, book)) return c;
            var missing = new HashSet<Instrument>();
            foreach (var p in book.Positions) if (c == null || !c.Context.TryGetIndex(p.Instrument, out _)) missing.Add(p.Instrument);
            if ((c?.Context.Instruments.Count ?? 0) + missing.Count > SharedInstrumentLimit) return null;
            var ctx = c == null ? MarginContext.Create(Risk, Market, missing) : c.Context.Extend(missing);
            Volatile.Write(ref _shared, c = new MarginCalculator(ctx));
            return c;
        }
    }

    private static bool Covers(MarginContext c, PositionBook book)
    {
        foreach (var p in book.Positions) if (!c.TryGetIndex(p.Instrument, out _)) return false;
        return true;
    }

    /// <summary>Every book valued under one shared margin context (instruments shared by several books are revalued once)
    /// through the risk engine's batch pass (<see cref="MarginCalculator.EvaluateBatch"/>, allocation-free per book, both
    /// cores); null for a book the engine cannot value. Never throws for one bad book: a batch that fails is valued book
    /// by book to find it.</summary>
    public TraderRisk?[] ValueAll(IReadOnlyList<PositionBook> books)
    {
        var results = new TraderRisk?[books.Count];
        if (books.Count == 0) return results;
        try
        {
            var calc = new MarginCalculator(MarginContext.ForBooks(Risk, Market, books));
            var resolved = new ResolvedBook[books.Count];
            for (int i = 0; i < resolved.Length; i++) resolved[i] = calc.Context.Resolve(books[i]);
            var risk = new TraderRisk[books.Count];
            int bands = Bands.Count;
            calc.EvaluateBatch(resolved, risk, new ulong[books.Count * bands], new ulong[books.Count * bands], Environment.ProcessorCount);
            for (int i = 0; i < risk.Length; i++) { results[i] = risk[i]; WorkCounters.MarginEvaluated(); }
            return results;
        }
        catch (Exception e) when (IsUnvaluable(e) || (e is AggregateException a && a.Flatten().InnerExceptions.All(IsUnvaluable)))
        { /* one book spoils the batch (the parallel pass wraps what it throws): value each alone */ }
        Parallel.For(0, books.Count, i =>
        {
            try { results[i] = Value(books[i]); }
            catch (Exception e) when (IsUnvaluable(e)) { results[i] = null; }
        });
        return results;
    }

    /// <summary>The exceptions by which the risk engine says it cannot value a book (bad input, overflow).</summary>
    public static bool IsUnvaluable(Exception e) =>
        e is RiskInputException or ArgumentException or OverflowException or ArithmeticException or InvalidOperationException;
}
