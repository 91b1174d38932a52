using Collectives.PointToPoint;
using Collectives.Transport;

namespace Collectives.SubCommunicators;

/// <summary>
/// Owns the job's transport on behalf of every communicator over it on this rank: the one the
/// job was created with and its sub-communicators, however nested. The transport closes when the
/// last of them is disposed, so disposing a parent keeps its children working, and disposing a
/// child never touches its parent. It also admits one call at a time among them: they share the
/// transport's ordered streams, so two calls at once would take each other's messages.
/// </summary>
internal sealed class TransportOwner(ITransport transport)
{
    private readonly Lock _gate = new();
    private readonly List<ITransport> _segments = [];
    private int _holders = 1;
    private int _calling;

    /// <summary>The job's transport.</summary>
    public ITransport Transport => transport;

    /// <summary>
    /// Point-to-point messages set aside on this rank, whichever communicator over the transport
    /// they were sent on: any of them may read another's message off the streams they share.
    /// </summary>
    public UnexpectedMessages UnexpectedMessages { get; } = new();

    /// <summary>A new communicator over the transport holds it open until it calls <see cref="ReleaseAsync"/>.</summary>
    /// <exception cref="ObjectDisposedException">Every holder has released it: it is closed.</exception>
    public void Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_holders == 0, transport);
            _holders++;
        }
    }

    /// <summary>A communicator is done with the transport; the last one closes it.</summary>
    public ValueTask ReleaseAsync()
    {
        lock (_gate)
        {
            if (--_holders != 0)
            {
                return ValueTask.CompletedTask;
            }
        }

        UnexpectedMessages.Clear();
        return transport.DisposeAsync();
    }

    /// <summary>Registers a sub-communicator's own shared-memory segment, which an abort of the job must reach too.</summary>
    public void AddSegment(ITransport segment)
    {
        lock (_gate)
        {
            _segments.Add(segment);
        }
    }

    /// <summary>Forgets a segment its sub-communicator closed.</summary>
    public void RemoveSegment(ITransport segment)
    {
        lock (_gate)
        {
            _segments.Remove(segment);
        }
    }

    /// <summary>
    /// Aborts the job's transport and every sub-communicator's segment: a failed call breaks every
    /// communicator over the transport, and a rank waiting in a sub-communicator's windows hears
    /// only of that segment's abort. Best effort, as <see cref="ITransport.Abort"/>.
    /// </summary>
    public void Abort(ReadOnlySpan<byte> reason)
    {
        transport.Abort(reason);
        ITransport[] segments;
        lock (_gate)
        {
            segments = [.. _segments];
        }

        foreach (ITransport segment in segments)
        {
            segment.Abort(reason);
        }
    }

    /// <summary>Starts a call on one of the communicators; false while another one's call runs.</summary>
    public bool TryEnterCall() => Interlocked.Exchange(ref _calling, 1) == 0;

    /// <summary>Ends a call started by <see cref="TryEnterCall"/>.</summary>
    public void ExitCall() => Volatile.Write(ref _calling, 0);
}
