using System.Buffers;
using System.IO.Pipelines;

namespace Collectives.Transport.Tcp;

/// <summary>Frame parsing: delivering buffered frames to the posted receive, control frames, and what they trigger.</summary>
internal sealed partial class TcpInbound
{
    /// <summary>Delivers what the buffered frames allow and handles new control frames. Caller holds _gate.</summary>
    private void ProcessBufferedLocked()
    {
        if (_buffered == 0 || _released)
        {
            return;
        }

        if (!_pipe.Reader.TryRead(out ReadResult read))
        {
            return;
        }

        ReadOnlySequence<byte> buffer = read.Buffer;
        long consumed = 0;
        try
        {
            consumed = ConsumeHeadLocked(buffer);
            ScanAheadLocked(buffer, consumed);
        }
        catch (ProtocolException exception)
        {
            // Nothing after a broken frame can be trusted: drop it all and fail the peer.
            consumed = buffer.Length;
            _scanOffset = consumed;
            _found.ProtocolError ??= exception;
        }
        finally
        {
            // Examined = consumed: marking the rest examined would make the next TryRead report
            // nothing until new bytes arrive, hiding frames a later receive should take.
            _pipe.Reader.AdvanceTo(buffer.GetPosition(consumed));
            _buffered -= consumed;
            _scanOffset = Math.Max(0, _scanOffset - consumed);
            if (_paused && _buffered <= _resumeThreshold)
            {
                _paused = false;
                _found.Resume = true;
            }
        }
    }

    /// <summary>Consumes frames at the head of the buffer: delivers to the posted receive, handles control frames. Returns bytes consumed.</summary>
    private long ConsumeHeadLocked(ReadOnlySequence<byte> buffer)
    {
        long position = 0;
        if (_direct)
        {
            // Bytes of the streaming frame that were read into the pipe before streaming started.
            int take = (int)Math.Min(buffer.Length, _target.Length - _directOffset);
            buffer.Slice(0, take).CopyTo(_target.Span[_directOffset..]);
            _directOffset += take;
            position += take;
            if (_directOffset < _target.Length)
            {
                return position;
            }

            CompleteLocked(new ReceivedMessage(_expectedTag, _target.Length, Delivered: true));
        }

        if (_skipRemaining > 0)
        {
            long skip = Math.Min(buffer.Length - position, _skipRemaining);
            position += skip;
            _skipRemaining -= skip;
            if (_skipRemaining > 0)
            {
                return position;
            }
        }

        // Runs after the connection ended too: frames that arrived complete stay deliverable.
        while (true)
        {
            ReadOnlySequence<byte> rest = buffer.Slice(position);
            if (!FrameHeader.TryRead(rest, _maxPayload, out FrameHeader header))
            {
                return position;
            }

            if (header.Type != FrameType.Data)
            {
                if (rest.Length < header.FrameLength)
                {
                    return position;
                }

                // An abort seen by the scan-ahead was handled then; a goodbye only counts here, at
                // the head, once everything before it has been delivered.
                if (position + header.FrameLength > _scanOffset || header.Type == FrameType.Goodbye)
                {
                    HandleControlLocked(header, rest.Slice(FrameHeader.Size, header.PayloadLength), atHead: true);
                }

                position += header.FrameLength;
                if (header.Type == FrameType.Goodbye)
                {
                    // Nothing follows a goodbye.
                    return position;
                }

                continue;
            }

            if (!_waiting)
            {
                return position;
            }

            ReadOnlySequence<byte> payload = rest.Slice(FrameHeader.Size);
            bool match = header.Tag == _expectedTag && header.PayloadLength == _target.Length;
            if (payload.Length >= header.PayloadLength)
            {
                if (match)
                {
                    payload.Slice(0, header.PayloadLength).CopyTo(_target.Span);
                }

                CompleteLocked(new ReceivedMessage(header.Tag, header.PayloadLength, match));
                position += header.FrameLength;
                continue;
            }

            // The frame is incomplete and everything after its header is its payload.
            if (match)
            {
                payload.CopyTo(_target.Span);
                _direct = true;
                _directOffset = (int)payload.Length;
            }
            else
            {
                _skipRemaining = header.PayloadLength - payload.Length;
                CompleteLocked(new ReceivedMessage(header.Tag, header.PayloadLength, Delivered: false));
            }

            return buffer.Length;
        }
    }

    /// <summary>Handles control frames behind unclaimed data frames, once each. Caller holds _gate.</summary>
    private void ScanAheadLocked(ReadOnlySequence<byte> buffer, long consumed)
    {
        if (_direct || _skipRemaining > 0)
        {
            _scanOffset = 0;
            return;
        }

        long position = Math.Max(consumed, _scanOffset);
        while (true)
        {
            ReadOnlySequence<byte> rest = buffer.Slice(position);
            if (!FrameHeader.TryRead(rest, _maxPayload, out FrameHeader header) || rest.Length < header.FrameLength)
            {
                break;
            }

            if (header.Type != FrameType.Data)
            {
                HandleControlLocked(header, rest.Slice(FrameHeader.Size, header.PayloadLength), atHead: false);
            }

            position += header.FrameLength;
        }

        _scanOffset = position;
    }

    private void HandleControlLocked(FrameHeader header, ReadOnlySequence<byte> payload, bool atHead)
    {
        switch (header.Type)
        {
            case FrameType.Abort:
                _found.Abort ??= payload.ToArray();
                break;
            case FrameType.Goodbye:
                // Seen anywhere, it makes the end of the stream an orderly close. At the head,
                // everything the peer sent before it has been delivered, so the peer is failed
                // ("closed its transport") right after the lock is released.
                _goodbyeSeen = true;
                _found.Goodbye |= atHead;
                break;
        }
    }

    /// <summary>Acts on what <see cref="ProcessBufferedLocked"/> found, outside the lock (it touches other connections).</summary>
    private void AfterProcessing()
    {
        FoundWork found;
        lock (_gate)
        {
            found = _found;
            _found = default;
        }

        if (found.ProtocolError is { } protocolError)
        {
            _peer.Fail($"it broke the protocol: {protocolError.Message}", protocolError);
        }

        if (found.Abort is { } abort)
        {
            _peer.OnAbortFrame(abort);
        }

        if (found.Goodbye)
        {
            _peer.OnGoodbye();
        }

        if (found.Resume)
        {
            _peer.MarkReceived();
            ArmIfIdle();
        }
    }

    /// <summary>What frame processing found under _gate, for <see cref="AfterProcessing"/> to act on once it is released.</summary>
    private struct FoundWork
    {
        /// <summary>The payload of the first abort frame seen.</summary>
        public byte[]? Abort;

        /// <summary>The first broken frame; nothing after it was trusted.</summary>
        public ProtocolException? ProtocolError;

        /// <summary>A goodbye reached the head: everything the peer sent before it was delivered.</summary>
        public bool Goodbye;

        /// <summary>Buffered bytes fell to the resume threshold after a pause: reading starts again.</summary>
        public bool Resume;
    }
}
