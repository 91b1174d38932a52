using System.Diagnostics;
using Collectives.Execution;
using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// What the shared-memory algorithms see of a communicator whose ranks all map one segment: the
/// ranks' windows, and steps. A step publishes this rank's next sequence number and waits until
/// every rank has published it; what a rank wrote before a step, every rank may read after it.
/// One instance per communicator, reused for every call.
/// </summary>
/// <remarks>
/// <para>Reuse without overwriting what others still read: data goes into alternating halves of
/// each window (<see cref="NextHalf"/>), one half per chunk. A rank writes a half again only two
/// chunks later, after a step that every rank reached once done reading it.</para>
/// <para>Call verification costs no extra step: a rank writes its call signature into its slot
/// before the call's first step, and compares every rank's after it. Ranks that disagree all
/// throw <see cref="CollectiveMismatchException"/>. Slots alternate by the parity of the calls
/// that use the windows, counted here, for the same reason as the halves: every such call steps at
/// least once, so no rank is more than one of them ahead, and the slot it writes is never one that
/// a slower rank still reads. The call's own sequence number would not do: calls that never touch
/// the windows (offloaded to a NIC, or message algorithms without verification) let a rank run
/// two calls ahead onto the slot of the call a slower rank is still verifying. Calls of the flag
/// protocol (<see cref="FlagArea"/>) never step and never touch the slots: a call takes its slot,
/// and writes its signature there, only when it first uses it (<see cref="Slot"/>).</para>
/// </remarks>
internal sealed partial class SharedMemoryContext
{
    /// <summary>The "half" that names a rank's slot rather than its window (see <see cref="Contribution"/>).</summary>
    public const int InSlot = -1;

    /// <summary>Bytes of a slot that carry the call signature; the rest carries tiny payloads.</summary>
    private const int SignatureBytes = MessageTag.SizeInBytes;

    /// <summary>The value of <see cref="_slot"/> while the call has not used its slot.</summary>
    private const int NoSlot = -1;

    private readonly ISharedMemoryWindows _windows;
    private readonly WaitClock _waits;
    private readonly int[]? _communicatorRanks;
    private long _sequence;
    private long _chunks;
    private long _calls;
    private int _slot;
    private bool _verified;
    private bool _verify;
    private long _deadline;
    private TimeSpan _timeout;
    private CancellationToken _cancellationToken;

    /// <param name="windows">The ranks' windows.</param>
    /// <param name="waits">Where waits are timed.</param>
    /// <param name="communicatorRanks">
    /// When the windows are those of some of the communicator's ranks (one host's, for a node-aware
    /// algorithm), the communicator's rank of each, index = rank in the windows: errors name those.
    /// </param>
    public SharedMemoryContext(ISharedMemoryWindows windows, WaitClock waits, int[]? communicatorRanks = null)
    {
        _windows = windows;
        _waits = waits;
        _communicatorRanks = communicatorRanks;
        _flags = new FlagArea(windows.WindowLength);
        _bufferFilledBy = new long[_flags.Buffers];
        _bufferReaders = new FanOutTree[_flags.Buffers];
        HalfLength = _flags.Start / 2;
        InlineLength = windows.SlotDataLength - SignatureBytes;
    }

    public int Rank => _windows.Rank;

    public int Size => _windows.Size;

    /// <summary>Bytes of one half of a window (the part before the flag area): the largest chunk one step moves.</summary>
    public int HalfLength { get; }

    /// <summary>Bytes a rank can pass in its slot next to the signature, with no window access.</summary>
    public int InlineLength { get; }

    public CollectiveSignature Signature { get; private set; }

    public ReductionKernel Kernel => _kernel ?? throw new InvalidOperationException($"{Signature} has no reduction kernel.");

    private ReductionKernel? _kernel;

    /// <summary>
    /// Starts a call: records its signature in this rank's slot. Pair with <see cref="End"/>. Its
    /// deadline is <paramref name="timeout"/> after <paramref name="startTimestamp"/> (a Stopwatch
    /// timestamp the caller already took: on a virtual machine's clock a read costs about 50 ns,
    /// a tenth of a small call).
    /// </summary>
    public void Begin(CollectiveSignature signature, ReductionKernel? kernel, bool verify, TimeSpan timeout, long startTimestamp, CancellationToken cancellationToken)
    {
        _windows.BeginAccess();
        Signature = signature;
        _kernel = kernel;
        _timeout = timeout;
        _deadline = startTimestamp + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _cancellationToken = cancellationToken;
        _slot = NoSlot;
        _verify = verify;
        _verified = !verify;
        if (verify)
        {
            Announce();
        }
    }

    public void End() => _windows.EndAccess();

    /// <summary>Publishes this rank's next step and waits until every rank has; verifies the call at its first step.</summary>
    public void Step()
    {
        int slot = Slot;
        long sequence = ++_sequence;
        _windows.Publish(slot, sequence);
        long waitStart = _waits.Start(WaitClock.AllRanks);

        // First a wait that gives up at once (after a few spins): a step whose peers are there
        // already reads no clock for the moment of its first look at their announcements.
        int laggard;
        bool reached = _windows.WaitForAll(slot, sequence, deadline: 0, _cancellationToken, out laggard);
        while (!reached && !_windows.WaitForAll(slot, sequence, NextLook(Stopwatch.GetTimestamp()), _cancellationToken, out laggard))
        {
            if (Stopwatch.GetTimestamp() >= _deadline)
            {
                throw new CollectiveTimeoutException(Named(Rank), Named(laggard), _timeout, Signature);
            }

            // A rank in a flag call (or another step call) never reaches this step.
            if (AnotherCall(laggard, out bool later) is { } theirs && !(later && _windows.WaitForAll(slot, sequence, 0, _cancellationToken, out _)))
            {
                throw Mismatch(laggard, theirs, later);
            }
        }

        // The windows do not say which rank published last: the wait counts, without a peer.
        _waits.Waited(waitStart, peer: -1);

        if (!_verified)
        {
            Verify();
            _verified = true;
        }
    }

    /// <summary>The half of every window the next chunk uses.</summary>
    public int NextHalf() => (int)(_chunks++ & 1);

    /// <summary>Half <paramref name="half"/> of <paramref name="rank"/>'s window.</summary>
    public Span<byte> Half(int rank, int half) => _windows.Window(rank).Slice(half * HalfLength, HalfLength);

    /// <summary>The bytes of <paramref name="rank"/>'s slot for the current call left for a tiny payload.</summary>
    public Span<byte> Inline(int rank) => _windows.SlotData(rank, Slot)[SignatureBytes..];

    /// <summary>
    /// <paramref name="rank"/>'s contribution of <paramref name="length"/> bytes: in its slot when
    /// <paramref name="half"/> is <see cref="InSlot"/>, else at the start of that half of its window.
    /// </summary>
    public Span<byte> Contribution(int rank, int half, int length) => Area(rank, half)[..length];

    /// <summary><paramref name="rank"/>'s slot data when <paramref name="half"/> is <see cref="InSlot"/>, else that half of its window.</summary>
    public Span<byte> Area(int rank, int half) => half == InSlot ? Inline(rank) : Half(rank, half);

    /// <summary>destination = contribution of rank 0 op rank 1 op ... in rank order, so every rank that computes it gets the same bits.</summary>
    public void ReduceInRankOrder(int half, Span<byte> destination)
    {
        int length = destination.Length;
        if (Size == 1)
        {
            Contribution(0, half, length).CopyTo(destination);
            Kernel.Normalize(destination);
            return;
        }

        Combine(Contribution(0, half, length), Contribution(1, half, length), destination);
        for (int rank = 2; rank < Size; rank++)
        {
            Combine(Contribution(rank, half, length), destination);
        }
    }

    /// <summary>
    /// Reduces bytes <paramref name="slice"/> of every rank's <paramref name="half"/> into
    /// <paramref name="accumulator"/>, which holds this rank's own slice: accumulator op= rank 0's,
    /// rank 1's, ... in rank order, skipping this rank, so the bits depend only on which rank
    /// reduces the slice. Alone, the rank's own slice is normalized instead (logical results are 1 or 0).
    /// </summary>
    public void CombineOthers(int half, Range slice, Span<byte> accumulator)
    {
        for (int rank = 0; rank < Size; rank++)
        {
            if (rank != Rank)
            {
                Combine(Area(rank, half)[slice], accumulator);
            }
        }

        if (Size == 1)
        {
            Kernel.Normalize(accumulator);
        }
    }

    /// <summary>accumulator = accumulator op incoming, element-wise.</summary>
    public void Combine(ReadOnlySpan<byte> incoming, Span<byte> accumulator) => Kernel.Apply(accumulator, incoming, accumulator);

    /// <summary>destination = lower op higher, element-wise.</summary>
    public void Combine(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> higher, Span<byte> destination) => Kernel.Apply(lower, higher, destination);

    /// <summary>
    /// The control slot of the current call, taken at its first use: slots alternate by the parity
    /// of the calls that use them, and taking one writes the call's signature in it and, in this
    /// rank's flag area, the signature of its last flag-protocol call, both read by <see cref="Verify"/>.
    /// </summary>
    private int Slot
    {
        get
        {
            if (_slot == NoSlot)
            {
                _slot = (int)(_calls++ & 1);
                Signature.ToTag(0, 0).WriteTo(_windows.SlotData(Rank, _slot));

                // Written only when it changed (after a flag call): a line left alone stays in
                // every reader's cache, where rewriting it would cost each of them a miss per call.
                Span<byte> record = FlagRecord(Rank, _slot);
                if (MessageTag.ReadFrom(record) != _lastFlagSignature)
                {
                    _lastFlagSignature.WriteTo(record);
                }
            }

            return _slot;
        }
    }

    /// <summary>The communicator's rank that <paramref name="rank"/> of the windows is (a laggard of -1 stays -1).</summary>
    private int Named(int rank) => _communicatorRanks is null || rank < 0 ? rank : _communicatorRanks[rank];

    private void Verify()
    {
        MessageTag mine = Signature.ToTag(0, 0);
        for (int rank = 0; rank < Size; rank++)
        {
            MessageTag theirs = MessageTag.ReadFrom(_windows.SlotData(rank, _slot));
            if (theirs != mine)
            {
                throw new CollectiveMismatchException(Named(Rank), Signature, Named(rank), CollectiveSignature.FromTag(theirs, out _, out _));
            }
        }

        VerifyFlagRecords();
    }
}
