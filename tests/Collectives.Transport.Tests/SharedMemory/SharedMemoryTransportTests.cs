using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;
using Collectives.Transport.Tests.Tcp;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>
/// Point-to-point behaviour of the shared-memory transport: delivery, order, messages larger
/// than a ring in both directions at once, tag and length verification, and the segment's life
/// (0600, unlinked once every rank has mapped it).
/// </summary>
[Platform("Linux")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SharedMemoryTransportTests
{
    private static readonly SharedMemoryTransportOptions SmallRings = new() { RingCapacity = 4096, WindowLength = 8192 };

    [Test]
    public async Task A_message_arrives_with_its_tag_and_bytes()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);
        byte[] buffer = new byte[3];

        await job[0].SendAsync(1, Tags.For(0, 1, 0), new byte[] { 7, 8, 9 }, CancellationToken.None);
        ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), buffer, CancellationToken.None);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 0), 3, Delivered: true)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 7, 8, 9 }));
    }

    [Test]
    public async Task Messages_of_every_length_arrive_in_order_between_every_pair()
    {
        await using ShmJob job = await ShmJob.StartAsync(3, SmallRings);
        int[] lengths = [0, 1, 7, 8, 100, 4000, 4096, 10_000];

        // One thread per rank: receives block the calling thread until their message is in.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(rank => Task.Factory.StartNew(() =>
        {
            SharedMemoryTransport me = job[rank];
            int[] peers = [.. Enumerable.Range(0, 3).Where(peer => peer != rank)];
            for (int index = 0; index < lengths.Length; index++)
            {
                Task[] sends = [.. peers.Select(peer => me.SendAsync(peer, Tags.For(rank, peer, index), Tags.Payload(rank, peer, index, lengths[index]), CancellationToken.None).AsTask())];
                foreach (int from in peers)
                {
                    byte[] buffer = new byte[lengths[index]];
                    ReceivedMessage received = me.ReceiveAsync(from, Tags.For(from, rank, index), buffer, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    Assert.That(received.Delivered, Is.True, $"rank {rank} from {from} message {index}");
                    Assert.That(buffer, Is.EqualTo(Tags.Payload(from, rank, index, lengths[index])), $"rank {rank} from {from} message {index}");
                }

                Task.WaitAll(sends);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
    }

    [Test]
    public async Task Two_ranks_exchanging_messages_larger_than_their_rings_both_complete()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, SmallRings);
        const int length = 1 << 20;

        byte[][] received = await Task.WhenAll(Enumerable.Range(0, 2).Select(rank => Task.Run(async () =>
        {
            int peer = 1 - rank;
            byte[] buffer = new byte[length];
            ValueTask send = job[rank].SendAsync(peer, Tags.For(rank, peer, 0), Tags.Payload(rank, peer, 0, length), CancellationToken.None);
            await job[rank].ReceiveAsync(peer, Tags.For(peer, rank, 0), buffer, CancellationToken.None);
            await send;
            return buffer;
        })));

        Assert.That(received[0], Is.EqualTo(Tags.Payload(1, 0, 0, length)));
        Assert.That(received[1], Is.EqualTo(Tags.Payload(0, 1, 0, length)));
    }

    [Test]
    public async Task A_message_with_another_tag_is_consumed_without_touching_the_buffer_and_the_next_one_is_intact()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, SmallRings);
        byte[] buffer = new byte[5000];

        Task sends = Task.Run(async () =>
        {
            await job[0].SendAsync(1, Tags.For(0, 1, 1), Tags.Payload(0, 1, 1, 5000), CancellationToken.None);
            await job[0].SendAsync(1, Tags.For(0, 1, 2), Tags.Payload(0, 1, 2, 5000), CancellationToken.None);
        });
        ReceivedMessage wrong = await job[1].ReceiveAsync(0, Tags.For(0, 1, 9), buffer, CancellationToken.None);
        Assert.That(buffer, Has.All.EqualTo(0));
        ReceivedMessage right = await job[1].ReceiveAsync(0, Tags.For(0, 1, 2), buffer, CancellationToken.None);
        await sends;

        Assert.That(wrong, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 1), 5000, Delivered: false)));
        Assert.That(right.Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(Tags.Payload(0, 1, 2, 5000)));
    }

    [Test]
    public async Task A_message_of_another_length_is_not_delivered()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);
        byte[] buffer = new byte[4];

        await job[0].SendAsync(1, Tags.For(0, 1, 0), new byte[] { 1, 2, 3 }, CancellationToken.None);
        ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), buffer, CancellationToken.None);

        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 0), 3, Delivered: false)));
        Assert.That(buffer, Has.All.EqualTo(0));
    }

    [Test]
    public async Task Once_every_rank_has_connected_the_segment_is_gone_from_dev_shm()
    {
        await using ShmJob job = await ShmJob.StartAsync(3);

        Assert.That(ShmJob.Leftovers(job.JobId), Is.Empty);
    }

    [Test]
    public async Task While_a_rank_is_missing_the_segment_exists_readable_and_writable_by_its_owner_only()
    {
        string jobId = $"test-{Guid.NewGuid():N}";
        JobCredentials credentials = JobCredentials.Generate(jobId);
        var store = new InMemoryRendezvousStore();
        Task<SharedMemoryTransport> first = SharedMemoryTransport.ConnectAsync(0, 2, credentials, store, null, CancellationToken.None);
        string[] segments = [];
        for (int attempt = 0; attempt < 500 && segments.Length == 0; attempt++)
        {
            await Task.Delay(10);
            segments = ShmJob.Leftovers(jobId);
        }

        Assert.That(segments, Has.Length.EqualTo(1));
        Assert.That(File.GetUnixFileMode(segments[0]), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Path.GetFileName(segments[0]), Has.Length.EqualTo(SharedMemoryTransport.SegmentNamePrefix(jobId).Length + 32));

        SharedMemoryTransport second = await SharedMemoryTransport.ConnectAsync(1, 2, credentials, store, null, CancellationToken.None);
        await using SharedMemoryTransport firstTransport = await first;
        await using SharedMemoryTransport secondTransport = second;
        Assert.That(ShmJob.Leftovers(jobId), Is.Empty);
    }

    [Test]
    public async Task A_rank_that_never_maps_the_segment_fails_the_others_naming_it_and_leaves_nothing_behind()
    {
        string jobId = $"test-{Guid.NewGuid():N}";
        var options = new SharedMemoryTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        Task<SharedMemoryTransport> lonely = SharedMemoryTransport.ConnectAsync(0, 2, JobCredentials.Generate(jobId), new InMemoryRendezvousStore(), options, CancellationToken.None);

        Assert.That(async () => await lonely, Throws.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(1));
        Assert.That(ShmJob.Leftovers(jobId), Is.Empty);
    }

    [Test]
    public async Task Ranks_configured_with_different_sizes_are_refused()
    {
        string jobId = $"test-{Guid.NewGuid():N}";
        JobCredentials credentials = JobCredentials.Generate(jobId);
        var store = new InMemoryRendezvousStore();
        Task<SharedMemoryTransport> first = SharedMemoryTransport.ConnectAsync(0, 2, credentials, store, new SharedMemoryTransportOptions { ConnectTimeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);

        Assert.That(async () => await SharedMemoryTransport.ConnectAsync(1, 2, credentials, store, SmallRings, CancellationToken.None), Throws.TypeOf<ProtocolException>());
        Assert.That(async () => await first, Throws.TypeOf<PeerFailedException>());
        Assert.That(ShmJob.Leftovers(jobId), Is.Empty);
    }
}
