using System.Diagnostics;
using System.Runtime.CompilerServices;
using Collectives.Execution;

namespace Collectives.Diagnostics;

/// <summary>
/// A communicator's last calls, kept in a ring as they begin and end, so that a failure can say
/// what this rank was doing before and where it stood (torch's c10d flight recorder is the model).
/// Recording stores a few fields into a preallocated slot; it never allocates and never locks:
/// calls on a communicator are sequential, and a reader on another thread (a dump on SIGTERM)
/// accepts a slot caught mid-write, as a post-mortem view may.
/// </summary>
internal sealed class FlightRecorder
{
    private readonly Slot[] _slots;

    // Apart from the slots, so a slot holds no reference: copying one in needs no GC write barrier.
    // Written only when a call fails, and read only for a failed slot, so a stale entry is harmless.
    private readonly string?[] _errorTypes;

    // Stopwatch ticks and the wall-clock time they correspond to, to date records without reading
    // the wall clock on every call.
    private readonly long _anchorTicks = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _anchorTime = DateTimeOffset.UtcNow;
    private int _newest = -1;
    private int _count;

    /// <summary>Creates a recorder of the last <paramref name="capacity"/> calls; 0 records nothing.</summary>
    public FlightRecorder(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _slots = new Slot[capacity];
        _errorTypes = new string?[capacity];
    }

    /// <summary>How many calls it keeps.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Records the start of <paramref name="call"/>, at Stopwatch timestamp <paramref name="startTicks"/>, over the oldest record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Begin(in CollectiveSignature call, long startTicks)
    {
        Slot[] slots = _slots;
        if (slots.Length == 0)
        {
            return;
        }

        int next = _newest + 1;
        if ((uint)next >= (uint)slots.Length)
        {
            next = 0;
        }

        // Field by field into the slot: no temporary to build and copy on every call.
        ref Slot slot = ref slots[next];
        slot.Call = call;
        slot.StartTicks = startTicks;
        slot.State = FlightRecordState.Running;
        slot.Peer = -1;
        _newest = next;
        if (_count < slots.Length)
        {
            _count++;
        }
    }

    /// <summary>Marks the newest call completed. No clock is read: at 27 ns a read, it would cost more than the recorder may.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Complete()
    {
        if (_newest >= 0)
        {
            _slots[_newest].State = FlightRecordState.Completed;
        }
    }

    /// <summary>Marks the newest call failed, now, with <paramref name="errorType"/>, while waiting on <paramref name="peer"/> (-1: no single rank).</summary>
    public void Fail(string errorType, int peer)
    {
        if (_newest >= 0)
        {
            ref Slot slot = ref _slots[_newest];
            slot.EndTicks = Stopwatch.GetTimestamp();
            slot.State = FlightRecordState.Failed;
            slot.Peer = peer;
            _errorTypes[_newest] = errorType;
        }
    }

    /// <summary>
    /// The recorded calls, oldest first. A call still running is shown waiting when
    /// <paramref name="currentWait"/> (<see cref="WaitClock.CurrentWait"/>) says it waits.
    /// </summary>
    public FlightRecord[] Snapshot(int currentWait)
    {
        long now = Stopwatch.GetTimestamp();
        int count = _count;
        int newest = _newest;
        var records = new FlightRecord[count];
        for (int age = 0; age < count; age++)
        {
            int index = ((newest - age) % _slots.Length + _slots.Length) % _slots.Length;
            Slot slot = _slots[index];
            FlightRecordState state = slot.State;
            int peer = slot.Peer;
            if (state == FlightRecordState.Running && age == 0 && currentWait != WaitClock.NotWaiting)
            {
                state = FlightRecordState.Waiting;
                peer = currentWait;
            }

            TimeSpan? duration = state switch
            {
                FlightRecordState.Completed => null,
                FlightRecordState.Failed => Stopwatch.GetElapsedTime(slot.StartTicks, slot.EndTicks),
                _ => Stopwatch.GetElapsedTime(slot.StartTicks, now),
            };
            records[count - 1 - age] = new FlightRecord(
                slot.Call,
                state,
                peer,
                _anchorTime + Stopwatch.GetElapsedTime(_anchorTicks, slot.StartTicks),
                duration,
                state == FlightRecordState.Failed ? _errorTypes[index] : null);
        }

        return records;
    }

    /// <summary>The records, one a line, oldest first, for a log or an exception's report.</summary>
    public static string Format(IReadOnlyList<FlightRecord> records)
        => records.Count == 0 ? "  (no calls recorded)" : string.Join(Environment.NewLine, records.Select(record => "  " + record));

    private struct Slot
    {
        public CollectiveSignature Call;
        public long StartTicks;
        public long EndTicks; // of a failed call only
        public FlightRecordState State;
        public int Peer;
    }
}
