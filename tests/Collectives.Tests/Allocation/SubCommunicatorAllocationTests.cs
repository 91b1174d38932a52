using Collectives.Tests.Support;

namespace Collectives.Tests.Allocation;

/// <summary>
/// Steady-state calls on a sub-communicator allocate nothing either: its view of the transport
/// only renumbers ranks. Each rank splits once (the split allocates the new communicator) and then
/// calls on its child between the parent's barriers that frame each measured window.
/// </summary>
public class SubCommunicatorAllocationTests
{
    public enum ChildOperation
    {
        AllreduceRecursiveDoubling,
        AllreduceRing,
        Broadcast,
        Allgather,
        Barrier,
    }

    [Test]
    public void Blocking_calls_on_a_child_allocate_nothing_on_each_ranks_thread([Values(TestTransport.InProcess, TestTransport.SharedMemory)] TestTransport transport, [Values] ChildOperation operation)
    {
        // Four ranks in two children of two, in reverse order.
        var children = new Communicator?[4];
        try
        {
            PooledSteadyStateAllocationTests.AssertEachRankThreadAllocatesNothing(4, transport, $"{operation} on a child", (parent, buffer) =>
            {
                Call(children[parent.Rank] ??= parent.Split(parent.Rank % 2, -parent.Rank)!, operation, buffer);
            });
        }
        finally
        {
            foreach (Communicator? child in children)
            {
                child?.Dispose();
            }
        }
    }

    private static void Call(Communicator child, ChildOperation operation, float[] buffer)
    {
        switch (operation)
        {
            case ChildOperation.AllreduceRecursiveDoubling:
                child.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
                break;
            case ChildOperation.AllreduceRing:
                child.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring);
                break;

            // As in the job-wide test: the barrier keeps a broadcast's root from running ahead.
            case ChildOperation.Broadcast:
                child.Broadcast(buffer.AsSpan(), root: 0);
                child.Barrier();
                break;
            case ChildOperation.Allgather:
                child.Allgather(buffer.AsSpan());
                break;
            case ChildOperation.Barrier:
                child.Barrier();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}
