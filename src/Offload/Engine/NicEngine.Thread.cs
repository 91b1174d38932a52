using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Transport;

namespace Collectives.Offload.Engine;

/// <summary>The NIC's own thread: moving packets between the processor and the transport.</summary>
public sealed partial class NicEngine
{
    /// <summary>The NIC's thread: waits for host posts, arrivals and finished sends, and runs the processor on them.</summary>
    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            bool posted;
            bool cancel;
            lock (_gate)
            {
                if (_stopping)
                {
                    return;
                }

                posted = _callPosted;
                cancel = _cancelRequested;
                _callPosted = false;
                _cancelRequested = false;
                while (_arrivals.TryDequeue(out InboundChannel? channel))
                {
                    _ready.Enqueue(channel);
                }

                while (_sent.TryDequeue(out OutboundChannel? channel))
                {
                    _finished.Enqueue(channel);
                }
            }

            while (_finished.TryDequeue(out OutboundChannel? channel))
            {
                FinishSend(channel);
            }

            try
            {
                if (posted)
                {
                    StartCall();
                }

                while (_ready.TryDequeue(out InboundChannel? channel))
                {
                    Receive(channel);
                }

                if (cancel && _callActive)
                {
                    throw new OperationCanceledException(_callToken);
                }

                Pump();
            }
            catch (Exception exception)
            {
                Fail(exception);
            }

            Interlocked.Exchange(ref _processorTicks, ThreadCpuClock.Now().Ticks);
        }
    }

    private void StartCall()
    {
        _callActive = true;
        _errors = AluErrors.None;
        WaitingFor = -1;
        _active.Clear();
        foreach (Descriptor descriptor in _descriptors)
        {
            _nic.Post(descriptor);
        }

        // Receives are posted by Pump, after what the posts fired has been sent: a transport may
        // spin inside a receive call, and a packet of ours may be what the peer is waiting for.
        foreach (InboundStream stream in _streams)
        {
            InboundChannel channel = _inbound[stream.Rank] ??= new InboundChannel(stream.Rank, Arrived);
            channel.Remaining = stream.Packets;
            _active.Add(channel);
        }
    }

    private void PostReceive(InboundChannel channel)
    {
        channel.Receiving = true;
        channel.Pending = _transport.ReceiveAsync(channel.Peer, _tag, channel.Buffer, _callToken);
        if (channel.Pending.IsCompleted)
        {
            _ready.Enqueue(channel);
        }
        else
        {
            channel.Pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(channel.OnCompleted);
        }
    }

    /// <summary>
    /// Takes a finished receive: decodes the packet and offers it to the receive queue. A packet
    /// that does not decode is a <see cref="ProtocolException"/> naming the rank that sent it.
    /// </summary>
    private void Receive(InboundChannel channel)
    {
        channel.Receiving = false;
        ReceivedMessage message = channel.Pending.GetAwaiter().GetResult();
        channel.Pending = default;
        if (!_callActive)
        {
            return;
        }

        if (!message.Delivered)
        {
            throw new ProtocolException($"Rank {channel.Peer} sent rank {_transport.Rank} a message that is not a NIC packet of call {_request.Sequence} ({_request.Kind}); the ranks made different calls.");
        }

        try
        {
            channel.Held = Descriptor.Decode(channel.Buffer);
        }
        catch (DescriptorFormatException malformed)
        {
            // The bytes came from another process: the failure is that rank's, and says so on every rank.
            throw new ProtocolException($"Rank {channel.Peer} sent rank {_transport.Rank} a malformed NIC packet in call {_request.Sequence} ({_request.Kind}): {malformed.Message}", malformed);
        }

        channel.HasHeld = true;
    }

    /// <summary>Delivers held packets the queue can take, sends what fired, writes completions, until nothing moves.</summary>
    private void Pump()
    {
        if (!_callActive)
        {
            return;
        }

        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach (InboundChannel channel in _active)
            {
                if (channel.HasHeld && _nic.CanAccept(channel.Held))
                {
                    channel.HasHeld = false;
                    channel.Remaining--;
                    _nic.Deliver(channel.Held);
                    moved = true;
                }
            }

            while (_nic.TryTakeOutgoing(out Descriptor packet))
            {
                Send(packet);
            }

            while (_nic.TryTakeCompletion(out Descriptor put))
            {
                DescriptorBuilder.WriteCompletion(_request, put, _result.Span);
                _errors |= put.Errors;
            }

            while (_ready.TryDequeue(out InboundChannel? ready))
            {
                Receive(ready);
                moved = true;
            }

            // One receive at a time, children before the parent (the order packets are needed in),
            // and only when nothing else can move: a transport may spin inside the call.
            if (!moved && PostNextReceive())
            {
                moved = true;
            }
        }

        if (IsCallDone())
        {
            _callActive = false;
            LastErrors = _errors;
            Complete();
        }
    }

    /// <summary>Posts the next receive a channel needs; returns whether one was posted.</summary>
    private bool PostNextReceive()
    {
        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0 && !channel.Receiving && !channel.HasHeld)
            {
                PostReceive(channel);
                return true;
            }
        }

        return false;
    }

    private bool IsCallDone()
    {
        if (_nic.FiredCount != _nic.PostedCount)
        {
            return false;
        }

        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0 || channel.Receiving || channel.HasHeld)
            {
                return false;
            }
        }

        foreach (OutboundChannel? channel in _outbound)
        {
            if (channel is { Sending: true })
            {
                return false;
            }
        }

        return true;
    }

    private void Send(in Descriptor packet)
    {
        int peer = packet.Destination;
        OutboundChannel channel = _outbound[peer] ??= new OutboundChannel(peer, Sent);
        if (channel.Sending)
        {
            channel.Backlog.Enqueue(packet);
            return;
        }

        StartSend(channel, packet);
    }

    private void StartSend(OutboundChannel channel, Descriptor packet)
    {
        while (true)
        {
            packet.Encode(channel.Buffer);
            ValueTask pending = _transport.SendAsync(channel.Peer, _tag, channel.Buffer, _callToken);
            if (!pending.IsCompleted)
            {
                channel.Sending = true;
                channel.Pending = pending;
                pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(channel.OnCompleted);
                return;
            }

            pending.GetAwaiter().GetResult();
            if (!channel.Backlog.TryDequeue(out packet))
            {
                return;
            }
        }
    }

    /// <summary>A send finished: the next waiting packet for that peer goes out.</summary>
    private void FinishSend(OutboundChannel channel)
    {
        channel.Sending = false;
        ValueTask finished = channel.Pending;
        channel.Pending = default;
        try
        {
            finished.GetAwaiter().GetResult();
            if (_callActive && channel.Backlog.TryDequeue(out Descriptor next))
            {
                StartSend(channel, next);
            }
        }
        catch (Exception exception) when (_callActive)
        {
            Fail(exception);
        }
        catch (Exception)
        {
            // The call already failed; this send's failure adds nothing.
        }
    }

    private void Fail(Exception exception)
    {
        if (!_callActive)
        {
            return;
        }

        _callActive = false;
        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0)
            {
                WaitingFor = channel.Peer;
                break;
            }
        }

        _failure = exception;
        Complete();
    }
}
