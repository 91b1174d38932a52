using Collectives.Bootstrap;

namespace Collectives.Tests.Bootstrap;

/// <summary>Slurm's compressed node lists expand as Slurm's own scontrol show hostnames does.</summary>
public class SlurmNodeListTests
{
    [TestCase("node07", new[] { "node07" })]
    [TestCase("node[01-04,07]", new[] { "node01", "node02", "node03", "node04", "node07" })]
    [TestCase("a[8-11],b1", new[] { "a8", "a9", "a10", "a11", "b1" })]
    [TestCase("rack[1-2]-n[1-2]", new[] { "rack1-n1", "rack1-n2", "rack2-n1", "rack2-n2" })]
    public void A_list_expands_to_its_hosts_in_order(string list, string[] hosts)
        => Assert.That(SlurmNodeList.Expand(list), Is.EqualTo(hosts));

    [Test]
    public void A_suffix_after_the_bracket_stays_on_every_host()
        => Assert.That(SlurmNodeList.Expand("gpu[009-011].cluster"), Is.EqualTo(new[] { "gpu009.cluster", "gpu010.cluster", "gpu011.cluster" }));

    [Test]
    public void The_first_host_of_a_huge_list_is_found_without_expanding_it()
        => Assert.That(SlurmNodeList.First("n[000000-999999999]"), Is.EqualTo("n000000"));

    [TestCase("node[01-04")]
    [TestCase("node01]")]
    [TestCase("node[04-01]")]
    [TestCase("node[a-b]")]
    [TestCase("")]
    public void A_malformed_list_is_a_format_error(string list)
        => Assert.That(() => SlurmNodeList.First(list), Throws.TypeOf<FormatException>());
}
