using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Collectives.Bootstrap;
using Collectives.Offload.Engine;
using Collectives.Tests.Shared.Network;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// What <c>collrun --transport nic</c> asks for: COLLECTIVES_TRANSPORT=nic, and no offload
/// configured in code. The NIC moves its packets over what <c>auto</c> picks: shared memory for
/// ranks on one host, as here.
/// </summary>
[CancelAfter(60_000)]
public sealed class NicTransportLaunchTests
{
    [Test]
    public async Task Connecting_with_the_nic_transport_puts_the_nic_over_the_automatic_transport_and_runs_collectives_on_it()
    {
        const int size = 2;
        string port = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        LaunchInfo[] ranks = [.. Enumerable.Range(0, size).Select(rank => LaunchEnvironment.Detect(name => name switch
        {
            "RANK" => rank.ToString(CultureInfo.InvariantCulture),
            "WORLD_SIZE" => "2",
            "MASTER_ADDR" => "127.0.0.1",
            "MASTER_PORT" => port,
            "TORCHELASTIC_RUN_ID" => "nic-transport-test",
            "COLLECTIVES_TRANSPORT" => "nic",
            _ => null,
        }))];

        Communicator[] communicators = await Task.WhenAll(ranks.Select(launch => Communicator.ConnectAsync(launch)));
        try
        {
            long[][] buffers = [[1, 2], [10, 20]];
            await Task.WhenAll(communicators.Select(c => c.AllreduceAsync(buffers[c.Rank].AsMemory(), ReduceOp.Sum).AsTask()));

            Assert.That(communicators.Select(c => (c.TransportName, c.OffloadEngine?.GetType())), Has.All.EqualTo(("nic (over shm)", typeof(NicEngine))));
            Assert.That(buffers, Has.All.EqualTo(new long[] { 11, 22 }));
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                await communicator.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_name_that_is_neither_a_transport_nor_an_engine_of_Collectives_Offload_is_refused_with_both_lists()
    {
        LaunchInfo launch = new(LauncherKind.Collrun, Rank: 0, Size: 2, LocalRank: 0, "127.0.0.1", TestPorts.Free(), HostsRendezvous: false, "nic-transport-test", Secret: null, "rdma");

        NotSupportedException? error = await Assert.ThrowsAsync<NotSupportedException>(() => Communicator.ConnectAsync(launch));

        Assert.That(error!.Message, Is.EqualTo("COLLECTIVES_TRANSPORT=rdma is not a transport: use auto, shm or tcp, or an offload engine of Collectives.Offload (nic)."));
    }
}
