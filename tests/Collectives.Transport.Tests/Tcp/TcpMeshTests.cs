using System.Text;
using Collectives.Transport.Security;
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
        int[] lengths = [0, 1, 8, 1000, 70_000, 0, 5, 300_000, 3];
        await Task.WhenAll(Enumerable.Range(0, size).Select(rank => Task.Run(async () =>
        {
            TcpTransport self = job[rank];
            Task[] sends = [.. Enumerable.Range(0, size).Where(peer => peer != rank).Select(peer => Task.Run(async () =>
            {
                for (int index = 0; index < lengths.Length; index++)
                {
                    await self.SendAsync(peer, Tags.For(rank, peer, index), Tags.Payload(rank, peer, index, lengths[index]), CancellationToken.None);
                }
            }))];

            foreach (int peer in Enumerable.Range(0, size).Where(peer => peer != rank))
            {
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

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(TcpOutbound.CoalesceLimit)]
    [TestCase(TcpOutbound.CoalesceLimit + 1)]
    [TestCase(4 * 1024 * 1024)]
    [TestCase((16 * 1024 * 1024) + 3)]
    public async Task PayloadsOfAnySizeArriveIntact(int length)
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        byte[] payload = Tags.Payload(0, 1, length, length);
        byte[] buffer = new byte[length];
        ValueTask<ReceivedMessage> receive = job[1].ReceiveAsync(0, Tags.For(0, 1, 7), buffer, CancellationToken.None);
        await job[0].SendAsync(1, Tags.For(0, 1, 7), payload, CancellationToken.None);
        ReceivedMessage received = await receive;
        Assert.That(received.Delivered, Is.True);
        Assert.That(buffer.AsSpan().SequenceEqual(payload), Is.True, "payload bytes differ");
    }

    [Test]
    public async Task AMessageLargerThanThePauseThresholdThatArrivesBeforeItsReceiveIsIntact()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions { PauseThreshold = 64 * 1024, ResumeThreshold = 32 * 1024 });
        byte[] payload = Tags.Payload(0, 1, 1, 3 * 1024 * 1024);
        ValueTask send = job[0].SendAsync(1, Tags.For(0, 1, 1), payload, CancellationToken.None);
        await Task.Delay(200);
        byte[] buffer = new byte[payload.Length];
        ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None);
        await send;
        Assert.That(received.Delivered, Is.True);
        Assert.That(buffer.AsSpan().SequenceEqual(payload), Is.True, "payload bytes differ");
    }

    [Test]
    public async Task UnreceivedMessagesAreBufferedOnlyUpToThePauseThresholdThenTheSenderWaits()
    {
        const int pause = 256 * 1024;
        const int messageLength = 1024 * 1024;
        const int messages = 48;
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions { PauseThreshold = pause, ResumeThreshold = pause / 2 });
        Task sending = Task.Run(async () =>
        {
            for (int index = 0; index < messages; index++)
            {
                await job[0].SendAsync(1, Tags.For(0, 1, index), Tags.Payload(0, 1, index, messageLength), CancellationToken.None);
            }
        });

        // 48 MiB cannot fit in the kernel's socket buffers plus 256 KiB of ours: the sender must wait.
        await Task.Delay(500);
        Assert.That(sending.IsCompleted, Is.False, "all sends completed although nobody received");
        Assert.That(job[1].BufferedBytesFrom(0), Is.LessThanOrEqualTo(pause + (64 * 1024)));

        byte[] buffer = new byte[messageLength];
        for (int index = 0; index < messages; index++)
        {
            ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, index), buffer, CancellationToken.None);
            Assert.That(received.Delivered, Is.True, $"message {index}");
            Assert.That(buffer.AsSpan().SequenceEqual(Tags.Payload(0, 1, index, messageLength)), Is.True, $"message {index} differs");
        }

        await sending;
    }

    [TestCase(8)]
    [TestCase(64 * 1024)]
    [TestCase(4 * 1024 * 1024)]
    public async Task PartnersSendAndReceiveAtOnceWithoutDeadlock(int length)
    {
        // As MPI_Sendrecv (and CollectiveContext.SendReceiveAsync): each side starts its send, then
        // receives, then awaits the send; a small pause threshold forces the backpressure paths.
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions { PauseThreshold = 64 * 1024, ResumeThreshold = 16 * 1024 });
        await Task.WhenAll(Enumerable.Range(0, 2).Select(rank => Task.Run(async () =>
        {
            int peer = 1 - rank;
            byte[] buffer = new byte[length];
            for (int round = 0; round < 20; round++)
            {
                ValueTask send = job[rank].SendAsync(peer, Tags.For(rank, peer, round), Tags.Payload(rank, peer, round, length), CancellationToken.None);
                ReceivedMessage received = await job[rank].ReceiveAsync(peer, Tags.For(peer, rank, round), buffer, CancellationToken.None);
                await send;
                Assert.That(received.Delivered, Is.True);
                Assert.That(buffer.AsSpan().SequenceEqual(Tags.Payload(peer, rank, round, length)), Is.True, $"rank {rank} round {round}");
            }
        })));
    }

    [Test]
    public async Task MixedSizesArriveIntactWhetherReceivesPollOrPark()
    {
        // Rank 0 never polls (every waiting receive parks on the background reader), rank 1 polls,
        // rank 2 polls briefly; a small pause threshold makes backpressure and streaming common.
        TimeSpan[] budgets = [TimeSpan.Zero, TimeSpan.FromMicroseconds(50), TimeSpan.FromMicroseconds(5)];
        await using TcpJob job = await TcpJob.StartAsync(3, rank => new TcpTransportOptions
        {
            ReceiveSpinBudget = budgets[rank],
            PauseThreshold = 64 * 1024,
            ResumeThreshold = 16 * 1024,
        });
        const int messages = 60;
        int Length(int source, int destination, int index) => new Random((source * 7) + (destination * 131) + (index * 1009)).Next(0, 4) switch
        {
            0 => 0,
            1 => new Random(index).Next(1, 100),
            2 => new Random(index).Next(1000, 20_000),
            _ => new Random(index).Next(60_000, 300_000),
        };

        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(rank => Enumerable.Range(0, 3).Where(peer => peer != rank).SelectMany(peer => new[]
        {
            Task.Run(async () =>
            {
                var random = new Random(rank + (10 * peer));
                for (int index = 0; index < messages; index++)
                {
                    if (random.Next(8) == 0)
                    {
                        await Task.Delay(1);
                    }

                    await job[rank].SendAsync(peer, Tags.For(rank, peer, index), Tags.Payload(rank, peer, index, Length(rank, peer, index)), CancellationToken.None);
                }
            }),
            Task.Run(async () =>
            {
                var random = new Random(100 + rank + (10 * peer));
                for (int index = 0; index < messages; index++)
                {
                    if (random.Next(8) == 0)
                    {
                        await Task.Delay(1);
                    }

                    byte[] buffer = new byte[Length(peer, rank, index)];
                    ReceivedMessage received = await job[rank].ReceiveAsync(peer, Tags.For(peer, rank, index), buffer, CancellationToken.None);
                    Assert.That(received.Delivered, Is.True, $"rank {rank} from {peer} message {index}");
                    Assert.That(buffer.AsSpan().SequenceEqual(Tags.Payload(peer, rank, index, buffer.Length)), Is.True, $"rank {rank} from {peer} message {index} differs");
                }
            }),
        })));
    }

    [Test]
    public async Task EachRankPublishesItsListeningAddress()
    {
        await using TcpJob job = await TcpJob.StartAsync(3);
        foreach (TcpTransport rank in job.Ranks)
        {
            string published = Encoding.UTF8.GetString(await job.Store.GetAsync($"tcp/{rank.Rank}", CancellationToken.None));
            Assert.That(published, Is.EqualTo($"127.0.0.1:{rank.LocalEndPoint.Port}"));
        }
    }

    [Test]
    public async Task ARankCanListenOnANamedInterface()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions { BindInterface = "lo" });
        Assert.That(job[0].LocalEndPoint.Address, Is.EqualTo(System.Net.IPAddress.Loopback));
        byte[] buffer = new byte[1];
        ValueTask<ReceivedMessage> receive = job[1].ReceiveAsync(0, default, buffer, CancellationToken.None);
        await job[0].SendAsync(1, default, new byte[] { 1 }, CancellationToken.None);
        Assert.That((await receive).Delivered, Is.True);
    }

    [Test]
    public void AnUnknownInterfaceIsReportedWithTheNamesThatExist()
    {
        var options = new TcpTransportOptions { BindInterface = "no-such-nic" };
        Assert.That(
            () => TcpTransport.ConnectAsync(0, 1, JobCredentials.Generate("x"), new InMemoryRendezvousStore(), options),
            Throws.ArgumentException.With.Message.Contains("no-such-nic").And.Message.Contains("lo"));
    }

    [Test]
    public async Task ASingleRankJobNeedsNoPeers()
    {
        await using TcpJob job = await TcpJob.StartAsync(1);
        Assert.That(job[0].Size, Is.EqualTo(1));
        Assert.That(job[0].Name, Is.EqualTo("tcp"));
    }

    [Test]
    public async Task ARankThatNeverJoinsIsReportedByNameAfterTheConnectTimeout()
    {
        var options = new TcpTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) };
        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() =>
            TcpTransport.ConnectAsync(0, 2, JobCredentials.Generate("lonely"), new InMemoryRendezvousStore(), options));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Message, Does.Contain("did not join"));
    }

    [Test]
    public async Task ARankThatReachesTheWrongRankAtAPublishedAddressRefusesToStart()
    {
        // Rank 1's published address is really rank 0's (a stale entry): rank 2 must notice.
        var credentials = JobCredentials.Generate("stale");
        var store = new InMemoryRendezvousStore();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Task<TcpTransport> rank0 = TcpTransport.ConnectAsync(0, 3, credentials, store, TcpJob.Options(), cancel.Token);
        byte[] address0 = await store.GetAsync("tcp/0", cancel.Token);
        await store.SetAsync("tcp/1", address0, cancel.Token);
        ProtocolException failure = await Expect.Throws<ProtocolException>(() => TcpTransport.ConnectAsync(2, 3, credentials, store, TcpJob.Options(), cancel.Token));
        Assert.That(failure.Message, Does.Contain("Reached rank 0 where rank 1 was expected"));
        await cancel.CancelAsync();
        Assert.That(async () => await rank0, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void InconsistentOptionsAreRejectedBeforeAnythingStarts()
    {
        var options = new TcpTransportOptions { PauseThreshold = 1024, ResumeThreshold = 4096 };
        Assert.That(() => TcpTransport.ConnectAsync(0, 1, JobCredentials.Generate("x"), new InMemoryRendezvousStore(), options), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ANegativeOversubscribedSpinBudgetIsRejected()
    {
        var options = new TcpTransportOptions { OversubscribedReceiveSpinBudget = TimeSpan.FromTicks(-1) };
        Assert.That(() => TcpTransport.ConnectAsync(0, 1, JobCredentials.Generate("x"), new InMemoryRendezvousStore(), options), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task RanksConnectedOverLoopbackCountAsLocalAndDecideOversubscription()
    {
        await using TcpJob job = await TcpJob.StartAsync(3);
        for (int rank = 0; rank < 3; rank++)
        {
            Assert.That(job[rank].LocalRanks, Is.EqualTo(3), $"rank {rank}");
            Assert.That(job[rank].IsOversubscribed, Is.EqualTo(3 > Environment.ProcessorCount), $"rank {rank}");
        }
    }

    [Test]
    public async Task RanksTheBootstrapCountedOnThisMachineDecideOversubscriptionThoughTheyMeetOverOtherAddresses()
    {
        // Network namespaces or containers of one machine reach each other over their own
        // addresses; the bootstrap counts them by boot id and passes the count in the options.
        int machineRanks = Environment.ProcessorCount + 1;
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions().ForMachine(machineRanks));
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.That(job[rank].LocalRanks, Is.EqualTo(machineRanks), $"rank {rank}");
            Assert.That(job[rank].IsOversubscribed, Is.True, $"rank {rank}");
        }
    }

    [Test]
    public void AnOversubscribedHostPollsWithTheOversubscribedBudget()
    {
        var options = new TcpTransportOptions
        {
            ReceiveSpinBudget = TimeSpan.FromMicroseconds(50),
            OversubscribedReceiveSpinBudget = TimeSpan.FromMilliseconds(2),
        };
        long Ticks(TimeSpan budget) => (long)(budget.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

        var fits = new TcpRankState(0, 4, options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        fits.SetLocalRanks(4, 4);
        Assert.That(fits.IsOversubscribed, Is.False);
        Assert.That(fits.SpinBudgetTicks, Is.EqualTo(Ticks(options.ReceiveSpinBudget)));

        var crowded = new TcpRankState(0, 4, options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        crowded.SetLocalRanks(4, 2);
        Assert.That(crowded.IsOversubscribed, Is.True);
        Assert.That(crowded.SpinBudgetTicks, Is.EqualTo(Ticks(options.OversubscribedReceiveSpinBudget)));
    }

    [Test]
    public async Task APayloadAboveTheMaximumFramePayloadIsRejectedAtTheSender()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions { MaxFramePayload = 1024 });
        Assert.That(async () => await job[0].SendAsync(1, default, new byte[1025], CancellationToken.None), Throws.ArgumentException);
    }
}
