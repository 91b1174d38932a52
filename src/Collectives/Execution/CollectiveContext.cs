using System.Runtime.CompilerServices;
using Collectives.Execution.Pooling;
using Collectives.PointToPoint;
using Collectives.Reduction;
using Collectives.SubCommunicators;
using Collectives.Topology;
using Collectives.Transport;
using Collectives.Transport.Hybrid;

namespace Collectives.Execution;

/// <summary>
/// What an algorithm sees of the communicator during one call: its rank and size, the call's
/// signature, the reduction kernel, and labelled, segmented, verified point-to-point messages.
/// Algorithms never touch the transport directly; every message they send carries the call's
/// signature and every message they receive is checked against it before its data is used.
/// One instance per communicator, reused for every call.
/// </summary>
internal sealed class CollectiveContext
{
    private readonly ITransport _transport;
    private readonly TreeCache _trees;
    private readonly ScratchCache _scratch = new();
    private readonly ICombineObserver? _combineObserver;
    private readonly PointToPointChannel? _pointToPoint;
    private readonly int[]? _communicatorRanks;
    private HostGroups? _hosts;
    private ReductionKernel? _kernel;
    private CancellationToken _userToken;
    private int _stepBase;
    private BackgroundCombine? _backgroundCombine;

    /// <summary>
    /// For a call verified by <see cref="CallVerification.SignatureExchange"/>: what this rank owes
    /// each peer and what of each peer's signature is still ahead in its stream; null until the first such call.
    /// </summary>
    private PeerSignatures? _signatures;

    /// <summary>
    /// The largest first message that may carry the signature in place of a message of its own
    /// (<see cref="FoldsSignatures"/>). It must go out at once, as the signature message would, so
    /// that every stream's first message is on its way before the sender waits for anything: a
    /// message this small fits the transports' buffers (TCP socket buffers, the shared-memory
    /// rings, 128 KiB at the least by default) without the receiver reading it. Larger messages gain nothing from
    /// one frame less anyway.
    /// </summary>
    public const int SignatureFoldLimit = 16 * 1024;

    /// <summary>Step number of the signature exchange's messages, apart from every algorithm's own and the dissemination round's (-64 on).</summary>
    private const int SignatureStep = -128;

    /// <param name="transport">The communicator's transport.</param>
    /// <param name="segmentSize">The largest payload of one message.</param>
    /// <param name="waits">Where receive waits are timed; null for a clock of its own.</param>
    /// <param name="pointToPoint">The communicator's point-to-point messages, which share the transport's streams; null when it sends none.</param>
    /// <param name="communicatorRanks">For a group of the communicator's ranks (<see cref="Group"/>), the communicator's rank of each, index = rank in the group; errors and waits name those.</param>
    public CollectiveContext(ITransport transport, int segmentSize, WaitClock? waits = null, PointToPointChannel? pointToPoint = null, int[]? communicatorRanks = null)
    {
        _transport = transport;
        _pointToPoint = pointToPoint;
        _communicatorRanks = communicatorRanks;
        Waits = waits ?? new WaitClock();
        _trees = new TreeCache(transport.Size);
        _combineObserver = transport.GetFeature<ICombineObserver>();
        SegmentSize = segmentSize;
    }

    /// <summary>Where the time spent in receives goes.</summary>
    public WaitClock Waits { get; }

    public int Rank => _transport.Rank;

    public int Size => _transport.Size;

    /// <summary>The configured maximum bytes per message; <see cref="SegmentBytes"/> aligns it to elements.</summary>
    public int SegmentSize { get; }

    public CollectiveSignature Signature { get; private set; }

    /// <summary>Bytes per element of the current call (1 for Barrier).</summary>
    public int ElementSize { get; private set; }

    /// <summary>Largest payload of one message, a whole number of elements.</summary>
    public int SegmentBytes { get; private set; }

    /// <summary>Fires when the call times out or the caller cancels.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Fires when the caller cancels (not at the timeout): what a wait that keeps its own deadline, in the windows, watches.</summary>
    public CancellationToken UserCancellationToken => _userToken;

    public TimeSpan Timeout { get; private set; }

    public ReductionKernel Kernel => _kernel ?? throw new InvalidOperationException($"{Signature} has no reduction kernel.");

    /// <summary>
    /// The communicator's ranks grouped by host, for node-aware algorithms; null unless its
    /// transport knows the layout (<see cref="HostLayout"/>) and the ranks span several hosts.
    /// </summary>
    public HostGroups? Hosts => _hosts ??= _communicatorRanks is null && _transport.GetFeature<HostLayout>() is { HostCount: > 1 } layout
        ? new HostGroups(this, layout, _transport.GetFeature<HostWindows>()?.Windows)
        : null;

    public void Begin(CollectiveSignature signature, ReductionKernel? kernel, int elementSize, TimeSpan timeout, CancellationToken callToken, CancellationToken userToken)
    {
        Signature = signature;
        _kernel = kernel;
        ElementSize = elementSize;
        SegmentBytes = Math.Max(elementSize, SegmentSize / elementSize * elementSize);
        Timeout = timeout;
        CancellationToken = callToken;
        _userToken = userToken;

        // A failed call may leave signatures unread; the communicator is broken then, but an entry
        // must never make a later call read a message it does not expect.
        _signatures?.Stop();
    }

    /// <summary>
    /// Starts a call's <see cref="CallVerification.SignatureExchange"/>: from now on every peer is
    /// owed an empty message carrying the call's signature, and one is expected from every peer,
    /// unless the algorithm folds the signature into a first data message (<see cref="FoldsSignatures"/>)
    /// before <see cref="SendSignaturesAsync"/> sends what is owed.
    /// </summary>
    public void StartSignatureExchange() => (_signatures ??= new PeerSignatures(Size)).Start(Rank);

    /// <summary>
    /// Whether a call whose messages are at most <paramref name="largestMessage"/> bytes may let a
    /// first data message carry the signature (<see cref="FoldSignatureInto"/>, <see cref="FoldSignatureFrom"/>):
    /// the call is verified by <see cref="CallVerification.SignatureExchange"/> and every message is
    /// one segment of at most <see cref="SignatureFoldLimit"/> bytes. Every rank of the same call
    /// gets the same answer.
    /// </summary>
    public bool FoldsSignatures(int largestMessage)
        => _signatures is { Active: true } && largestMessage <= Math.Min(SegmentBytes, SignatureFoldLimit);

    /// <summary>
    /// Declares, before <see cref="SendSignaturesAsync"/>, that this rank's first message to
    /// <paramref name="peer"/> is data it sends before it receives anything: its tag carries the
    /// signature, so no signature message goes ahead of it. The peer declares the same with
    /// <see cref="FoldSignatureFrom"/>.
    /// </summary>
    public void FoldSignatureInto(int peer) => _signatures!.FoldInto(peer);

    /// <summary>Declares that <paramref name="peer"/>'s first message is data that carries its signature (<see cref="FoldSignatureInto"/> on its side).</summary>
    public void FoldSignatureFrom(int peer) => _signatures!.FoldFrom(peer);

    /// <summary>
    /// Declares that this rank's whole part in the algorithm is sending its folded data, so its
    /// signature messages follow the data (<see cref="SendSignaturesAsync"/> after the algorithm):
    /// everything it sends still leaves before it waits for anything. A receive before then is a
    /// fault of the declaration, and throws.
    /// </summary>
    public void DeferSignatures() => _signatures!.Deferred = true;

    /// <summary>
    /// Sends every peer not folded into (<see cref="FoldSignatureInto"/>) an empty message carrying
    /// the call's signature, before any data to that peer, so in its stream it comes first (and
    /// before this rank waits for anything: before the algorithm, or right after a rank's folded
    /// data when that is its whole part, <see cref="DeferSignatures"/>). Each peer's
    /// signature is then read before or with the first data from that peer (<see cref="ReceiveSegmentAsync(int, int, int, Memory{byte})"/>)
    /// and the rest by <see cref="ReceiveRemainingSignaturesAsync"/>: every rank hears directly from
    /// every other, as a dissemination round would let it, without a round in front of the data.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask SendSignaturesAsync()
    {
        _signatures!.Deferred = false;
        for (int step = 1; step < Size; step++)
        {
            // Peers in the order rank + 1, rank + 2, ... so that not every rank writes to rank 0 first.
            int peer = (Rank + step) % Size;
            if (_signatures!.OwesMessage(peer))
            {
                await SendSegmentAsync(peer, SignatureStep, 0, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the signatures of the peers the call's algorithm never received from; it then knows every rank made its call.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask ReceiveRemainingSignaturesAsync()
    {
        for (int step = 1; step < Size; step++)
        {
            int peer = (Rank - step + Size) % Size;

            // A peer folded from is always received from; were it not, its data would arrive here
            // in place of a signature message and be reported as a mismatch, never taken for one.
            if (_signatures!.Take(peer) != SignatureAhead.Nothing)
            {
                await ReceiveVerifiedAsync(peer, SignatureStep, 0, Memory<byte>.Empty, Signature).ConfigureAwait(false);
            }
        }

        _signatures!.Stop();
    }

    /// <summary>
    /// A context for some of this communicator's ranks (<paramref name="members"/>, index = rank in
    /// the group), over the same transport, for the phases of a node-aware algorithm. It runs the
    /// message algorithms as they are; its messages carry the call's signature, and its errors and
    /// waits name the communicator's ranks.
    /// </summary>
    public CollectiveContext Group(int[] members, int rank)
        => new(new RankMappedTransport(_transport, members, rank), SegmentSize, Waits, _pointToPoint, members);

    /// <summary>
    /// Starts phase <paramref name="phase"/> of <paramref name="call"/>'s node-aware algorithm in this group:
    /// the call's signature, kernel and deadline, and step numbers of the phase's own, so two phases
    /// between the same pair of ranks are told apart.
    /// </summary>
    public CollectiveContext EnterPhase(CollectiveContext call, int phase)
    {
        Begin(call.Signature, call._kernel, call.ElementSize, call.Timeout, call.CancellationToken, call._userToken);
        _stepBase = phase << 24;
        return this;
    }

    /// <summary>The binomial tree rooted at <paramref name="root"/> (built once per communicator and root).</summary>
    public Tree BinomialTree(int root) => _trees.Binomial(root);

    /// <summary>accumulator = accumulator op incoming, element-wise.</summary>
    public void Combine(ReadOnlySpan<byte> incoming, Span<byte> accumulator) => Combine(accumulator, incoming, accumulator);

    /// <summary>
    /// destination = lower op higher, where <paramref name="lower"/> holds the contribution of the
    /// lower-numbered ranks. Two ranks combining the same pair in this order get the same bits.
    /// </summary>
    public void Combine(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> higher, Span<byte> destination)
    {
        ReductionKernel kernel = Kernel;
        kernel.Apply(lower, higher, destination);
        _combineObserver?.OnCombined(kernel, destination.Length / ElementSize);
    }

    /// <summary>
    /// Whether a receive of <paramref name="segments"/> segments should combine each one on the
    /// thread pool while the next arrives. The receive's copy out of the socket runs on this thread
    /// and the combine on another, so it pays only when they have cores to themselves (not when
    /// this job's ranks already outnumber the processors) and there is a next segment to overlap.
    /// Never over a transport that charges combines to simulated time (<see cref="ICombineObserver"/>),
    /// which expects them on the calling thread.
    /// </summary>
    public bool OverlapsCombining(int segments)
        => segments > 1 && _combineObserver is null && (OverlapOverride.Value ?? Size <= Environment.ProcessorCount);

    /// <summary>
    /// Test hook, set in the test's flow (which the ranks' threads inherit): true overlaps combines
    /// with receives at any rank count, false never, null (the default) decides as above. Lets a
    /// test on a small machine run both paths at every rank count and compare their bits.
    /// </summary>
    internal static readonly AsyncLocal<bool?> OverlapOverride = new();

    /// <summary>
    /// Starts <c>destination = lower op higher</c> (<see cref="Combine(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>)
    /// on the thread pool. The caller awaits it before it starts another combine (there is one at a
    /// time per context; so the order of combines, and the bits, stay those of the sequential
    /// algorithm) and before it reuses any of the three buffers.
    /// </summary>
    public ValueTask CombineInBackground(ReadOnlyMemory<byte> lower, ReadOnlyMemory<byte> higher, Memory<byte> destination)
        => (_backgroundCombine ??= new BackgroundCombine(this)).Start(lower, higher, destination);

    /// <summary>
    /// Bytes of scratch <see cref="ReceiveCombiningAsync"/> needs for messages of at most
    /// <paramref name="longestMessage"/> bytes: two segments, or the message when it is shorter.
    /// </summary>
    public int CombiningScratchBytes(int longestMessage) => (int)Math.Min(longestMessage, 2L * SegmentBytes);

    /// <summary>
    /// Receives what the matching <see cref="SendAsync(int, int, ReadOnlyMemory{byte})"/> of
    /// <paramref name="peer"/> sent (as long as <paramref name="destination"/>) and combines it with
    /// this rank's operand: <c>destination = incoming op own</c> when <paramref name="incomingIsLower"/>,
    /// else <c>destination = own op incoming</c>. <paramref name="own"/> may be
    /// <paramref name="destination"/> itself.
    /// <para>
    /// Each segment is received into one of two slots of <paramref name="scratch"/> (segment i into
    /// slot i % 2; at least <see cref="CombiningScratchBytes"/> of the message) and combined as soon
    /// as it has arrived and been verified, on the thread pool while the next one arrives when
    /// <see cref="OverlapsCombining"/> says so, else right away on this thread. So the scratch is
    /// bounded by the segment size, not by the message. The combine is element-wise, so segment by
    /// segment gives the bits of one combine of the whole.
    /// </para>
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask ReceiveCombiningAsync(int peer, int step, ReadOnlyMemory<byte> own, bool incomingIsLower, Memory<byte> destination, Memory<byte> scratch)
    {
        int bytes = destination.Length;
        int segments = SegmentCount(bytes);
        bool overlap = OverlapsCombining(segments);
        ValueTask? combining = null;
        try
        {
            for (int segment = 0; segment < segments; segment++)
            {
                // Slot reuse is safe: combine i - 2, the last reader of this slot, was awaited
                // before combine i - 1 started; the combine still in flight reads the other slot.
                Range range = SegmentRange(bytes, segment);
                Memory<byte> incoming = scratch.Slice(segment % 2 * SegmentBytes, range.End.Value - range.Start.Value);
                await ReceiveSegmentAsync(peer, step, segment, incoming).ConfigureAwait(false);
                if (combining is { } previous)
                {
                    combining = null;
                    await previous.ConfigureAwait(false);
                }

                ReadOnlyMemory<byte> ownPart = own[range];
                ReadOnlyMemory<byte> lower = incomingIsLower ? incoming : ownPart;
                ReadOnlyMemory<byte> higher = incomingIsLower ? ownPart : incoming;
                if (overlap)
                {
                    combining = CombineInBackground(lower, higher, destination[range]);
                }
                else
                {
                    Combine(lower.Span, higher.Span, destination[range].Span);
                }
            }

            if (combining is { } last)
            {
                combining = null;
                await last.ConfigureAwait(false);
            }
        }
        finally
        {
            // A failed receive returns only once no combine still reads the scratch or writes the
            // caller's buffers, so the caller may return the scratch as it unwinds.
            await CompleteQuietlyAsync(combining).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends <paramref name="data"/> to <paramref name="destination"/> while receiving from
    /// <paramref name="source"/> and combining what arrives, as <see cref="ReceiveCombiningAsync"/>
    /// does. The combine may run while the send is still going out: <paramref name="data"/> must not
    /// overlap <paramref name="result"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask SendReceiveCombiningAsync(int destination, ReadOnlyMemory<byte> data, int source, ReadOnlyMemory<byte> own, bool incomingIsLower, Memory<byte> result, Memory<byte> scratch, int step)
    {
        ValueTask send = SendAsync(destination, step, data);
        await ReceiveCombiningAsync(source, step, own, incomingIsLower, result, scratch).ConfigureAwait(false);
        await send.ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a combine still in flight after a failure (null: none), so the caller's buffers are
    /// free when the failure is reported; the combine's own failure would only repeat it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask CompleteQuietlyAsync(ValueTask? combining)
    {
        if (combining is not { } pending)
        {
            return;
        }

        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the failure that stopped the caller.
        }
    }

    /// <summary>A temporary buffer of <paramref name="bytes"/> bytes, reused across this communicator's calls.</summary>
    public ScratchBuffer RentScratch(int bytes) => new(_scratch, bytes);

    /// <summary>
    /// Puts in the scratch cache a written array as long as the scratch of <see cref="ReceiveCombiningAsync"/>
    /// at this communicator's segment size, whatever the element size (two of <see cref="SegmentSize"/>):
    /// what the halving and ring reductions rent for a message of any length (<see cref="ScratchCache.Prefault"/>).
    /// </summary>
    public void PrefaultCombiningScratch() => _scratch.Prefault(2L * SegmentSize);

    /// <summary>Where <see cref="RentScratch"/> takes its arrays from, for what it tells of them.</summary>
    public ScratchCache Scratch => _scratch;

    /// <summary>Number of messages <see cref="SendAsync(int, int, ReadOnlyMemory{byte})"/> splits <paramref name="bytes"/> into (at least one).</summary>
    public int SegmentCount(int bytes) => bytes == 0 ? 1 : (bytes + SegmentBytes - 1) / SegmentBytes;

    /// <summary>The byte range of segment <paramref name="segment"/> of a <paramref name="bytes"/>-long message.</summary>
    public Range SegmentRange(int bytes, int segment)
    {
        int start = segment * SegmentBytes;
        return start..Math.Min(bytes, start + SegmentBytes);
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="peer"/> as one or more segments.</summary>
    public ValueTask SendAsync(int peer, int step, ReadOnlyMemory<byte> data) => SendAsync(peer, step, data, Signature);

    /// <summary>Receives what the matching <see cref="SendAsync(int, int, ReadOnlyMemory{byte})"/> of <paramref name="peer"/> sent, into <paramref name="buffer"/>.</summary>
    public ValueTask ReceiveAsync(int peer, int step, Memory<byte> buffer) => ReceiveAsync(peer, step, buffer, Signature);

    /// <summary>
    /// Sends to one peer and receives from another at once, where the two sides of a pair may
    /// disagree about its length (AlltoallV's per-pair counts): every segment carries the element
    /// count of the whole message in place of the call's count, so a receiver expecting another
    /// count finds out at the first segment, with a message saying so, whatever the segmenting.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask SendReceiveCountedAsync(int destination, ReadOnlyMemory<byte> data, int source, Memory<byte> buffer, int step)
    {
        ValueTask send = SendAsync(destination, step, data, Signature with { Count = data.Length / ElementSize });
        await ReceiveAsync(source, step, buffer, Signature with { Count = buffer.Length / ElementSize }).ConfigureAwait(false);
        await send.ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask SendAsync(int peer, int step, ReadOnlyMemory<byte> data, CollectiveSignature signature)
    {
        int segments = SegmentCount(data.Length);
        for (int segment = 0; segment < segments; segment++)
        {
            await _transport.SendAsync(peer, signature.ToTag(_stepBase + step, segment), data[SegmentRange(data.Length, segment)], CancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask ReceiveAsync(int peer, int step, Memory<byte> buffer, CollectiveSignature signature)
    {
        int segments = SegmentCount(buffer.Length);
        for (int segment = 0; segment < segments; segment++)
        {
            await ReceiveSegmentAsync(peer, step, segment, buffer[SegmentRange(buffer.Length, segment)], signature).ConfigureAwait(false);
        }
    }

    /// <summary>Sends to one peer and receives from another (or the same) at once, as MPI_Sendrecv.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask SendReceiveAsync(int destination, ReadOnlyMemory<byte> data, int source, Memory<byte> buffer, int step)
    {
        ValueTask send = SendAsync(destination, step, data);
        await ReceiveAsync(source, step, buffer).ConfigureAwait(false);
        await send.ConfigureAwait(false);
    }

    /// <summary>Sends exactly one message (one segment) to <paramref name="peer"/>.</summary>
    public ValueTask SendSegmentAsync(int peer, int step, int segment, ReadOnlyMemory<byte> data)
        => _transport.SendAsync(peer, Signature.ToTag(_stepBase + step, segment), data, CancellationToken);

    /// <summary>Receives exactly one message (one segment) from <paramref name="peer"/> and verifies it.</summary>
    public ValueTask ReceiveSegmentAsync(int peer, int step, int segment, Memory<byte> buffer) => ReceiveSegmentAsync(peer, step, segment, buffer, Signature);

    private ValueTask ReceiveSegmentAsync(int peer, int step, int segment, Memory<byte> buffer, CollectiveSignature signature)
    {
        if (_signatures is { Deferred: true })
        {
            throw new InvalidOperationException($"{Signature}: the algorithm received before this rank's signature messages went out; SignatureFolds declared its part wrongly.");
        }

        // Folded (SignatureAhead.InData), the data's tag proves the signature as it is verified.
        return _signatures is { Active: true } signatures && signatures.Take(peer) == SignatureAhead.Message
            ? ReceiveSignatureThenSegmentAsync(peer, step, segment, buffer, signature)
            : ReceiveVerifiedAsync(peer, step, segment, buffer, signature);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask ReceiveSignatureThenSegmentAsync(int peer, int step, int segment, Memory<byte> buffer, CollectiveSignature signature)
    {
        await ReceiveVerifiedAsync(peer, SignatureStep, 0, Memory<byte>.Empty, Signature).ConfigureAwait(false);
        await ReceiveVerifiedAsync(peer, step, segment, buffer, signature).ConfigureAwait(false);
    }

    /// <summary>Receives one message from <paramref name="peer"/> and checks its tag and length against what <paramref name="signature"/> expects.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask ReceiveVerifiedAsync(int peer, int step, int segment, Memory<byte> buffer, CollectiveSignature signature)
    {
        MessageTag expected = signature.ToTag(_stepBase + step, segment);
        ReceivedMessage received;
        long waitStart = Waits.Start(Named(peer));
        try
        {
            received = await _transport.ReceiveAsync(peer, expected, buffer, CancellationToken).ConfigureAwait(false);
            while (!received.Delivered && _pointToPoint is not null && MessageEnvelope.IsEnvelope(received.Tag, out MessageEnvelope envelope))
            {
                // The peer sent a point-to-point message before entering this call, over the same
                // stream: set it aside for the receive that wants it, and read on.
                await _pointToPoint.KeepAsync(Named(peer), envelope, CancellationToken).ConfigureAwait(false);
                received = await _transport.ReceiveAsync(peer, expected, buffer, CancellationToken).ConfigureAwait(false);
            }

            Waits.Waited(waitStart, Named(peer));
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested && !_userToken.IsCancellationRequested)
        {
            throw new CollectiveTimeoutException(Named(Rank), Named(peer), Timeout, Signature);
        }

        if (!received.Delivered)
        {
            throw Mismatch(Named(peer), _stepBase + step, segment, buffer.Length, received, signature);
        }
    }

    /// <summary>The communicator's rank that <paramref name="rank"/> of this context is.</summary>
    private int Named(int rank) => _communicatorRanks is null ? rank : _communicatorRanks[rank];

    private CollectiveMismatchException Mismatch(int peer, int step, int segment, int expectedLength, ReceivedMessage received, CollectiveSignature expected)
    {
        CollectiveSignature remote = CollectiveSignature.FromTag(received.Tag, out int remoteStep, out int remoteSegment);
        if (expected != Signature && remote == expected with { Count = remote.Count })
        {
            // A counted message (AlltoallV): the calls agree, the pair's two counts do not.
            return new CollectiveMismatchException(
                Named(Rank),
                Signature,
                peer,
                remote with { Count = Signature.Count },
                $"The calls agree, but rank {peer} sends this rank {remote.Count} elements where this rank's receive count for rank {peer} is {expected.Count}; rank {peer}'s send count for this rank and this rank's receive count for rank {peer} must be equal.");
        }

        if (remote != expected)
        {
            // A counted message's count is the pair's, not the call's: the remote call is told by its own.
            bool counted = expected != Signature && remote.Kind == Signature.Kind && remote.Root == Signature.Root;
            return new CollectiveMismatchException(Named(Rank), Signature, peer, counted ? remote with { Count = Signature.Count } : remote);
        }

        string detail = remoteStep != step || remoteSegment != segment
            ? $"The calls agree, but rank {peer} sent step {remoteStep} segment {remoteSegment} where step {step} segment {segment} was expected; are the ranks configured with different segment sizes?"
            : $"The calls agree, but rank {peer} sent {received.Length} bytes where {expectedLength} were expected; are the ranks configured with different segment sizes?";
        return new CollectiveMismatchException(Named(Rank), Signature, peer, remote, detail);
    }

}
