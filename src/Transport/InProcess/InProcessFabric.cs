namespace Collectives.Transport.InProcess;

/// <summary>
/// The shared state of one in-process job: a mailbox per ordered pair of ranks, which ranks have
/// closed, and whether (and why) the job was aborted.
/// </summary>
internal sealed class InProcessFabric
{
    private readonly InProcessMailbox[,] _mailboxes;
    private readonly bool[] _closed;
    private readonly object _gate = new();
    private PeerAbortedException? _abort;

    public InProcessFabric(int size)
    {
        Size = size;
        _closed = new bool[size];
        _mailboxes = new InProcessMailbox[size, size];
        for (int source = 0; source < size; source++)
        {
            for (int destination = 0; destination < size; destination++)
            {
                _mailboxes[source, destination] = new InProcessMailbox(this, source);
            }
        }
    }

    public int Size { get; }

    /// <summary>The job-wide abort, once some rank has aborted.</summary>
    public PeerAbortedException? AbortFailure => Volatile.Read(ref _abort);

    public InProcessMailbox Mailbox(int source, int destination) => _mailboxes[source, destination];

    /// <summary>The failure a receive from <paramref name="source"/> meets once its queue is empty, if any.</summary>
    public Exception? FailureFor(int source)
    {
        lock (_gate)
        {
            if (_abort is not null)
            {
                return _abort;
            }

            return _closed[source] ? new PeerFailedException(source, "it closed its transport") : null;
        }
    }

    /// <summary>The failure a send to <paramref name="destination"/> meets, if any.</summary>
    public Exception? SendFailureFor(int destination)
    {
        lock (_gate)
        {
            if (_abort is not null)
            {
                return _abort;
            }

            return _closed[destination] ? new PeerFailedException(destination, "it closed its transport") : null;
        }
    }

    public void Abort(int origin, byte[] reason)
    {
        PeerAbortedException abort;
        lock (_gate)
        {
            if (_abort is not null)
            {
                return;
            }

            abort = _abort = new PeerAbortedException(origin, reason);
        }

        foreach (InProcessMailbox mailbox in _mailboxes)
        {
            mailbox.FailWaiter(abort);
        }
    }

    public bool IsClosed(int rank)
    {
        lock (_gate)
        {
            return _closed[rank];
        }
    }

    public void Close(int rank)
    {
        lock (_gate)
        {
            if (_closed[rank])
            {
                return;
            }

            _closed[rank] = true;
        }

        var failure = new PeerFailedException(rank, "it closed its transport");
        var closedHere = new ObjectDisposedException(nameof(InProcessTransport), $"Rank {rank} closed its transport while waiting to receive.");
        for (int peer = 0; peer < Size; peer++)
        {
            _mailboxes[rank, peer].FailWaiter(failure);
            _mailboxes[peer, rank].FailWaiter(closedHere);
            _mailboxes[peer, rank].Drain();
        }
    }
}
