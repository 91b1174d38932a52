using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Collectives.Transport.Tcp;

/// <summary>The reader role: who reads the socket (a polling caller or the pump), and one non-blocking read.</summary>
internal sealed partial class TcpInbound
{
    private void ReleaseRoleLocked()
    {
        _roleHeld = false;
        if (_releasePending)
        {
            ReleaseLocked();
        }
    }

    private void ReleaseLocked()
    {
        // Holding the role forever keeps every later reader away from the completed pipe.
        _roleHeld = true;
        _released = true;
        _buffered = 0;
        _pipe.Reader.Complete();
        _pipe.Writer.Complete();
    }

    private bool TryTakeRole()
    {
        if (Volatile.Read(ref _roleHeld))
        {
            return false;
        }

        lock (_gate)
        {
            if (_roleHeld || _terminal)
            {
                return false;
            }

            _roleHeld = true;
            return true;
        }
    }

    /// <summary>
    /// The background reader, run on the thread pool when the poller sees the socket readable
    /// (or closed): reads like a polling caller. It re-arms itself only while a receive is still
    /// parked; otherwise it stops after one batch (a caller's next receive polls for itself, and
    /// the tick re-arms it), so it never costs a wake-up per message while callers are polling.
    /// </summary>
    void IThreadPoolWorkItem.Execute()
    {
        lock (_gate)
        {
            _pumpArmed = false;
            if (_roleHeld || _terminal)
            {
                // A polling caller is reading (it re-arms us if it parks), or the connection is done.
                return;
            }

            _roleHeld = true;

            // A parked receive completed by this batch is completed after the lock and the reader
            // role are released, inline: its continuation runs on this thread instead of paying a
            // second thread-pool hop.
            _deferCompletion = true;
        }

        ReadStatus status;
        do
        {
            status = ReadOnce();
        }
        while (status == ReadStatus.Progress);

        bool again;
        ReceivedMessage? completed;
        lock (_gate)
        {
            _deferCompletion = false;
            completed = _deferredResult;
            _deferredResult = null;
            ReleaseRoleLocked();
            again = status == ReadStatus.WouldBlock && !_terminal && _waiting;
            _pumpArmed = again;
        }

        if (again)
        {
            Arm();
        }

        if (completed is { } message)
        {
            // Runs the receiver's continuation here. This pump has let go of everything, so that
            // code may receive from this peer again (and a new pump is armed if it parks).
            _core.RunContinuationsAsynchronously = false;
            _core.SetResult(message);
        }
    }

    /// <summary>Asks the poller to run the pump when the socket is readable. Caller has set _pumpArmed.</summary>
    private void Arm() => _poller.WhenReadable(_socket, QueuePump, this);

    /// <summary>One non-blocking read by the reader-role holder, and the processing of what it brought.</summary>
    private ReadStatus ReadOnce()
    {
        Memory<byte> target;
        bool direct;
        bool headerFirst = false;
        lock (_gate)
        {
            if (_terminal)
            {
                return ReadStatus.Stopped;
            }

            direct = _direct;
            if (direct)
            {
                target = _target[_directOffset..];
                _targetInUse = true;
            }
            else
            {
                target = default;
                if (_buffered >= _pauseThreshold && !_waiting && _skipRemaining == 0)
                {
                    _paused = true;
                    return ReadStatus.Stopped;
                }

                headerFirst = _waiting && _buffered == 0 && _skipRemaining == 0 && _target.Length >= HeaderFirstThreshold;
            }
        }

        if (!direct)
        {
            target = _pipe.Writer.GetMemory(ReadSize);
            if (headerFirst)
            {
                target = target[..FrameHeader.Size];
            }
        }

        int received;
        SocketError error;
        try
        {
            received = _socket.Receive(target.Span, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            received = 0;
            error = SocketError.OperationAborted;
        }

        if (direct)
        {
            lock (_gate)
            {
                _targetInUse = false;
                if (error == SocketError.Success && received > 0)
                {
                    _directOffset += received;
                }

                if (_deferredFailure is { } failure)
                {
                    _deferredFailure = null;
                    FailWaiterLocked(failure);
                }
                else if (_direct && _directOffset == _target.Length)
                {
                    CompleteLocked(new ReceivedMessage(_expectedTag, _target.Length, Delivered: true));
                }
            }
        }

        if (error == SocketError.WouldBlock)
        {
            return ReadStatus.WouldBlock;
        }

        if (error != SocketError.Success)
        {
            if (error != SocketError.OperationAborted)
            {
                _peer.Fail(TcpPeer.Describe(error), new SocketException((int)error));
            }

            return ReadStatus.Stopped;
        }

        if (received == 0)
        {
            // A zero-byte read is the peer's close: end the connection, never read again. Frames
            // already buffered stay deliverable.
            bool orderly;
            lock (_gate)
            {
                orderly = _goodbyeSeen;
            }

            if (orderly)
            {
                _peer.OnGoodbye();
            }
            else
            {
                _peer.OnEndOfStream();
            }

            return ReadStatus.Stopped;
        }

        _peer.MarkReceived();
        if (!direct)
        {
            _pipe.Writer.Advance(received);
            ValueTask<FlushResult> flush = _pipe.Writer.FlushAsync();
            Debug.Assert(flush.IsCompleted, "The pipe's own pause threshold is off, so a flush never waits.");
            flush.GetAwaiter().GetResult();
            lock (_gate)
            {
                _buffered += received;
                ProcessBufferedLocked();
            }

            AfterProcessing();
        }

        return ReadStatus.Progress;
    }
}
