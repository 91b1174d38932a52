using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

[TestFixture]
[CancelAfter(20_000)]
public sealed class TcpAbortTests
{
    [Test]
    public async Task AnAbortFailsEveryRanksWaitingReceiveWithTheOriginAndReason()
    {
        await using TcpJob job = await TcpJob.StartAsync(3);

        // Ranks 0 and 2 wait on each other and on rank 1; nobody will ever send.
        ValueTask<ReceivedMessage>[] waiting =
        [
            job[0].ReceiveAsync(2, default, new byte[4], CancellationToken.None),
            job[2].ReceiveAsync(0, default, new byte[4], CancellationToken.None),
            job[2].ReceiveAsync(1, default, new byte[4], CancellationToken.None),
        ];
        await Task.Delay(50);
        job[1].Abort([1, 2, 3]);

        foreach (ValueTask<ReceivedMessage> receive in waiting)
        {
            PeerAbortedException aborted = await Expect.Throws<PeerAbortedException>(() => receive);
            Assert.That(aborted.OriginRank, Is.EqualTo(1));
            Assert.That(aborted.Reason.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        }
    }

    [Test]
    public async Task AfterAnAbortEveryOperationOfEveryRankFailsWithIt()
    {
        await using TcpJob job = await TcpJob.StartAsync(3);
        ValueTask<ReceivedMessage> waiting = job[0].ReceiveAsync(2, default, new byte[1], CancellationToken.None);
        job[1].Abort("why"u8);
        await Expect.Throws<PeerAbortedException>(() => waiting);
        await WaitUntilAbortedAsync(job[2]);

        foreach (TcpTransport rank in job.Ranks)
        {
            int peer = (rank.Rank + 1) % 3;
            PeerAbortedException send = await Expect.Throws<PeerAbortedException>(() => rank.SendAsync(peer, default, new byte[1], CancellationToken.None));
            PeerAbortedException receive = await Expect.Throws<PeerAbortedException>(() => rank.ReceiveAsync(peer, default, new byte[1], CancellationToken.None));
            Assert.That(send.OriginRank, Is.EqualTo(1), $"rank {rank.Rank}");
            Assert.That(receive.Reason.ToArray(), Is.EqualTo("why"u8.ToArray()), $"rank {rank.Rank}");
        }
    }

    [Test]
    public async Task ARanksOwnAbortFailsItsOwnWaitingReceive()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        ValueTask<ReceivedMessage> waiting = job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None);
        job[0].Abort([9]);

        PeerAbortedException aborted = await Expect.Throws<PeerAbortedException>(() => waiting);
        Assert.That(aborted.OriginRank, Is.EqualTo(0));
        Assert.That(aborted.Reason.ToArray(), Is.EqualTo(new byte[] { 9 }));
    }

    [Test]
    public async Task AnAbortWinsOverMessagesAlreadyBuffered()
    {
        await using TcpJob job = await TcpJob.StartAsync(3);
        await job[1].SendAsync(0, default, new byte[1], CancellationToken.None);
        job[1].Abort([7]);

        // A parked receive on another peer makes rank 0 read every connection, so the abort is seen.
        await Expect.Throws<PeerAbortedException>(() => job[0].ReceiveAsync(2, default, new byte[1], CancellationToken.None));
        PeerAbortedException aborted = await Expect.Throws<PeerAbortedException>(() => job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None));
        Assert.That(aborted.OriginRank, Is.EqualTo(1));
    }

    [Test]
    public async Task TheFirstAbortWins()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        job[0].Abort([1]);
        job[0].Abort([2]);
        PeerAbortedException aborted = await Expect.Throws<PeerAbortedException>(() => job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None));
        Assert.That(aborted.Reason.ToArray(), Is.EqualTo(new byte[] { 1 }));
    }

    private static async Task WaitUntilAbortedAsync(TcpTransport rank)
    {
        // The abort frame reaches a rank that is not receiving at its next read of that connection.
        await Expect.Throws<PeerAbortedException>(() => rank.ReceiveAsync((rank.Rank + 1) % rank.Size, default, new byte[1], CancellationToken.None));
    }
}
