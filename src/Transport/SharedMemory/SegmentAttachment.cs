using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// One rank's attachment to the segment its job's ranks share (the rank's connection to the
/// others): where each rank's words are, how to wait for them (spin, yield, sleep: see
/// <see cref="SharedMemoryTransportOptions"/>), whether peers are alive, this rank's close, and
/// the job-wide abort.
/// </summary>
internal sealed unsafe class SegmentAttachment
{
    private readonly SharedMemorySegment _segment;
    private readonly byte* _base;
    private readonly long _spinTicks;
    private readonly long _yieldTicks;
    private readonly long _livenessTicks;
    private readonly long _heartbeatTimeoutTicks;
    private readonly long[] _lastHeartbeat;
    private readonly long[] _lastHeartbeatChange;
    private readonly object _livenessGate = new();
    private PeerAbortedException? _abort;
    private int _active;
    private int _closed;

    public SegmentAttachment(SharedMemorySegment segment, SegmentLayout layout, int rank, SharedMemoryTransportOptions options)
    {
        _segment = segment;
        _base = segment.Base;
        Layout = layout;
        Rank = rank;
        Size = layout.Size;
        Options = options;
        Logger = options.LoggerFactory?.CreateLogger("Collectives.Transport.SharedMemory") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        IsOversubscribed = Math.Max(Size, options.MachineRanks) > Environment.ProcessorCount;
        _spinTicks = Ticks(IsOversubscribed ? options.OversubscribedSpinDuration : options.SpinDuration);
        _yieldTicks = Ticks(IsOversubscribed ? options.OversubscribedYieldDuration : options.YieldDuration);
        _livenessTicks = Ticks(options.LivenessCheckInterval);
        _heartbeatTimeoutTicks = Ticks(options.HeartbeatTimeout);
        _lastHeartbeat = new long[Size];
        _lastHeartbeatChange = new long[Size];
    }

    public SegmentLayout Layout { get; }

    public int Rank { get; }

    public int Size { get; }

    public SharedMemoryTransportOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>Whether the ranks sharing the segment outnumber this host's processors (the oversubscribed budgets apply).</summary>
    public bool IsOversubscribed { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public byte* At(long offset) => _base + offset;

    public ByteRing Ring(int source, int destination) => new(At(Layout.Ring(source, destination)), Layout.RingCapacity);

    public long* SlotSequence(int rank, int slot) => (long*)At(Layout.SlotLine(rank, slot));

    public byte* SlotData(int rank, int slot) => At(Layout.SlotLine(rank, slot) + sizeof(long));

    /// <summary>Records this process in its rank's liveness line.</summary>
    public void Announce()
    {
        byte* line = At(Layout.LivenessLine(Rank));
        *(long*)(line + SegmentLayout.PidNamespaceOffset) = ProcessLiveness.CurrentPidNamespace;
        Volatile.Write(ref *(int*)(line + SegmentLayout.ProcessIdOffset), ProcessLiveness.CurrentProcessId);
    }

    public bool PeerClosed(int peer) => Volatile.Read(ref *(int*)(At(Layout.LivenessLine(peer)) + SegmentLayout.ClosedOffset)) != 0;

    public bool HasAnnounced(int rank) => Volatile.Read(ref *(int*)(At(Layout.LivenessLine(rank)) + SegmentLayout.ProcessIdOffset)) != 0;

    public void Heartbeat() => Interlocked.Increment(ref *(long*)(At(Layout.LivenessLine(Rank)) + SegmentLayout.HeartbeatOffset));

    /// <summary>Starts an operation that touches the segment; the segment is not unmapped until it ends.</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _closed) != 0)
        {
            Interlocked.Decrement(ref _active);
            throw new ObjectDisposedException(nameof(SharedMemoryTransport), $"Rank {Rank} closed its shared-memory transport.");
        }
    }

    public void Exit() => Interlocked.Decrement(ref _active);

    /// <summary>Marks this rank closed for its peers and wakes everyone; returns once no operation of this rank touches the segment (or after a second).</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        Volatile.Write(ref *(int*)(At(Layout.LivenessLine(Rank)) + SegmentLayout.ClosedOffset), 1);
        WakeAll(includingSelf: true);
        long giveUp = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Volatile.Read(ref _active) != 0)
        {
            if (Stopwatch.GetTimestamp() > giveUp)
            {
                // An operation is stuck in memory we would unmap under it: leave the mapping to the
                // process's exit (the name is already unlinked, so nothing leaks past it).
                Logger.LogWarning("Rank {Rank}: an operation still uses the shared segment; it stays mapped until the process exits", Rank);
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public void Unmap() => _segment.Dispose();

    /// <summary>Records the job-wide abort (first one wins) and wakes every rank.</summary>
    public void Abort(ReadOnlySpan<byte> reason)
    {
        int* origin = (int*)At(SegmentLayout.AbortOriginOffset);
        if (Interlocked.CompareExchange(ref *origin, Rank + 1, 0) == 0)
        {
            int length = Math.Min(reason.Length, SegmentLayout.MaximumAbortReason);
            reason[..length].CopyTo(new Span<byte>(At(SegmentLayout.AbortReasonOffset), length));
            *(int*)At(SegmentLayout.AbortLengthOffset) = length;
            Volatile.Write(ref *(int*)At(SegmentLayout.AbortReadyOffset), 1);
        }

        Interlocked.MemoryBarrier();
        WakeAll(includingSelf: true);
    }

    /// <summary>Throws the job's abort if some rank aborted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ThrowIfAborted()
    {
        if (Volatile.Read(ref *(int*)At(SegmentLayout.AbortOriginOffset)) != 0)
        {
            throw AbortFailure();
        }
    }

    public Exception AbortFailure()
    {
        if (Volatile.Read(ref _abort) is { } known)
        {
            return known;
        }

        int origin = Volatile.Read(ref *(int*)At(SegmentLayout.AbortOriginOffset)) - 1;
        var ready = default(SpinWait);
        while (Volatile.Read(ref *(int*)At(SegmentLayout.AbortReadyOffset)) == 0 && ready.Count < 1000)
        {
            ready.SpinOnce();
        }

        int length = Math.Clamp(*(int*)At(SegmentLayout.AbortLengthOffset), 0, SegmentLayout.MaximumAbortReason);
        byte[] reason = new ReadOnlySpan<byte>(At(SegmentLayout.AbortReasonOffset), length).ToArray();
        Interlocked.CompareExchange(ref _abort, new PeerAbortedException(origin, reason), null);
        return _abort!;
    }

    /// <summary>Throws <see cref="PeerFailedException"/> if <paramref name="peer"/> closed, exited or stopped heartbeating.</summary>
    public void CheckPeer(int peer)
    {
        if (peer == Rank)
        {
            return;
        }

        byte* line = At(Layout.LivenessLine(peer));
        if (Volatile.Read(ref *(int*)(line + SegmentLayout.ClosedOffset)) != 0)
        {
            throw new PeerFailedException(peer, "it closed its transport");
        }

        int processId = Volatile.Read(ref *(int*)(line + SegmentLayout.ProcessIdOffset));
        long pidNamespace = *(long*)(line + SegmentLayout.PidNamespaceOffset);
        if (pidNamespace == ProcessLiveness.CurrentPidNamespace && !ProcessLiveness.MayBeAlive(processId))
        {
            throw new PeerFailedException(peer, $"its process ({processId}) exited");
        }

        long heartbeat = Volatile.Read(ref *(long*)(line + SegmentLayout.HeartbeatOffset));
        long now = Stopwatch.GetTimestamp();
        lock (_livenessGate)
        {
            if (heartbeat != _lastHeartbeat[peer] || _lastHeartbeatChange[peer] == 0)
            {
                _lastHeartbeat[peer] = heartbeat;
                _lastHeartbeatChange[peer] = now;
            }
            else if (now - _lastHeartbeatChange[peer] > _heartbeatTimeoutTicks)
            {
                throw new PeerFailedException(peer, $"its heartbeat stopped for {Options.HeartbeatTimeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>Wakes <paramref name="rank"/> if it sleeps; call after a full fence that follows the write it waits for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Wake(int rank)
    {
        byte* line = At(Layout.DoorbellLine(rank));
        if (Volatile.Read(ref *(int*)(line + SegmentLayout.SleepingOffset)) != 0)
        {
            Ring((int*)(line + SegmentLayout.DoorbellOffset));
        }
    }

    /// <summary>Wakes every sleeping rank (but this one unless asked); call after a full fence.</summary>
    public void WakeAll(bool includingSelf = false)
    {
        for (int rank = 0; rank < Size; rank++)
        {
            if (rank != Rank || includingSelf)
            {
                Wake(rank);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> is met: spin, then yield, then sleep on this rank's
    /// doorbell. Returns false when <paramref name="deadline"/> (a Stopwatch timestamp) passes.
    /// </summary>
    public bool Wait<TCondition>(ref TCondition condition, long deadline, CancellationToken cancellationToken)
        where TCondition : struct, IWaitCondition
    {
        if (condition.IsMet(this))
        {
            return true;
        }

        long start = Stopwatch.GetTimestamp();
        long spinUntil = start + _spinTicks;
        long yieldUntil = spinUntil + _yieldTicks;
        long nextLivenessCheck = start + _livenessTicks;
        while (true)
        {
            for (int spin = 0; spin < 32; spin++)
            {
                if (condition.IsMet(this))
                {
                    return true;
                }

                Thread.SpinWait(1);
            }

            ThrowIfAborted();
            ThrowIfClosed();
            cancellationToken.ThrowIfCancellationRequested();
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return condition.IsMet(this);
            }

            if (now >= nextLivenessCheck)
            {
                condition.CheckPeers(this);
                nextLivenessCheck = now + _livenessTicks;
            }

            if (now < spinUntil)
            {
                continue;
            }

            if (now < yieldUntil)
            {
                Thread.Yield();
                continue;
            }

            Sleep(ref condition, Math.Min(deadline, nextLivenessCheck) - now);
        }
    }

    private void Sleep<TCondition>(ref TCondition condition, long ticks)
        where TCondition : struct, IWaitCondition
    {
        byte* line = At(Layout.DoorbellLine(Rank));
        int* doorbell = (int*)(line + SegmentLayout.DoorbellOffset);
        ref int sleeping = ref *(int*)(line + SegmentLayout.SleepingOffset);

        // Dekker with the waker: announce sleep (a count, as two threads of a rank may sleep; a full fence), then re-check; a publisher writes,
        // fences, then reads the sleeping flag. One of the two sees the other.
        Interlocked.Increment(ref sleeping);
        int seen = Volatile.Read(ref *doorbell);
        if (!condition.IsMet(this) && Volatile.Read(ref *(int*)At(SegmentLayout.AbortOriginOffset)) == 0 && !IsClosed)
        {
            Futex.Wait(doorbell, seen, Duration(ticks));
        }

        Interlocked.Decrement(ref sleeping);
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new ObjectDisposedException(nameof(SharedMemoryTransport), $"Rank {Rank} closed its shared-memory transport while waiting.");
        }
    }

    private static void Ring(int* doorbell)
    {
        Interlocked.Increment(ref *doorbell);
        Futex.WakeAll(doorbell);
    }

    /// <summary>
    /// <paramref name="ticks"/> of the Stopwatch as a TimeSpan of at least one tick. Not
    /// ticks * TicksPerSecond / Frequency: with a 1 GHz Stopwatch that product overflows a long past
    /// about 15 minutes, and a wait until a distant deadline would then sleep for one tick, in a loop.
    /// </summary>
    internal static TimeSpan Duration(long ticks)
        => TimeSpan.FromTicks(Math.Max(1, (long)Math.Min(ticks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency), TimeSpan.MaxValue.Ticks)));

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);
}
