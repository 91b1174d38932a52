using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

[TestFixture]
[CancelAfter(20_000)]
public sealed class TcpCancellationTests
{
    [Test]
    public async Task CancellingAWaitingReceiveThrowsAndTheNextMessageStillArrives()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Expect.Throws<OperationCanceledException>(() => job[1].ReceiveAsync(0, Tags.For(0, 1, 1), new byte[2], cancel.Token));

        await job[0].SendAsync(1, Tags.For(0, 1, 1), new byte[] { 5, 6 }, CancellationToken.None);
        byte[] buffer = new byte[2];
        Assert.That((await job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None)).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 5, 6 }));
    }

    [Test]
    public async Task AReceiveWithAnAlreadyCancelledTokenFailsAtOnce()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        await Expect.Throws<OperationCanceledException>(() => job[1].ReceiveAsync(0, default, new byte[1], new CancellationToken(canceled: true)));
    }

    [Test]
    public async Task CancellingAReceiveWhilePartOfItsPayloadHasArrivedDropsOnlyThatMessage()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, fakeHighestRank: true);
        const int length = 1024 * 1024;
        using var cancel = new CancellationTokenSource();
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, Tags.For(1, 0, 1), new byte[length], cancel.Token);
        byte[] frame = FakeRank.DataFrame(Tags.For(1, 0, 1), new byte[length]);
        await job.Fake!.SendAsync(0, frame[..(length / 2)]);
        await Task.Delay(100);
        await cancel.CancelAsync();
        await Expect.Throws<OperationCanceledException>(() => receive);

        await job.Fake.SendAsync(0, frame[(length / 2)..]);
        await job.Fake.SendAsync(0, FakeRank.DataFrame(Tags.For(1, 0, 2), [3, 1, 4]));
        byte[] buffer = new byte[3];
        Assert.That((await job[0].ReceiveAsync(1, Tags.For(1, 0, 2), buffer, CancellationToken.None)).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 3, 1, 4 }));
    }

    [Test]
    public async Task CancellingASendStuckPartWayThroughAFrameFailsThatPeer()
    {
        // The fake rank never reads, so a large send fills the socket buffers and waits.
        await using TcpJob job = await TcpJob.StartAsync(2, fakeHighestRank: true);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Expect.Throws<OperationCanceledException>(() => job[0].SendAsync(1, default, new byte[48 * 1024 * 1024], cancel.Token));

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => job[0].SendAsync(1, default, new byte[1], CancellationToken.None));
        Assert.That(failure.Reason, Does.Contain("cancelled part-way through a frame"));
    }
}
