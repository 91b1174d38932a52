using Collectives.Tests.Support;
using Collectives.Transport;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A failed call on a child breaks every communicator over the job's transport: the streams it
/// shares with its parent may hold messages nobody will take, so the parent refuses to go on
/// rather than read them as its own.
/// </summary>
public class ChildFailureTests
{
    [Test]
    public void After_a_mismatch_on_a_child_the_parents_next_call_fails_on_every_rank([Values(TestTransport.InProcess, TestTransport.Tcp)] TestTransport transport)
    {
        var childFailures = new Exception?[3];
        Exception?[] parentFailures = LocalJob.RunCollectingFailures(3, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(10) }, parent =>
        {
            using Communicator? child = parent.Split(parent.Rank == 2 ? Communicator.NoColor : 0, key: 0);
            if (child is not null)
            {
                childFailures[parent.Rank] = Assert.Catch(() => child.Allreduce(new int[4 + child.Rank].AsSpan(), ReduceOp.Sum));
            }

            parent.Barrier();
        }, transport);

        Assert.Multiple(() =>
        {
            Assert.That(childFailures.Take(2), Has.All.InstanceOf<CollectiveMismatchException>());
            Assert.That(parentFailures, Has.All.InstanceOf<CollectiveException>());
        });
    }
}
