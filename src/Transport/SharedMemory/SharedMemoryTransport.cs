using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Collectives.Transport.Security;
using Collectives.Transport.Settings;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// One rank of a job whose ranks run on one host and share a memory segment in /dev/shm:
/// point-to-point messages go through a single-producer single-consumer ring per ordered pair of
/// ranks (messages larger than a ring stream through it), and collectives can work on the ranks'
/// windows directly through <see cref="ISharedMemoryWindows"/> (see <see cref="GetFeature{TFeature}"/>).
/// </summary>
/// <remarks>
/// <para>The segment is created by rank 0 with mode 0600 under a name every rank of the job (and
/// its launcher) computes from the job's id and secret (<see cref="SegmentName"/>), announced
/// through the (authenticated) rendezvous store, and unlinked as soon as every rank has mapped it:
/// a crash of any process afterwards leaves nothing in /dev/shm, and a crash before is cleaned up
/// by the ranks that give up waiting and by the launcher (<see cref="RemoveLeftoverSegments"/>).</para>
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
    /// <summary>The group of a job whose ranks all share one host (one segment for the whole job).</summary>
    public const string AllRanksGroup = "all";

    private readonly SegmentAttachment _attachment;
    private readonly PendingSend?[] _sends;
    private readonly Timer _heartbeat;
    private readonly SharedMemoryWindows _windows;
    private readonly JobCredentials _credentials;
    private readonly SharedMemoryTransportOptions _options;
    /// <summary>
    /// Test hook: seconds rank 0 waits between creating its segment and announcing it, so a test
    /// can kill it in that window. Unset (always, outside tests) means no wait.
    /// </summary>
    internal const string AnnouncementDelayVariable = "COLLECTIVES_TEST_SHM_ANNOUNCE_DELAY";

    private static readonly NumericSetting AnnouncementDelay = NumericSetting.Seconds(AnnouncementDelayVariable, 0, 600);

    private int _pendingSends;
    private int _disposed;

    private SharedMemoryTransport(SegmentAttachment attachment, JobCredentials credentials, SharedMemoryTransportOptions options)
    {
        _credentials = credentials;
        _options = options;
        _attachment = attachment;
        _sends = new PendingSend?[attachment.Size];
        for (int peer = 0; peer < attachment.Size; peer++)
        {
            if (peer != attachment.Rank)
            {
                _sends[peer] = new PendingSend(this, RingTo(peer), peer);
            }
        }

        _windows = new SharedMemoryWindows(attachment);
        _heartbeat = new Timer(static state => ((SharedMemoryTransport)state!).Beat(), this, TimeSpan.Zero, attachment.Options.HeartbeatInterval);
    }

    /// <inheritdoc />
    public int Rank => _attachment.Rank;

    /// <inheritdoc />
    public int Size => _attachment.Size;

    /// <inheritdoc />
    public string Name => "shm";

    /// <summary>Whether the ranks sharing the segment outnumber this host's processors, so the oversubscribed waiting budgets apply.</summary>
    public bool IsOversubscribed => _attachment.IsOversubscribed;

    /// <summary>The start of the names of job <paramref name="jobId"/>'s segments in /dev/shm, to look for leftovers.</summary>
    /// <param name="jobId">The job's identifier.</param>
    /// <returns>The name prefix.</returns>
    public static string SegmentNamePrefix(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return SharedMemorySegment.NamePrefix(jobId);
    }

    /// <summary>
    /// Joins some of this job's ranks on this host in a segment of their own (a sub-communicator's
    /// windows), named <paramref name="group"/>, with this transport's credentials and sizes; as
    /// <see cref="ConnectAsync"/>, rank 0 of the group announces it in <paramref name="store"/>.
    /// </summary>
    /// <param name="rank">This rank within the group.</param>
    /// <param name="size">Number of ranks in the group.</param>
    /// <param name="group">Names the group, the same on its ranks and different from every other group of the job.</param>
    /// <param name="store">Where the group's rank 0 announces the segment.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The group's transport.</returns>
    internal Task<SharedMemoryTransport> ConnectGroupAsync(int rank, int size, string group, IRendezvousStore store, CancellationToken cancellationToken)
        => ConnectAsync(rank, size, _credentials, store, _options, cancellationToken, group);

    /// <summary>The length of what a group's rank 0 announces (<see cref="ConnectGroupAsync"/>): its segment's run nonce, in hex.</summary>
    internal const int AnnouncementLength = 2 * SegmentLayout.RunNonceLength;

    /// <summary>Whether this platform can run the transport (Linux with /dev/shm).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Directory.Exists(SharedMemorySegment.Directory);

    /// <summary>
    /// Joins the ranks of <paramref name="group"/> on this host: rank 0 creates the segment under
    /// the name <see cref="SegmentName"/> computes and announces it under <c>shm/{group}</c> in
    /// <paramref name="store"/>, the others map it, and every rank unlinks it once all have mapped
    /// it. A rank that fails before then (rank 0 died before announcing it, a timeout, a
    /// cancellation) removes the name too, since every rank can compute it.
    /// </summary>
    /// <param name="rank">This rank within the group, in [0, <paramref name="size"/>).</param>
    /// <param name="size">Number of ranks sharing the segment.</param>
    /// <param name="credentials">The job's id and secret: they name the segment (see <see cref="SegmentName"/>).</param>
    /// <param name="store">Where rank 0 announces the segment.</param>
    /// <param name="options">Settings; every rank must use the same sizes. Null for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <param name="group">Names the group of ranks (in the store and in the segment's name); ranks sharing one segment pass the same.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="PlatformNotSupportedException">Not on Linux with /dev/shm.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of its range.</exception>
    /// <exception cref="PeerFailedException">A rank did not join within <see cref="SharedMemoryTransportOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="ProtocolException">The segment is not the one rank 0 announced, or has other settings.</exception>
    public static async Task<SharedMemoryTransport> ConnectAsync(
        int rank, int size, JobCredentials credentials, IRendezvousStore store, SharedMemoryTransportOptions? options, CancellationToken cancellationToken, string group = AllRanksGroup)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(group);
        options ??= new SharedMemoryTransportOptions();
        options.Validate();
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("The shared-memory transport needs Linux with /dev/shm.");
        }

        var layout = new SegmentLayout(size, options.RingCapacityFor(size), options.WindowLength);
        string key = $"shm/{group}";
        string name = SharedMemorySegment.NameFor(credentials, group);
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        SharedMemorySegment segment;
        try
        {
            segment = rank == 0
                ? await CreateAndAnnounceAsync(name, layout, store, key, cancellationToken).ConfigureAwait(false)
                : await OpenAnnouncedAsync(name, layout, store, key, options.ConnectTimeout, connectTimeout.Token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Rank 0 may have died between creating the segment and announcing it: whoever gives up removes the name.
            SharedMemorySegment.Remove(name);
            throw;
        }

        try
        {
            // Before announcing, so the time is spent while the peers are still joining.
            segment.Populate();
            var attachment = new SegmentAttachment(segment, layout, rank, options);
            attachment.Announce();
            await WaitForEveryRankAsync(attachment, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            segment.Unlink();
            attachment.Logger.LogDebug("Rank {Rank} of {Size}: shared segment {Segment} mapped by all and unlinked", rank, size, segment.Name);
            return new SharedMemoryTransport(attachment, credentials, options);
        }
        catch
        {
            segment.Unlink();
            segment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The name in /dev/shm of the segment of ranks <paramref name="group"/> of a job: the prefix
    /// <see cref="SegmentNamePrefix"/> and 128 bits of HMAC-SHA256 under the job's secret, so
    /// every rank and the launcher can compute it, and nobody without the secret can guess it
    /// (a secret derived from the job id, as when no <c>COLLECTIVES_SECRET</c> is given, does not
    /// keep it secret).
    /// </summary>
    /// <param name="credentials">The job's id and secret.</param>
    /// <param name="group">The group of ranks sharing the segment (<see cref="AllRanksGroup"/> or <see cref="HostGroup"/>).</param>
    /// <returns>The file name (without the directory).</returns>
    public static string SegmentName(JobCredentials credentials, string group = AllRanksGroup)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(group);
        return SharedMemorySegment.NameFor(credentials, group);
    }

    /// <summary>The group of the ranks on the host whose lowest rank is <paramref name="firstRank"/>, when the job spans hosts.</summary>
    /// <param name="firstRank">The lowest rank of the job on that host.</param>
    /// <returns>The group's name.</returns>
    public static string HostGroup(int firstRank) => $"host-of-{firstRank}";

    /// <summary>
    /// Removes whatever segments a job of <paramref name="size"/> ranks could have left in
    /// /dev/shm (every group: <see cref="AllRanksGroup"/> and each <see cref="HostGroup"/>), for a
    /// launcher once all of the job's ranks have ended: a rank killed between creating its segment
    /// and announcing it leaves the name to whoever can compute it.
    /// </summary>
    /// <param name="credentials">The job's id and secret.</param>
    /// <param name="size">Number of ranks of the job.</param>
    /// <returns>How many segments were removed.</returns>
    public static int RemoveLeftoverSegments(JobCredentials credentials, int size)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!IsSupported)
        {
            return 0;
        }

        int removed = SharedMemorySegment.Remove(SharedMemorySegment.NameFor(credentials, AllRanksGroup)) ? 1 : 0;
        for (int firstRank = 0; firstRank < size; firstRank++)
        {
            removed += SharedMemorySegment.Remove(SharedMemorySegment.NameFor(credentials, HostGroup(firstRank))) ? 1 : 0;
        }

        return removed;
    }

    private static async Task<SharedMemorySegment> CreateAndAnnounceAsync(string name, SegmentLayout layout, IRendezvousStore store, string key, CancellationToken cancellationToken)
    {
        byte[] runNonce = RandomNumberGenerator.GetBytes(SegmentLayout.RunNonceLength);
        SharedMemorySegment segment = SharedMemorySegment.Create(name, layout.TotalLength);
        try
        {
            SegmentHeader.Write(segment, layout, runNonce);
            if (AnnouncementDelayForTests() is { } delay)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            await store.SetAsync(key, Encoding.ASCII.GetBytes(Convert.ToHexString(runNonce)), cancellationToken).ConfigureAwait(false);
            return segment;
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    private static async Task<SharedMemorySegment> OpenAnnouncedAsync(
        string name, SegmentLayout layout, IRendezvousStore store, string key, TimeSpan connectTimeout, CancellationToken connectDeadline, CancellationToken cancellationToken)
    {
        byte[] announced;
        try
        {
            announced = await store.GetAsync(key, connectDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PeerFailedException(0, $"it did not announce the shared-memory segment within {connectTimeout.TotalSeconds:0.#} s");
        }

        byte[] runNonce;
        try
        {
            runNonce = Convert.FromHexString(Encoding.ASCII.GetString(announced));
        }
        catch (FormatException)
        {
            runNonce = [];
        }

        if (runNonce.Length != SegmentLayout.RunNonceLength)
        {
            throw new ProtocolException($"Rank 0 announced the shared-memory segment with {announced.Length} bytes that are not a run nonce; is it another version of Collectives?");
        }

        SharedMemorySegment segment;
        try
        {
            segment = SharedMemorySegment.Open(name, layout.TotalLength);
        }
        catch (FileNotFoundException exception)
        {
            throw new ProtocolException($"Shared-memory segment {name} was removed before this rank mapped it: another rank of the group gave up connecting.", exception);
        }

        try
        {
            SegmentHeader.Check(segment, layout, runNonce);
            return segment;
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Test hook, read only here: seconds rank 0 waits between creating its segment and announcing
    /// it (<see cref="AnnouncementDelayVariable"/>), so a multi-process test can kill it in that window.
    /// </summary>
    private static TimeSpan? AnnouncementDelayForTests()
        => Environment.GetEnvironmentVariable(AnnouncementDelayVariable) is { Length: > 0 } text ? AnnouncementDelay.ParseDuration(text) : null;

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        PendingSend pending = _sends[ValidatePeer(destination, nameof(destination))]!;
        _attachment.Enter();
        try
        {
            _attachment.ThrowIfAborted();
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            if (pending.IsActive)
            {
                throw new InvalidOperationException($"A send to rank {destination} is already outstanding; post one send per destination at a time.");
            }

            if (_attachment.PeerClosed(destination))
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
            _attachment.Exit();
        }
    }

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ValidatePeer(source, nameof(source));
        _attachment.Enter();
        try
        {
            _attachment.ThrowIfAborted();
            ByteRing ring = RingFrom(source);
            var headerArrived = new RingReadable(this, ring, source, MessageHeader.Size);
            _attachment.Wait(ref headerArrived, long.MaxValue, cancellationToken);
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
                    _attachment.Wait(ref more, long.MaxValue, cancellationToken);
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
            _attachment.Exit();
        }
    }

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason)
    {
        try
        {
            _attachment.Enter();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            _attachment.Abort(reason);
        }
        finally
        {
            _attachment.Exit();
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

        if (_attachment.Close())
        {
            _attachment.Unmap();
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
        _attachment.Wake(peer);
    }

    /// <summary>Blocks until <paramref name="send"/> is written; the pool-thread side of an awaited send.</summary>
    internal void WaitForSend(PendingSend send, CancellationToken cancellationToken)
    {
        _attachment.Enter();
        try
        {
            var written = new SendWritten(send);
            _attachment.Wait(ref written, long.MaxValue, cancellationToken);
        }
        finally
        {
            _attachment.Exit();
        }
    }

    private static async Task WaitForEveryRankAsync(SegmentAttachment attachment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long giveUp = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        for (int rank = 0; rank < attachment.Size; rank++)
        {
            while (!attachment.HasAnnounced(rank))
            {
                if (Stopwatch.GetTimestamp() > giveUp)
                {
                    throw new PeerFailedException(rank, $"it did not map the shared-memory segment within {timeout.TotalSeconds:0.#} s");
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ByteRing RingTo(int destination) => _attachment.Ring(Rank, destination);

    private ByteRing RingFrom(int source) => _attachment.Ring(source, Rank);

    private void Beat()
    {
        try
        {
            _attachment.Enter();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            _attachment.Heartbeat();
        }
        finally
        {
            _attachment.Exit();
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
