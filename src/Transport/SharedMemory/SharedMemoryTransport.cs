using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// One rank of a job whose ranks run on one host and share a memory segment in /dev/shm:
/// point-to-point messages go through a single-producer single-consumer ring per ordered pair of
/// ranks (messages larger than a ring stream through it), and collectives can work on the ranks'
/// windows directly through <see cref="ISharedMemoryWindows"/> (see <see cref="GetFeature{TFeature}"/>).
/// </summary>
/// <remarks>
/// <para>The segment is created by rank 0 with mode 0600 under a random 128-bit name, which the
/// ranks exchange through the (authenticated) rendezvous store, and unlinked as soon as every
/// rank has mapped it: a crash of any process afterwards leaves nothing in /dev/shm.</para>
/// <para>Operations complete on the caller's thread: a receive waits (spin, yield, sleep, see
/// <see cref="SharedMemoryTransportOptions"/>) until its message is in, so its task is always
/// complete when returned; a send copies into the ring and returns at once unless the ring is
/// full, in which case a pool thread (and this rank's own waits) write the rest as the receiver
/// frees space.</para>
/// <para>Failure: a rank that closes, whose process exits, or whose heartbeat stops makes the
/// ranks waiting for it throw <see cref="PeerFailedException"/> within the liveness check interval
/// (process exit) or the heartbeat timeout (a stopped process).</para>
/// </remarks>
public sealed class SharedMemoryTransport : ITransport
{
    private readonly SharedMemoryJob _job;
    private readonly PendingSend?[] _sends;
    private readonly Timer _heartbeat;
    private readonly SharedMemoryWindows _windows;
    private int _pendingSends;
    private int _disposed;

    private SharedMemoryTransport(SharedMemoryJob job)
    {
        _job = job;
        _sends = new PendingSend?[job.Size];
        for (int peer = 0; peer < job.Size; peer++)
        {
            if (peer != job.Rank)
            {
                _sends[peer] = new PendingSend(this, RingTo(peer), peer);
            }
        }

        _windows = new SharedMemoryWindows(job);
        _heartbeat = new Timer(static state => ((SharedMemoryTransport)state!).Beat(), this, TimeSpan.Zero, job.Options.HeartbeatInterval);
    }

    /// <inheritdoc />
    public int Rank => _job.Rank;

    /// <inheritdoc />
    public int Size => _job.Size;

    /// <inheritdoc />
    public string Name => "shm";

    /// <summary>Whether the ranks sharing the segment outnumber this host's processors, so the oversubscribed waiting budgets apply.</summary>
    public bool IsOversubscribed => _job.IsOversubscribed;

    /// <summary>The start of the names of job <paramref name="jobId"/>'s segments in /dev/shm, to look for leftovers.</summary>
    /// <param name="jobId">The job's identifier.</param>
    /// <returns>The name prefix.</returns>
    public static string SegmentNamePrefix(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return SharedMemorySegment.NamePrefix(jobId);
    }

    /// <summary>Whether this platform can run the transport (Linux with /dev/shm).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Directory.Exists(SharedMemorySegment.Directory);

    /// <summary>
    /// Joins the ranks of <paramref name="group"/> on this host: rank 0 creates the segment and
    /// publishes its name under <c>shm/{group}</c> in <paramref name="store"/>, the others map it,
    /// and every rank unlinks it once all have mapped it.
    /// </summary>
    /// <param name="rank">This rank within the group, in [0, <paramref name="size"/>).</param>
    /// <param name="size">Number of ranks sharing the segment.</param>
    /// <param name="jobId">The job's identifier (it names the segment, so leftovers can be traced to a job).</param>
    /// <param name="store">Where the ranks exchange the segment's name.</param>
    /// <param name="options">Settings; every rank must use the same sizes. Null for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <param name="group">Names the group of ranks in the store; ranks sharing one segment pass the same.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="PlatformNotSupportedException">Not on Linux with /dev/shm.</exception>
    /// <exception cref="PeerFailedException">A rank did not join within <see cref="SharedMemoryTransportOptions.ConnectTimeout"/>.</exception>
    public static async Task<SharedMemoryTransport> ConnectAsync(
        int rank, int size, string jobId, IRendezvousStore store, SharedMemoryTransportOptions? options, CancellationToken cancellationToken, string group = "all")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new SharedMemoryTransportOptions();
        options.Validate();
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("The shared-memory transport needs Linux with /dev/shm.");
        }

        var layout = new SegmentLayout(size, options.RingCapacity, options.WindowLength);
        string key = $"shm/{group}";
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        SharedMemorySegment segment;
        if (rank == 0)
        {
            segment = SharedMemorySegment.Create(jobId, layout.TotalLength);
            SegmentHeader.Write(segment, layout);
            try
            {
                await store.SetAsync(key, Encoding.UTF8.GetBytes(segment.Name), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                segment.Unlink();
                segment.Dispose();
                throw;
            }
        }
        else
        {
            byte[] name;
            try
            {
                name = await store.GetAsync(key, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PeerFailedException(0, $"it did not publish the shared-memory segment within {options.ConnectTimeout.TotalSeconds:0.#} s");
            }

            segment = SharedMemorySegment.Open(Encoding.UTF8.GetString(name), layout.TotalLength);
        }

        try
        {
            SegmentHeader.Check(segment, layout);
            var job = new SharedMemoryJob(segment, layout, rank, options);
            job.Announce();
            await WaitForEveryRankAsync(job, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            segment.Unlink();
            job.Logger.LogDebug("Rank {Rank} of {Size}: shared segment {Segment} mapped by all and unlinked", rank, size, segment.Name);
            return new SharedMemoryTransport(job);
        }
        catch
        {
            segment.Unlink();
            segment.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        PendingSend pending = _sends[ValidatePeer(destination, nameof(destination))]!;
        _job.Enter();
        try
        {
            _job.ThrowIfAborted();
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            if (pending.IsActive)
            {
                throw new InvalidOperationException($"A send to rank {destination} is already outstanding; post one send per destination at a time.");
            }

            if (_job.PeerClosed(destination))
            {
                throw new PeerFailedException(destination, "it closed its transport");
            }

            ByteRing ring = RingTo(destination);
            int padded = MessageHeader.Padded(payload.Length);
            if (ring.FreeSpace >= MessageHeader.Size + padded)
            {
                Span<byte> header = stackalloc byte[MessageHeader.Size];
                MessageHeader.Write(header, tag, payload.Length);
                ring.Write(0, header);
                ring.Write(MessageHeader.Size, payload.Span);
                ring.Publish(MessageHeader.Size + padded);
                WakeAfterWrite(destination);
                return ValueTask.CompletedTask;
            }

            Interlocked.Increment(ref _pendingSends);
            pending.Start(tag, payload, cancellationToken);
            if (pending.TryAdvance())
            {
                return ValueTask.CompletedTask;
            }

            // A pool thread finishes the send even if this rank's thread next waits elsewhere (for
            // example on another transport), so the receiver is never left waiting for the rest.
            ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: false);
            return new ValueTask(pending, pending.Version);
        }
        finally
        {
            _job.Exit();
        }
    }

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ValidatePeer(source, nameof(source));
        _job.Enter();
        try
        {
            _job.ThrowIfAborted();
            ByteRing ring = RingFrom(source);
            var headerArrived = new RingReadable(this, ring, source, MessageHeader.Size);
            _job.Wait(ref headerArrived, long.MaxValue, cancellationToken);
            Span<byte> header = stackalloc byte[MessageHeader.Size];
            ring.Peek(header);
            int length = MessageHeader.Read(header, source, out MessageTag tag);

            bool deliver = tag == expectedTag && length == buffer.Length;
            Span<byte> destination = buffer.Span;
            int padded = MessageHeader.Padded(length);
            ring.Consume(MessageHeader.Size);
            for (int done = 0; done < padded;)
            {
                int available = ring.Available;
                if (available == 0)
                {
                    var more = new RingReadable(this, ring, source, 1);
                    _job.Wait(ref more, long.MaxValue, cancellationToken);
                    continue;
                }

                int count = Math.Min(available, padded - done);
                int data = Math.Clamp(length - done, 0, count);
                if (deliver && data > 0)
                {
                    ring.Peek(destination.Slice(done, data));
                }

                ring.Consume(count);
                done += count;

                // A sender streaming a large message may sleep until space frees up.
                WakeAfterWrite(source);
            }

            if (padded == 0)
            {
                WakeAfterWrite(source);
            }

            return new ValueTask<ReceivedMessage>(new ReceivedMessage(tag, length, deliver));
        }
        finally
        {
            _job.Exit();
        }
    }

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason)
    {
        try
        {
            _job.Enter();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            _job.Abort(reason);
        }
        finally
        {
            _job.Exit();
        }
    }

    /// <inheritdoc />
    public TFeature? GetFeature<TFeature>() where TFeature : class => _windows as TFeature;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        var closed = new ObjectDisposedException(nameof(SharedMemoryTransport), $"Rank {Rank} closed its shared-memory transport.");
        foreach (PendingSend? send in _sends)
        {
            send?.Fail(closed);
        }

        if (_job.Close())
        {
            _job.Unmap();
        }
    }

    /// <summary>Pushes every pending send as far as its ring allows (cheap when none is pending).</summary>
    internal void ProgressSends()
    {
        if (Volatile.Read(ref _pendingSends) == 0)
        {
            return;
        }

        foreach (PendingSend? send in _sends)
        {
            if (send is { IsActive: true })
            {
                send.TryAdvance();
            }
        }
    }

    internal void SendFinished() => Interlocked.Decrement(ref _pendingSends);

    /// <summary>Wakes <paramref name="peer"/> if it sleeps, after this rank changed a ring it may wait on.</summary>
    internal void WakeAfterWrite(int peer)
    {
        Interlocked.MemoryBarrier();
        _job.Wake(peer);
    }

    /// <summary>Blocks until <paramref name="send"/> is written; the pool-thread side of an awaited send.</summary>
    internal void WaitForSend(PendingSend send, CancellationToken cancellationToken)
    {
        _job.Enter();
        try
        {
            var written = new SendWritten(send);
            _job.Wait(ref written, long.MaxValue, cancellationToken);
        }
        finally
        {
            _job.Exit();
        }
    }

    private static async Task WaitForEveryRankAsync(SharedMemoryJob job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long giveUp = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        for (int rank = 0; rank < job.Size; rank++)
        {
            while (!job.HasAnnounced(rank))
            {
                if (Stopwatch.GetTimestamp() > giveUp)
                {
                    throw new PeerFailedException(rank, $"it did not map the shared-memory segment within {timeout.TotalSeconds:0.#} s");
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ByteRing RingTo(int destination) => _job.Ring(Rank, destination);

    private ByteRing RingFrom(int source) => _job.Ring(source, Rank);

    private void Beat()
    {
        try
        {
            _job.Enter();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            _job.Heartbeat();
        }
        finally
        {
            _job.Exit();
        }
    }

    private int ValidatePeer(int peer, string parameterName)
    {
        if ((uint)peer >= (uint)Size || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(parameterName, peer, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }

        return peer;
    }
}
