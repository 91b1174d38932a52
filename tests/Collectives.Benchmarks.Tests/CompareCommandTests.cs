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
}
