using System.Net;
using System.Net.Sockets;
using Collectives.Bootstrap;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Bootstrap;

/// <summary>
/// A rank asked for a transport its program cannot run, as when collrun cannot look inside the
/// program (a native or single-file executable, or a launcher that checks nothing) and passes
/// <c>--transport nic</c> on: <c>ConnectAsync</c> throws before it connects, and since the user's
/// program gets the exception, its message says what to change. This test assembly does not
/// reference Collectives.Offload, like such a program.
/// </summary>
[CancelAfter(60_000)]
public class UnavailableTransportTests
{
    [Test]
    public async Task Nic_without_Collectives_Offload_says_to_reference_it_or_to_use_another_transport()
    {
        NotSupportedException? error = await Assert.ThrowsAsync<NotSupportedException>(() => Communicator.ConnectAsync(Launch("nic")));

        Assert.That(error!.Message, Does.StartWith("COLLECTIVES_TRANSPORT=nic (collrun --transport nic) runs collectives on the offload NIC of the Collectives.Offload assembly, which this program does not reference.")
            .And.Contain("dotnet add package Collectives.Offload")
            .And.Contain("COLLECTIVES_TRANSPORT=auto, shm or tcp (collrun --transport auto, shm or tcp)"));
    }

    [Test]
    public async Task A_name_that_is_no_transport_is_refused_with_the_transports_there_are()
    {
        NotSupportedException? error = await Assert.ThrowsAsync<NotSupportedException>(() => Communicator.ConnectAsync(Launch("rdma")));

        Assert.That(error!.Message, Is.EqualTo(
            "COLLECTIVES_TRANSPORT=rdma is not a transport: use auto, shm or tcp, or nic in a program that references Collectives.Offload (dotnet add package Collectives.Offload)."));
    }

    /// <summary>Rank 1 of 2, with a rendezvous address nobody listens on: connecting could only time out.</summary>
    private static LaunchInfo Launch(string transport)
        => new(LauncherKind.Collrun, Rank: 1, Size: 2, LocalRank: 1, "127.0.0.1", TestPorts.Free(), HostsRendezvous: false, "unavailable-transport-test", Secret: null, transport);
}
