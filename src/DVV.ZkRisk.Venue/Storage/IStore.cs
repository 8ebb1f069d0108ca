using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Venue.Storage;

internal sealed record EpochRecord(ulong Epoch, EpochStatus Status, byte[] ParameterSet, byte[] ParameterHash, long OpenedAtUnixMs);

/// <summary>A verified submission ready to be made durable. Opening is the decrypted opening (the venue is the custodian).</summary>
internal sealed record PendingSubmission(ulong Epoch, byte[] Trader, byte[] Digest, byte[] SubmissionBytes, byte[] OpeningBytes, long ReceivedAtUnixMs);

internal sealed record StoredSubmission(ulong Epoch, byte[] Trader, byte[] Digest, long Sequence, byte[] SubmissionBytes, byte[] OpeningBytes,
    byte[] ReceiptBytes, long ReceivedAtUnixMs, bool Live);

internal enum CommitOutcome { Committed, Replay, EpochUnknown, EpochNotOpen }

internal sealed record CommitResult(CommitOutcome Outcome, byte[]? ReceiptBytes = null, long Sequence = 0, bool Replaced = false, EpochStatus Status = EpochStatus.Unspecified);

/// <summary>Builds the signed receipt inside the commit transaction, from the sequence number the store assigned.</summary>
internal delegate byte[] ReceiptFactory(long sequence, bool replaced);

/// <summary>One submission of a group commit, with the factory of its receipt.</summary>
internal sealed record PendingCommit(PendingSubmission Submission, ReceiptFactory Receipt);

/// <summary>
/// Durable storage. Every method is atomic. <see cref="CommitSubmissionAsync"/> returns only after the transaction
/// is durable (fsync'd): one live submission per (epoch, trader); a new digest replaces the live one atomically; a
/// digest seen before (live or replaced) is a replay; the epoch must exist and be open at commit time.
/// </summary>
internal interface IStore : IAsyncDisposable
{
    string Backend { get; }
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> unless a value exists; returns the stored value (first writer wins).</summary>
    Task<byte[]> GetOrAddMetaAsync(string key, byte[] value, CancellationToken ct = default);

    /// <summary>Stores every (key, value) whose key has no value yet, all in one transaction (one fsync): all of them are
    /// durable when the task completes, none is if it fails. First writer wins per key, as in <see cref="GetOrAddMetaAsync"/>.</summary>
    Task AddMetaBatchAsync(IReadOnlyList<KeyValuePair<string, byte[]>> items, CancellationToken ct = default);

    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    Task<byte[]?> GetMetaAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes <paramref name="key"/> (true when it existed). Used to destroy an epoch's HPKE private key once the
    /// epoch is closed: SQLite runs with secure_delete, so the row's bytes are overwritten in the file and WAL.</summary>
    Task<bool> DeleteMetaAsync(string key, CancellationToken ct = default);

    Task<EpochRecord?> GetEpochAsync(ulong epoch, CancellationToken ct = default);
    Task<EpochRecord?> GetLatestEpochAsync(CancellationToken ct = default);
    /// <summary>Creates the epoch unless it exists; true when created.</summary>
    Task<bool> TryCreateEpochAsync(EpochRecord epoch, CancellationToken ct = default);
    /// <summary>Atomically: epoch <paramref name="current"/> OPEN -> SEALED, and <paramref name="next"/> created OPEN. False when current was not open.</summary>
    Task<bool> CloseAndOpenAsync(ulong current, EpochRecord next, CancellationToken ct = default);

    /// <summary>Epoch <paramref name="epoch"/> SEALED -> PUBLISHED (after the attestation quorum). False when it was not sealed.</summary>
    Task<bool> MarkPublishedAsync(ulong epoch, CancellationToken ct = default);

    Task<CommitResult> CommitSubmissionAsync(PendingSubmission submission, ReceiptFactory receipt, CancellationToken ct = default);
    /// <summary>Group commit: every item of <paramref name="batch"/> in one transaction (one fsync), each decided as if
    /// committed alone in batch order; durable when the task completes; a throwing receipt factory stores none of them.</summary>
    Task<CommitResult[]> CommitSubmissionsAsync(IReadOnlyList<PendingCommit> batch, CancellationToken ct = default);
    Task<StoredSubmission?> GetSubmissionAsync(byte[] digest, CancellationToken ct = default);
    Task<StoredSubmission?> GetLiveSubmissionAsync(ulong epoch, byte[] trader, CancellationToken ct = default);
    Task<IReadOnlyList<StoredSubmission>> ListLiveSubmissionsAsync(ulong epoch, CancellationToken ct = default);
    /// <summary>Every stored submission, live or replaced (for audits and tests).</summary>
    Task<IReadOnlyList<StoredSubmission>> ListAllSubmissionsAsync(CancellationToken ct = default);
}
