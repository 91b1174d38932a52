using Collectives.CollBench;

namespace Collectives.Benchmarks.Tests;

public class OverrideSuggestionTests
{
    private static PointResult Point(string algorithm, long bytes, double maxUs)
        => new("allreduce", "tcp/" + algorithm, algorithm, bytes, Ranks: 4, Iterations: 10, maxUs, maxUs, maxUs);

    private static readonly PointResult[] Sweep =
    [
        Point("auto", 8, 1), Point("recursive_doubling", 8, 10), Point("ring", 8, 20),
        Point("auto", 4096, 1), Point("recursive_doubling", 4096, 30), Point("ring", 4096, 40),
        Point("auto", 65536, 1), Point("recursive_doubling", 65536, 90), Point("ring", 65536, 50),
        Point("auto", 1 << 20, 1), Point("recursive_doubling", 1 << 20, 900), Point("ring", 1 << 20, 500),
    ];

    [Test]
    public void Sizes_with_the_same_fastest_forced_algorithm_share_one_range()
        => Assert.That(
            OverrideSuggestion.For(Sweep, ranks: 4),
            Is.EqualTo("allreduce:0-64k:p=4:recursive_doubling;allreduce:64k-inf:p=4:ring"));

    [Test]
    public void The_suggestion_is_accepted_by_the_library()
    {
        var options = new CommunicatorOptions { Algorithms = OverrideSuggestion.For(Sweep, ranks: 4) };
        Communicator[] ranks = Communicator.CreateLocal(4, options);
        try
        {
            Assert.That(ranks, Has.Length.EqualTo(4));
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                rank.Dispose();
            }
        }
    }

    [Test]
    public void Without_forced_algorithms_there_is_nothing_to_suggest()
        => Assert.That(OverrideSuggestion.For([Point("auto", 8, 1)], ranks: 4), Does.StartWith("(no forced algorithm"));
}
