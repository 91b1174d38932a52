using System.Threading.Tasks.Sources;
using Collectives.Simulation.Host;
using Collectives.Simulation.Engine;
using Collectives.Transport;

namespace Collectives.Simulation.Transport;

/// <summary>
/// The messages from one rank to another that have reached the receiver's host memory, and the
/// receiver's one outstanding receive from that rank. A receive that finds its message already
/// there completes at once; one that waits completes inline from the engine's event loop when the
/// message arrives, so the rank's code continues at that virtual time.
/// </summary>
internal sealed class SimulatedMailbox : IValueTaskSource<ReceivedMessage>
{
    private readonly Queue<Arrival> _arrived = new();
    private readonly SimulationEngine _engine;
    private readonly HostCpu _cpu;
    private readonly HostOptions _host;
    private ManualResetValueTaskSourceCore<ReceivedMessage> _pending;
    private bool _waiting;
    private MessageTag _expectedTag;
    private Memory<byte> _buffer;

    public SimulatedMailbox(SimulationEngine engine, HostCpu cpu, HostOptions host)
    {
        _engine = engine;
        _cpu = cpu;
        _host = host;
    }

    public ValueTask<ReceivedMessage> Receive(MessageTag expectedTag, Memory<byte> buffer)
    {
        if (_waiting)
        {
            throw new InvalidOperationException("A receive from this source is already outstanding; the transport allows one per source.");
        }

        if (_arrived.TryDequeue(out Arrival arrival))
        {
            return new ValueTask<ReceivedMessage>(Deliver(arrival, expectedTag, buffer));
        }

        _pending.Reset();
        _waiting = true;
        _expectedTag = expectedTag;
        _buffer = buffer;
        return new ValueTask<ReceivedMessage>(this, _pending.Version);
    }

    /// <summary>A message reached host memory (visible to the host from <paramref name="availableAt"/>).</summary>
    public void Arrive(MessageTag tag, byte[] payload, long availableAt)
    {
        var arrival = new Arrival(tag, payload, availableAt);
        if (!_waiting)
        {
            _arrived.Enqueue(arrival);
            return;
        }

        _waiting = false;
        Memory<byte> buffer = _buffer;
        _buffer = default;
        _pending.SetResult(Deliver(arrival, _expectedTag, buffer));
    }

    public void Fail(Exception failure)
    {
        if (_waiting)
        {
            _waiting = false;
            _buffer = default;
            _pending.SetException(failure);
        }
    }

    public ReceivedMessage GetResult(short token) => _pending.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _pending.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _pending.OnCompleted(continuation, state, token, flags);

    private ReceivedMessage Deliver(Arrival arrival, MessageTag expectedTag, Memory<byte> buffer)
    {
        _cpu.Run(Math.Max(_engine.Now, arrival.AvailableAt), _host.ReceiveCost(arrival.Payload.Length));
        bool delivered = arrival.Tag == expectedTag && arrival.Payload.Length == buffer.Length;
        if (delivered)
        {
            arrival.Payload.CopyTo(buffer.Span);
        }

        return new ReceivedMessage(arrival.Tag, arrival.Payload.Length, delivered);
    }

    private readonly record struct Arrival(MessageTag Tag, byte[] Payload, long AvailableAt);
}
