using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

[TestFixture]
[CancelAfter(30_000)]
public sealed class TcpMeshTests
{
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    public async Task EveryPairExchangesTaggedMessagesInOrder(int size)
    {
        await using TcpJob job = await TcpJob.StartAsync(size);
        int[] lengths = [0, 1, 8, 1000, 70_000, 0, 5];
        await Task.WhenAll(Enumerable.Range(0, size).Select(rank => Task.Run(async () =>
        {
            TcpTransport self = job[rank];
            var sends = new List<Task>();
            for (int peer = 0; peer < size; peer++)
            {
                if (peer != rank)
                {
                    int destination = peer;
                    sends.Add(Task.Run(async () =>
                    {
                        for (int index = 0; index < lengths.Length; index++)
                        {
                            await self.SendAsync(destination, Tags.For(rank, destination, index), Tags.Payload(rank, destination, index, lengths[index]), CancellationToken.None);
                        }
                    }));
                }
            }

            for (int peer = 0; peer < size; peer++)
            {
                if (peer == rank)
                {
                    continue;
                }

                for (int index = 0; index < lengths.Length; index++)
                {
                    byte[] buffer = new byte[lengths[index]];
                    ReceivedMessage received = await self.ReceiveAsync(peer, Tags.For(peer, rank, index), buffer, CancellationToken.None);
                    Assert.That(received, Is.EqualTo(new ReceivedMessage(Tags.For(peer, rank, index), lengths[index], Delivered: true)));
                    Assert.That(buffer, Is.EqualTo(Tags.Payload(peer, rank, index, lengths[index])), $"rank {rank} from {peer} message {index}");
                }
            }

            await Task.WhenAll(sends);
        })));
    }

    [Test]
    public async Task ASingleRankJobNeedsNoPeers()
    {
        await using TcpJob job = await TcpJob.StartAsync(1);
        Assert.That(job[0].Size, Is.EqualTo(1));
        Assert.That(job[0].Name, Is.EqualTo("tcp"));
    }
}
