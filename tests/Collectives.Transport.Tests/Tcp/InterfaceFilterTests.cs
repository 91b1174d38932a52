using System.Net;
using Collectives.Transport.Tcp;
using Candidate = Collectives.Transport.Tcp.InterfaceFilter.Candidate;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>COLLECTIVES_SOCKET_IFNAME picks the interface a rank listens on and advertises, in NCCL_SOCKET_IFNAME's syntax.</summary>
public class InterfaceFilterTests
{
    private const string Variable = "COLLECTIVES_SOCKET_IFNAME";

    private static readonly Candidate[] Host =
    [
        new("lo", true, [IPAddress.Loopback, IPAddress.IPv6Loopback]),
        new("docker0", true, [IPAddress.Parse("172.17.0.1")]),
        new("veth12ab", true, [IPAddress.Parse("fe80::1")]),
        new("eth0", true, [IPAddress.Parse("fe80::2"), IPAddress.Parse("10.0.0.5")]),
        new("eth10", true, [IPAddress.Parse("10.1.0.5")]),
        new("ib0", false, [IPAddress.Parse("10.2.0.5")]),
    ];

    [TestCase("eth", "10.0.0.5")]
    [TestCase("=eth10", "10.1.0.5")]
    [TestCase("^docker,lo,veth", "10.0.0.5")]
    [TestCase("ib,eth1", "10.1.0.5")]
    [TestCase(" docker ", "172.17.0.1")]
    public void The_first_interface_that_is_up_and_passes_gives_its_IPv4_address(string filter, string expected)
        => Assert.That(InterfaceFilter.Choose(filter, Variable, Host), Is.EqualTo(IPAddress.Parse(expected)));

    [Test]
    public void An_exact_name_does_not_match_a_longer_one()
        => Assert.That(() => InterfaceFilter.Choose("=eth", Variable, Host), Throws.ArgumentException);

    [Test]
    public void An_interface_with_only_IPv6_gives_its_IPv6_address()
        => Assert.That(InterfaceFilter.Choose("veth", Variable, Host), Is.EqualTo(IPAddress.Parse("fe80::1")));

    [Test]
    public void When_nothing_passes_the_error_names_the_variable_and_lists_the_interfaces()
        => Assert.That(() => InterfaceFilter.Choose("ib", Variable, Host), Throws.ArgumentException.With.Message.StartsWith(
            "No network interface that is up and has an address passes COLLECTIVES_SOCKET_IFNAME='ib'; this machine has: lo, docker0, veth12ab, eth0, eth10, ib0 (down)."));

    [TestCase("")]
    [TestCase("^")]
    [TestCase(" , ")]
    public void A_filter_that_names_nothing_is_refused(string filter)
        => Assert.That(() => InterfaceFilter.Choose(filter, Variable, Host), Throws.ArgumentException.With.Message.Contains("names no interface"));

    [Test]
    public void This_machines_loopback_interface_is_found_by_its_name()
        => Assert.That(InterfaceFilter.Choose("=lo", Variable), Is.EqualTo(IPAddress.Loopback));
}
