using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Collectives.Transport.Tcp;

/// <summary>
/// The receiving half of one connection: reads the socket, parses frames, and hands each data
/// frame to the (single) receive posted for this peer.
/// </summary>
/// <remarks>
/// <para><b>Who reads the socket.</b> Exactly one thread at a time holds the reader role. A caller
/// whose receive is not already satisfied takes the role and polls the socket itself with
/// non-blocking reads for up to <see cref="TcpTransportOptions.ReceiveSpinBudget"/> (or, on an
/// oversubscribed host, <see cref="TcpTransportOptions.OversubscribedReceiveSpinBudget"/>) without
/// progress, so a message that arrives within the budget is delivered on the caller's thread
/// with no wake-up and no thread-pool hop. When the budget runs out the caller parks and a
/// background "pump" takes over: the <see cref="TcpPoller"/> tells it when bytes are there, then
/// it reads them the same way on the thread pool. After
/// a caller's receive completes the pump is not re-armed at once (that would cost a thread-pool
/// wake-up per message while callers are polling); a parked receive, the transport's periodic
/// tick, or a resume after backpressure re-arms it.</para>
/// <para><b>Where bytes go.</b> Kestrel's loop: <c>GetMemory</c> on a <see cref="Pipe"/>, receive,
/// <c>Advance</c>, <c>FlushAsync</c>. Frames stay in the pipe (pooled segments) until a receive
/// takes them, then are copied once into its buffer. When the frame at the head belongs to a posted
/// receive (tag and length match) and is not complete yet, the rest of its payload is read straight
/// from the socket into the receive's buffer: no whole-message copy. A mismatched frame completes
/// the receive with <c>Delivered = false</c> and its payload is skipped.</para>
/// <para><b>Backpressure.</b> When <see cref="TcpTransportOptions.PauseThreshold"/> bytes are
/// buffered and no receive is posted, nobody reads the socket, so the peer's sends wait in the
/// kernel; reading resumes at <see cref="TcpTransportOptions.ResumeThreshold"/>. A posted receive
/// always makes progress, so a send and a receive posted together (MPI_Sendrecv) never deadlock.</para>
/// <para><b>Control frames.</b> Heartbeats, aborts and goodbyes are handled as soon as they are
/// read, even behind data frames nobody has received yet ("scan ahead"), so an abort is seen while
/// earlier messages sit unclaimed.</para>
/// </remarks>
internal sealed partial class TcpInbound : IValueTaskSource<ReceivedMessage>, IThreadPoolWorkItem
{
    /// <summary>The poller's callback: hand the read to the thread pool (the poller thread never does real work).</summary>
    private static readonly Action<object?> QueuePump = static state => ThreadPool.UnsafeQueueUserWorkItem((TcpInbound)state!, preferLocal: false);

    /// <summary>A posted receive at least this large reads only the next frame header first, so its payload can go straight into its buffer.</summary>
    private const int HeaderFirstThreshold = 64 * 1024;

    /// <summary>Smallest buffer offered to one socket read into the pipe.</summary>
    private const int ReadSize = 16 * 1024;

    private readonly TcpPeer _peer;
    private readonly Socket _socket;
    private readonly TcpPoller _poller;
    private readonly object _gate = new();
    private readonly Pipe _pipe;
    private readonly int _maxPayload;
    private readonly int _pauseThreshold;
    private readonly int _resumeThreshold;

    // Reading. All fields below are guarded by _gate.
    private bool _roleHeld;
    private bool _released;
    private bool _releasePending;
    private bool _pumpArmed;
    private bool _paused;
    private bool _terminal;
    private long _buffered;
    private long _scanOffset;
    private long _skipRemaining;

    // The posted receive.
    private ManualResetValueTaskSourceCore<ReceivedMessage> _core = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _parked;
    private bool _deferCompletion;
    private ReceivedMessage? _deferredResult;
    private MessageTag _expectedTag;
    private Memory<byte> _target;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    // Streaming the head frame's payload straight into _target.
    private bool _direct;
    private int _directOffset;
    private bool _targetInUse;
    private Exception? _deferredFailure;

    // Work found under the lock and done after it is released.
    private FoundWork _found;
    private bool _goodbyeSeen;

    public TcpInbound(TcpPeer peer, Socket socket, TcpPoller poller, TcpRankState rankState)
    {
        _peer = peer;
        _socket = socket;
        _poller = poller;
        _maxPayload = rankState.Options.MaxFramePayload;
        _pauseThreshold = rankState.Options.PauseThreshold;
        _resumeThreshold = rankState.Options.ResumeThreshold;

        // Pause thresholds of 0 turn the pipe's own flow control off: backpressure is decided here,
        // where it is known whether a receive is waiting for the bytes.
        _pipe = new Pipe(new PipeOptions(
            pool: MemoryPool<byte>.Shared,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            minimumSegmentSize: 64 * 1024,
            useSynchronizationContext: false));
    }

    private enum ReadStatus
    {
        Progress,
        WouldBlock,
        Stopped,
    }

    /// <summary>Whether reading is paused for backpressure (the peer is waiting on us, not silent).</summary>
    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _paused;
            }
        }
    }

    /// <summary>Bytes read from the socket and not yet taken by a receive (for tests of backpressure).</summary>
    internal long BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    /// <summary>Receives the next message from this peer; see <see cref="ITransport.ReceiveAsync"/>.</summary>
    public ValueTask<ReceivedMessage> ReceiveAsync(MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        short version;
        bool ownRole = false;
        lock (_gate)
        {
            if (_waiting)
            {
                return ValueTask.FromException<ReceivedMessage>(new InvalidOperationException(
                    $"A receive from rank {_peer.Rank} is already outstanding; post one receive per source at a time."));
            }

            if (_peer.RankState.OperationFailure() is { } jobFailure)
            {
                return ValueTask.FromException<ReceivedMessage>(jobFailure);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<ReceivedMessage>(cancellationToken);
            }

            _core.Reset();
            version = _core.Version;
            _waiting = true;
            _expectedTag = expectedTag;
            _target = buffer;
            _token = cancellationToken;
            _deferredFailure = null;
            ProcessBufferedLocked();
            if (_waiting && _terminal)
            {
                FailWaiterLocked(_peer.Failure() ?? new ObjectDisposedException(nameof(TcpTransport)));
            }

            if (_waiting && !_roleHeld && !_terminal)
            {
                _roleHeld = ownRole = true;
            }
        }

        AfterProcessing();
        if (!ownRole && !Volatile.Read(ref _waiting))
        {
            return new ValueTask<ReceivedMessage>(this, version);
        }

        return SpinThenPark(version, ownRole, _peer.RankState.SpinBudgetFor(buffer.Length), cancellationToken);
    }

    /// <summary>Fails the posted receive, if any (job abort, disposal). Later receives see the cause themselves.</summary>
    public void FailWaiter(Exception failure)
    {
        lock (_gate)
        {
            FailWaiterLocked(failure);
        }
    }

    /// <summary>The connection is finished (failed, or closed by either side): fail the receive unless what is buffered satisfies it.</summary>
    public void OnTerminal()
    {
        lock (_gate)
        {
            _terminal = true;
            if (_waiting)
            {
                ProcessBufferedLocked();
                FailWaiterLocked(_peer.Failure() ?? new ObjectDisposedException(nameof(TcpTransport)));
            }
        }

        AfterProcessing();
    }

    /// <summary>Starts the background read if nobody is reading and reading is allowed (tick, parked receive, resume).</summary>
    public void ArmIfIdle()
    {
        lock (_gate)
        {
            if (_pumpArmed || _roleHeld || _terminal || _paused)
            {
                return;
            }

            _pumpArmed = true;
        }

        Arm();
    }

    /// <summary>Returns the pipe's pooled segments once this rank is done with the connection.</summary>
    public void ReleaseBuffers()
    {
        lock (_gate)
        {
            if (_roleHeld)
            {
                // The reader still owns the pipe's writer; it releases the buffers when it lets go.
                _releasePending = true;
                return;
            }

            ReleaseLocked();
        }
    }

    private ValueTask<ReceivedMessage> SpinThenPark(short version, bool ownRole, long budgetTicks, CancellationToken cancellationToken)
    {
        long lastProgress = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _waiting))
        {
            ReadStatus status = ReadStatus.WouldBlock;
            if (ownRole || (ownRole = TryTakeRole()))
            {
                status = ReadOnce();
                if (status == ReadStatus.Progress)
                {
                    lastProgress = Stopwatch.GetTimestamp();
                    continue;
                }

                if (status == ReadStatus.Stopped)
                {
                    break;
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                OnCanceled();
                continue;
            }

            if (Stopwatch.GetTimestamp() - lastProgress >= budgetTicks)
            {
                break;
            }

            // Yield between polls rather than spin: on loopback the kernel may deliver the bytes
            // from a softirq thread, and the peer (or the thread waking it) may share this core.
            // A pure spin starves them and measured 10x slower here; the yield is one cheap
            // system call when nothing else wants the core.
            Thread.Yield();
        }

        return Park(version, ownRole);
    }

    private ValueTask<ReceivedMessage> Park(short version, bool ownRole)
    {
        bool arm = false;
        bool register = false;
        lock (_gate)
        {
            if (ownRole)
            {
                ReleaseRoleLocked();
            }

            if (_waiting)
            {
                _parked = true;
                if (!_pumpArmed && !_roleHeld && !_terminal)
                {
                    _pumpArmed = arm = true;
                }

                register = _token.CanBeCanceled;
            }
        }

        if (arm)
        {
            Arm();
        }

        if (register)
        {
            CancellationTokenRegistration registration = _token.UnsafeRegister(static state => ((TcpInbound)state!).OnCanceled(), this);
            lock (_gate)
            {
                if (_waiting)
                {
                    _registration = registration;
                    registration = default;
                }
            }

            registration.Unregister();
        }

        if (Volatile.Read(ref _waiting))
        {
            // Parked: make sure every other connection is watched too, so an abort or a failure
            // from any peer reaches this rank promptly while it sleeps.
            _peer.OnReceiveParked();
        }

        return new ValueTask<ReceivedMessage>(this, version);
    }

    private void OnCanceled()
    {
        lock (_gate)
        {
            if (_waiting && _token.IsCancellationRequested)
            {
                FailWaiterLocked(new OperationCanceledException(_token));
            }
        }
    }

    private void FailWaiterLocked(Exception failure)
    {
        if (!_waiting)
        {
            return;
        }

        if (_targetInUse)
        {
            // A read into the receive's buffer is in flight; the reader completes the receive when
            // it returns, so the caller never gets its buffer back while the socket writes into it.
            _deferredFailure ??= failure;
            return;
        }

        if (_direct)
        {
            // The rest of the streaming frame is skipped, so the stream stays in step if the
            // connection outlives this receive (a cancelled receive loses that one message).
            _skipRemaining = _target.Length - _directOffset;
        }

        CompleteLocked(failure);
    }

    private void CompleteLocked(ReceivedMessage message)
    {
        bool defer = _parked && _deferCompletion;
        ClearWaitLocked();
        if (defer)
        {
            // The pump sets the result once it has released the lock and the reader role.
            _deferredResult = message;
        }
        else
        {
            // A spinning caller has no continuation yet; a parked one resumes on the thread pool,
            // never inside this lock.
            _core.RunContinuationsAsynchronously = true;
            _core.SetResult(message);
        }

        Volatile.Write(ref _waiting, false);
    }

    private void CompleteLocked(Exception failure)
    {
        ClearWaitLocked();
        _core.RunContinuationsAsynchronously = true;
        _core.SetException(failure);
        Volatile.Write(ref _waiting, false);
    }

    private void ClearWaitLocked()
    {
        _parked = false;
        _registration.Unregister();
        _registration = default;
        _target = default;
        _token = default;
        _direct = false;
        _directOffset = 0;
    }

    ReceivedMessage IValueTaskSource<ReceivedMessage>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReceivedMessage>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReceivedMessage>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
