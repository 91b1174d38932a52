using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tcp;

/// <summary>
/// The state of one rank's TCP transport that all its connections share: who we are, the
/// settings, the logger, the spin budget, whether it was disposed, and whether (and why) the job
/// was aborted. An abort is job-wide and final: once set, every operation of this rank fails with
/// it, whatever is still buffered.
/// </summary>
internal sealed class TcpRankState
{
    private AbortRecord? _abort;
    private int _disposed;

    public TcpRankState(int rank, int size, TcpTransportOptions options, ILogger logger)
    {
        Rank = rank;
        Size = size;
        Options = options;
        Logger = logger;
        SpinBudgetTicks = ToTicks(options.ReceiveSpinBudget);
        SpinTicksPerByte = options.ReceiveSpinPerMebibyte.TotalSeconds * System.Diagnostics.Stopwatch.Frequency / (1024 * 1024);
    }

    public int Rank { get; }

    public int Size { get; }

    public TcpTransportOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary><see cref="TcpTransportOptions.ReceiveSpinBudget"/> in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long SpinBudgetTicks { get; private set; }

    /// <summary>Ranks of the job sharing this machine's processors, this one included (1 until <see cref="SetLocalRanks"/>).</summary>
    public int LocalRanks { get; private set; } = 1;

    /// <summary>Whether more ranks run on this machine than it has processors (set once, before any traffic).</summary>
    public bool IsOversubscribed { get; private set; }

    /// <summary>
    /// Records how many ranks of the job run on this machine; when they outnumber the processors,
    /// polling uses <see cref="TcpTransportOptions.OversubscribedReceiveSpinBudget"/>. Called once,
    /// before the connections are built (they copy the budget).
    /// </summary>
    public void SetLocalRanks(int localRanks, int processors)
    {
        LocalRanks = localRanks;
        IsOversubscribed = localRanks > processors;
        if (IsOversubscribed)
        {
            SpinBudgetTicks = ToTicks(Options.OversubscribedReceiveSpinBudget);
        }
    }

    /// <summary><see cref="TcpTransportOptions.ReceiveSpinPerMebibyte"/> in <see cref="System.Diagnostics.Stopwatch"/> ticks per payload byte.</summary>
    public double SpinTicksPerByte { get; }

    /// <summary>How long a receive of <paramref name="length"/> bytes polls without progress before it parks.</summary>
    public long SpinBudgetFor(int length) => SpinBudgetTicks == 0 ? 0 : SpinBudgetTicks + (long)(length * SpinTicksPerByte);

    private static long ToTicks(TimeSpan budget) => (long)(budget.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Records the job's abort; returns false if it was already aborted (the first abort wins).</summary>
    public bool TryAbort(int originRank, byte[] reason)
        => Interlocked.CompareExchange(ref _abort, new AbortRecord(originRank, reason), null) is null;

    /// <summary>Marks this rank's transport disposed; returns false if it already was.</summary>
    public bool TryDispose() => Interlocked.Exchange(ref _disposed, 1) == 0;

    /// <summary>
    /// The exception an operation meets before touching any connection: the abort, or disposal,
    /// or null. A fresh instance per call so each thrower gets its own stack trace.
    /// </summary>
    public Exception? OperationFailure()
    {
        if (Volatile.Read(ref _abort) is { } abort)
        {
            return new PeerAbortedException(abort.OriginRank, abort.Reason);
        }

        return IsDisposed ? new ObjectDisposedException(nameof(TcpTransport), $"Rank {Rank}'s TCP transport was disposed.") : null;
    }

    private sealed record AbortRecord(int OriginRank, byte[] Reason);
}
