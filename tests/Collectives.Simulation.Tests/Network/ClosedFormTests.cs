using Collectives.Simulation.Network;
using Collectives.Transport;
using static Collectives.Simulation.Tests.ModelOptions;

namespace Collectives.Simulation.Tests.Network;

/// <summary>On a quiet crossbar the simulated times equal the model's formulas to the nanosecond.</summary>
public sealed class ClosedFormTests
{
    private static readonly MessageTag Tag = new(1, 2, 3, 4);

    [TestCase(0)]
    [TestCase(8)]
    [TestCase(1000)]
    public void PingPongTakesTwiceSendWireAndReceive(int bytes)
    {
        using var cluster = new SimulatedCluster(2, Crossbar());

        SimulationRun run = cluster.Run(rank => PingPongAsync(cluster, rank, bytes));

        Assert.That(run.CompletionNs, Is.EqualTo(2 * (Send(bytes) + Wire(bytes) + Receive(bytes))));
    }

    [Test]
    public void PingPongAcrossAFatTreeCrossesFourLinksAndThreeSwitches()
    {
        SimulationOptions crossbar = Crossbar();
        var options = crossbar with { Network = crossbar.Network with { Topology = NetworkTopology.FatTree, FatTreeArity = 4 } };
        using var cluster = new SimulatedCluster(16, options);
        const int bytes = 24;

        // Ranks 0 and 15 share only the top of a 4-ary 2-tree.
        SimulationRun run = cluster.Run(rank => rank switch
        {
            0 => PingPongAsync(cluster, 0, bytes, peer: 15),
            15 => PingPongAsync(cluster, 1, bytes, peer: 0, self: 15),
            _ => ValueTask.CompletedTask,
        });

        long wire = NicSend + (4 * LinkLatency) + (3 * SwitchDelay) + (bytes + Header) + NicReceive;
        Assert.That(run.CompletionNs, Is.EqualTo(2 * (Send(bytes) + wire + Receive(bytes))));
    }

    [Test]
    public void TwoMessagesIntoOneNodeQueueOnItsLink()
    {
        using var cluster = new SimulatedCluster(3, Crossbar());
        const int bytes = 1000;
        var payload = new byte[bytes];
        var buffer = new byte[bytes];
        long secondArrived = 0;

        cluster.Run(async rank =>
        {
            ITransport transport = cluster.Transport(rank);
            if (rank == 0)
            {
                await transport.ReceiveAsync(1, Tag, buffer, CancellationToken.None);
                await transport.ReceiveAsync(2, Tag, buffer, CancellationToken.None);
                secondArrived = cluster.Cpu(0).BusyUntil;
            }
            else
            {
                await transport.SendAsync(0, Tag, payload, CancellationToken.None);
            }
        });

        // Both arrive on rank 0's one link at once; the second waits for the first's serialization.
        // By then rank 0's CPU is busy receiving the first, so the second is received after it.
        long first = Send(bytes) + Wire(bytes) + Receive(bytes);
        long secondAvailable = Send(bytes) + Wire(bytes) + bytes + Header;
        Assert.That(secondArrived, Is.EqualTo(Math.Max(first, secondAvailable) + Receive(bytes)));
    }

    [Test]
    public void BinomialBroadcastOfEightRanksTakesThreeHops()
    {
        using var cluster = new SimulatedCluster(8, Crossbar());
        double[][] data = [.. Enumerable.Range(0, 8).Select(rank => new double[] { rank, -rank })];

        SimulationRun run = cluster.Run(rank => cluster.Communicators[rank].BroadcastAsync(data[rank].AsMemory(), 0, BroadcastAlgorithm.BinomialTree));

        // Tree of 8 rooted at 0: 0 -> 4, 2, 1; 4 -> 6, 5; 6 -> 7. Rank 7 is reached last, after three
        // first-in-line sends, each posted, carried and received: 3 (s + w + r).
        Assert.That(run.CompletionNs, Is.EqualTo(3 * (Send(16) + Wire(16) + Receive(16))));
    }

    [Test]
    public void BinomialReduceOfEightRanksTakesThreeHopsWithArithmetic()
    {
        using var cluster = new SimulatedCluster(8, Crossbar());
        double[][] data = [.. Enumerable.Range(0, 8).Select(rank => new double[] { rank, -rank })];
        var result = new double[2];

        SimulationRun run = cluster.Run(rank => cluster.Communicators[rank].ReduceAsync<double>(data[rank], rank == 0 ? result : new double[2], ReduceOp.Sum, 0, ReduceAlgorithm.BinomialTree));

        // The root receives from 1, then 2, then 4; 4's partial result is ready last, after three
        // levels of send, wire, receive and combine: 3 (s + w + r + c).
        Assert.That(run.CompletionNs, Is.EqualTo(3 * (Send(16) + Wire(16) + Receive(16) + Combine(2))));
    }

    private static async ValueTask PingPongAsync(SimulatedCluster cluster, int role, int bytes, int peer = -1, int self = -1)
    {
        self = self < 0 ? role : self;
        peer = peer < 0 ? 1 - role : peer;
        ITransport transport = cluster.Transport(self);
        var payload = new byte[bytes];
        var buffer = new byte[bytes];
        if (role == 0)
        {
            await transport.SendAsync(peer, Tag, payload, CancellationToken.None);
            await transport.ReceiveAsync(peer, Tag, buffer, CancellationToken.None);
        }
        else
        {
            await transport.ReceiveAsync(peer, Tag, buffer, CancellationToken.None);
            await transport.SendAsync(peer, Tag, payload, CancellationToken.None);
        }
    }
}
