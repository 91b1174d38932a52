using System.Net;
using System.Net.Sockets;
using System.Text;
using Collectives.Bootstrap;
using Collectives.Transport.Rendezvous;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Bootstrap;

/// <summary>
/// What Communicator.ConnectAsync will do under a launcher other than collrun: rank 0 hosts the
/// rendezvous server where LaunchInfo says, every rank connects with the credentials LaunchInfo
/// gives (here derived from the job id), and they find each other.
/// </summary>
[CancelAfter(30_000)]
public class RendezvousHostingTests
{
    [Test]
    public async Task A_master_port_another_process_holds_is_refused_naming_the_port_and_the_variables_that_move_it()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        LaunchInfo rank0 = LaunchEnvironment.Detect(Env.Of(
            ("RANK", "0"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        BootstrapException? error = await Assert.ThrowsAsync<BootstrapException>(() => Communicator.ConnectAsync(rank0));

        Assert.That(error!.Message, Does.StartWith($"Rank 0 cannot host the rendezvous on port {port}: another process holds it"));
        Assert.That(error.Variables, Is.EqualTo(new[] { "MASTER_PORT", "COLLECTIVES_RENDEZVOUS" }));
    }

    [TestCase("127.0.0.1")]
    [TestCase("localhost")]
    public async Task Under_torchrun_variables_rank_zero_hosts_and_every_rank_meets_the_others(string masterAddress)
    {
        const int size = 3;
        string port = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        LaunchInfo[] ranks = [.. Enumerable.Range(0, size).Select(rank => LaunchEnvironment.Detect(Env.Of(
            ("RANK", rank.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("WORLD_SIZE", "3"),
            ("MASTER_ADDR", masterAddress), ("MASTER_PORT", port), ("TORCHELASTIC_RUN_ID", "hosting-test"))))];

        Assert.That(ranks.Select(info => info.HostsRendezvous), Is.EqualTo(new[] { true, false, false }));

        // Ranks 1 and 2 start first and wait for rank 0's server, as they may in a real job.
        Task<string>[] others = [.. ranks.Skip(1).Select(info => ExchangeAsync(info, size))];
        await Task.Delay(300);
        LaunchInfo host = ranks[0];
        await using RendezvousServer server = await RendezvousServer.StartAsync(host.RendezvousBindEndPoint, host.CreateCredentials(), null, CancellationToken.None);
        string rank0 = await ExchangeAsync(host, size);

        string expected = "rank 0 here; rank 1 here; rank 2 here";
        Assert.That(rank0, Is.EqualTo(expected));
        Assert.That(await Task.WhenAll(others), Has.All.EqualTo(expected));
    }

    private static async Task<string> ExchangeAsync(LaunchInfo info, int size)
    {
        await using RendezvousClient client = await RendezvousClient.ConnectAsync(info.RendezvousEndPoint, info.CreateCredentials(), TimeSpan.FromSeconds(10), CancellationToken.None);
        await client.SetAsync($"rank/{info.Rank}", Encoding.UTF8.GetBytes($"rank {info.Rank} here"), CancellationToken.None);
        var heard = new List<string>();
        for (int rank = 0; rank < size; rank++)
        {
            heard.Add(Encoding.UTF8.GetString(await client.GetAsync($"rank/{rank}", CancellationToken.None)));
        }

        return string.Join("; ", heard);
    }
}
