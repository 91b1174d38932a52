using Collectives.Transport.SharedMemory;
using Collectives.Transport.Tests.Tcp;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>How the shared-memory transport reports aborts, closed peers and cancellation to a rank that waits.</summary>
[Platform("Linux")]
public class SharedMemoryFailureTests
{
    [Test]
    public async Task An_abort_fails_a_sleeping_receive_with_the_reason()
    {
        await using ShmJob job = await ShmJob.StartAsync(3, ShmJob.QuickToSleep);
        Task<ReceivedMessage> waiting = Task.Run(async () => await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), new byte[1], CancellationToken.None));
        await Task.Delay(50);

        job[2].Abort(new byte[] { 42, 43 });

        PeerAbortedException? aborted = await Assert.ThrowsAsync<PeerAbortedException>(async () => await waiting);
        Assert.That(aborted!.OriginRank, Is.EqualTo(2));
        Assert.That(aborted.Reason.ToArray(), Is.EqualTo(new byte[] { 42, 43 }));
    }

    [Test]
    public async Task After_an_abort_sends_fail_too()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);

        job[0].Abort([1]);

        Assert.That(async () => await job[1].SendAsync(0, Tags.For(1, 0, 0), new byte[1], CancellationToken.None), Throws.TypeOf<PeerAbortedException>());
    }

    [Test]
    public async Task A_peer_that_closes_fails_a_receive_waiting_for_it_with_PeerFailedException_naming_it()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        Task<ReceivedMessage> waiting = Task.Run(async () => await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), new byte[1], CancellationToken.None));
        await Task.Delay(50);

        await job[0].DisposeAsync();

        PeerFailedException? failed = await Assert.ThrowsAsync<PeerFailedException>(async () => await waiting);
        Assert.That(failed!.Rank, Is.EqualTo(0));
    }

    [Test]
    public async Task A_message_sent_before_the_sender_closed_is_still_received()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);
        await job[0].SendAsync(1, Tags.For(0, 1, 0), new byte[] { 5 }, CancellationToken.None);
        await job[0].DisposeAsync();
        byte[] buffer = new byte[1];

        ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), buffer, CancellationToken.None);

        Assert.That(received.Delivered, Is.True);
        Assert.That(buffer[0], Is.EqualTo(5));
    }

    [Test]
    public async Task Cancelling_a_waiting_receive_throws_OperationCanceledException()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.That(async () => await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), new byte[1], cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_send_blocked_on_a_full_ring_fails_when_the_receiver_closes()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, new SharedMemoryTransportOptions { RingCapacity = 4096, WindowLength = 8192, SpinDuration = TimeSpan.Zero, YieldDuration = TimeSpan.Zero });
        ValueTask send = job[0].SendAsync(1, Tags.For(0, 1, 0), new byte[100_000], CancellationToken.None);
        Task pending = send.AsTask();
        await Task.Delay(50);

        await job[1].DisposeAsync();

        Assert.That(async () => await pending, Throws.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(1));
    }
}
