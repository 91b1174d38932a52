using Collectives.Tests.Support;

namespace Collectives.Tests.Faults;

/// <summary>
/// An AlltoallV pair whose receive count differs from its sender's send count is a
/// <see cref="CollectiveMismatchException"/> at the receiver naming both counts, in shared-memory
/// windows as over messages (see <see cref="MismatchTests"/>), never a short or overlong block.
/// </summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class AlltoallVCountTests
{
    [Test]
    public void In_shared_memory_windows_a_receive_count_that_differs_from_the_senders_send_count_throws_naming_both_counts()
    {
        var options = new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(5) };

        // Rank 2 sends rank 0 two elements, but rank 0 expects three from it.
        Exception?[] failures = LocalJob.RunCollectingFailures(3, options, communicator =>
        {
            int rank = communicator.Rank;
            int[] sendCounts = rank == 2 ? [2, 1, 1] : [1, 1, 1];
            int[] receiveCounts = rank == 0 ? [1, 1, 3] : [1, 1, 1];
            communicator.AlltoallV<int>(new int[sendCounts.Sum()], sendCounts, new int[receiveCounts.Sum()], receiveCounts, AlltoallAlgorithm.SharedMemory);
        }, TestTransport.SharedMemory);

        Assert.That(failures[0], Is.TypeOf<CollectiveMismatchException>()
            .With.Message.Contains("rank 2 sends this rank 2 elements where this rank's receive count for rank 2 is 3"));
    }
}
