using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>A child runs message algorithms only: a shared-memory window algorithm forced on it is refused, saying why.</summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class ChildAlgorithmTests
{
    [Test]
    public void A_window_algorithm_forced_on_a_child_of_a_shared_memory_job_is_not_supported()
    {
        var refusals = new Exception?[2];
        LocalJob.Run(2, options: null, parent =>
        {
            using Communicator child = parent.Duplicate();
            refusals[parent.Rank] = Assert.Catch(() => child.Allreduce(new float[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat));
        }, TestTransport.SharedMemory);

        Assert.That(refusals, Has.All.InstanceOf<NotSupportedException>().With.Message.Contains("sub-communicator"));
    }
}
