using System.CommandLine;
using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class CompareCommandTests
{
    private static CompareSettings Read(params string[] arguments)
    {
        Command command = CompareCommand.Create();
        return CompareCommand.ReadSettings(command.Parse([.. arguments, "--peer-script", "/bin/true"]));
    }

    [Test]
    public void Every_collective_transport_and_rank_count_becomes_a_case()
        => Assert.That(
            Read("--ranks", "2,4", "--transports", "shm,tcp", "--collectives", "allreduce").Cases,
            Is.EqualTo(new[]
            {
                new ComparisonCase(2, "shm", "allreduce"), new ComparisonCase(4, "shm", "allreduce"),
                new ComparisonCase(2, "tcp", "allreduce"), new ComparisonCase(4, "tcp", "allreduce"),
            }));

    [Test]
    public void An_unknown_transport_is_rejected_by_name()
        => Assert.That(() => Read("--transports", "rdma"), Throws.TypeOf<FormatException>().With.Message.Contains("'rdma'"));

    [Test]
    public void A_single_rank_is_not_a_comparison()
        => Assert.That(() => Read("--ranks", "1"), Throws.TypeOf<FormatException>().With.Message.Contains("'1'"));

    [Test]
    public void A_size_range_is_rejected_because_the_peer_program_takes_lists()
        => Assert.That(() => Read("--sizes", "8:1M"), Throws.TypeOf<FormatException>().With.Message.Contains("comma list"));

    [Test]
    public void On_one_host_open_mpi_is_the_only_peer_by_default()
        => Assert.That(Read().Sides.Select(s => s.Name), Is.EqualTo(new[] { "ours", "openmpi" }));

    [Test]
    public void The_peers_named_are_measured_beside_ours_in_a_fixed_order()
        => Assert.That(Read("--peers", "gloo,openmpi").Sides.Select(s => s.Name), Is.EqualTo(new[] { "ours", "openmpi", "gloo" }));

    [Test]
    public void An_unknown_peer_is_rejected_by_name()
        => Assert.That(() => Read("--peers", "mpich"), Throws.TypeOf<FormatException>().With.Message.Contains("'mpich'"));

    [Test]
    public void Gloo_alone_over_shared_memory_measures_nothing_and_is_rejected()
        => Assert.That(() => Read("--peers", "gloo", "--transports", "shm"), Throws.TypeOf<FormatException>().With.Message.Contains("tcp only"));

    [Test]
    public void Peers_do_not_apply_across_hosts()
        => Assert.That(() => Read("--hosts", "2", "--peers", "gloo"), Throws.TypeOf<FormatException>().With.Message.Contains("--peers does not apply with --hosts"));

    [Test]
    public void Five_rounds_by_default()
        => Assert.That(Read().Rounds, Is.EqualTo(5));

    [Test]
    public void Across_hosts_each_collective_is_one_case_of_the_whole_job_measured_in_every_configuration()
    {
        CompareSettings settings = Read("--hosts", "4", "--ranks-per-host", "2", "--collectives", "allreduce,barrier");

        Assert.That(settings.Cases, Is.EqualTo(new[]
        {
            new ComparisonCase(8, ComparisonCase.AcrossHosts, "allreduce", 4), new ComparisonCase(8, ComparisonCase.AcrossHosts, "barrier", 4),
        }));
        Assert.That(settings.Sides.Select(s => s.Name), Is.EqualTo(new[] { "auto", "tcp", "ompi", "han" }));
        Assert.That(settings.Cluster, Is.EqualTo(new ComparisonCluster(4, ComparisonCluster.DefaultName, null, "/tools/cluster")));
    }

    [Test]
    public void Across_hosts_two_ranks_per_host_is_the_default_and_a_rate_and_name_are_kept()
    {
        CompareSettings settings = Read("--hosts", "2", "--rate", "10gbit", "--cluster-name", "hb1");

        Assert.That(settings.Cases.Single().Ranks, Is.EqualTo(4));
        Assert.That(settings.Cluster, Is.EqualTo(new ComparisonCluster(2, "hb1", "10gbit", "/tools/cluster")));
    }

    [Test]
    public void The_configurations_named_are_measured_in_the_report_s_order()
        => Assert.That(Read("--hosts", "2", "--configs", "ompi,auto").Sides.Select(s => s.Name), Is.EqualTo(new[] { "auto", "ompi" }));

    [TestCase("1")]
    [TestCase("0")]
    [TestCase("65")]
    public void A_host_count_outside_2_to_64_is_rejected(string hosts)
        => Assert.That(() => Read("--hosts", hosts), Throws.TypeOf<FormatException>().With.Message.Contains("--hosts must be from 2 to 64"));

    [TestCase("--ranks-per-host", "2")]
    [TestCase("--rate", "10gbit")]
    [TestCase("--cluster-name", "hb")]
    [TestCase("--configs", "auto")]
    public void A_host_option_without_hosts_is_rejected(string option, string value)
        => Assert.That(() => Read(option, value), Throws.TypeOf<FormatException>().With.Message.EqualTo($"{option} needs --hosts."));

    [TestCase("--ranks", "2")]
    [TestCase("--transports", "shm")]
    public void A_one_host_option_with_hosts_is_rejected(string option, string value)
        => Assert.That(() => Read("--hosts", "2", option, value), Throws.TypeOf<FormatException>().With.Message.Contains($"{option} does not apply with --hosts"));

    [TestCase("--ranks-per-host", "0", "at least 1")]
    [TestCase("--rate", "fast", "'fast'")]
    [TestCase("--rate", "10gb", "'10gb'")]
    [TestCase("--cluster-name", "Cluster", "'Cluster'")]
    [TestCase("--cluster-name", "toolong", "'toolong'")]
    [TestCase("--configs", "auto,mpich", "'mpich'")]
    public void A_bad_host_option_value_is_rejected_by_name(string option, string value, string message)
        => Assert.That(() => Read("--hosts", "2", option, value), Throws.TypeOf<FormatException>().With.Message.Contains(option).And.Message.Contains(message));
}
