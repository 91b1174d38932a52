using System.Runtime.InteropServices;

namespace Collectives.Tests.Faults;

/// <summary>
/// An element type, or an operation on it, that the library does not support throws
/// <see cref="NotSupportedException"/> at the call, synchronously, before anything is sent: every
/// rank makes the bad call, and afterwards the same communicators still compute a correct Allreduce.
/// </summary>
public class UnsupportedCallTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static IEnumerable<TestCaseData> UnsupportedCalls()
    {
        yield return Case("Allreduce of decimal", communicator => communicator.Allreduce(new decimal[4].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce of byte", communicator => communicator.Allreduce(new byte[4].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce of short", communicator => communicator.Allreduce(new short[4].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce of a custom struct", communicator => communicator.Allreduce(new Pair[4].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce of a ValueIndex with a type it does not support", communicator => communicator.Allreduce(new ValueIndex<short>[4].AsSpan(), ReduceOp.MinLoc));
        yield return Case("Allreduce BitwiseAnd on float", communicator => communicator.Allreduce(new float[4].AsSpan(), ReduceOp.BitwiseAnd));
        yield return Case("Allreduce LogicalOr on double", communicator => communicator.Allreduce(new double[4].AsSpan(), ReduceOp.LogicalOr));
        yield return Case("Allreduce MinLoc on int", communicator => communicator.Allreduce(new int[4].AsSpan(), ReduceOp.MinLoc));
        yield return Case("Allreduce Sum on ValueIndex<float>", communicator => communicator.Allreduce(new ValueIndex<float>[4].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce with an undefined ReduceOp", communicator => communicator.Allreduce(new int[4].AsSpan(), (ReduceOp)200));
        yield return Case("Reduce of decimal", communicator => communicator.Reduce(new decimal[4].AsSpan(), ReduceOp.Sum, root: 0));
        yield return Case("Reduce MinLoc on long", communicator => communicator.Reduce(new long[4].AsSpan(), ReduceOp.MinLoc, root: 0));
        yield return Case("Broadcast of a custom struct", communicator => communicator.Broadcast(new Pair[4].AsSpan(), root: 0));
        yield return Case("Broadcast of char", communicator => communicator.Broadcast(new char[4].AsSpan(), root: 0));
        yield return Case("AllreduceAsync of decimal", communicator => _ = communicator.AllreduceAsync(new decimal[4].AsMemory(), ReduceOp.Sum));
        yield return Case("ReduceAsync BitwiseXor on double", communicator => _ = communicator.ReduceAsync(new double[4].AsMemory(), ReduceOp.BitwiseXor, root: 0));
        yield return Case("BroadcastAsync of byte", communicator => _ = communicator.BroadcastAsync(new byte[4].AsMemory(), root: 0));
        yield return Case("ReduceScatter of decimal", communicator => communicator.ReduceScatter(new decimal[12].AsSpan(), ReduceOp.Sum));
        yield return Case("ReduceScatter BitwiseOr on float", communicator => communicator.ReduceScatter(new float[12], new float[4].AsSpan(), ReduceOp.BitwiseOr));
        yield return Case("ReduceScatterAsync MaxLoc on int", communicator => _ = communicator.ReduceScatterAsync(new int[12].AsMemory(), ReduceOp.MaxLoc));
        yield return Case("ReduceScatterV LogicalAnd on double", communicator => communicator.ReduceScatterV(new double[3].AsSpan(), [1, 1, 1], ReduceOp.LogicalAnd));
        yield return Case("Allreduce BitwiseAnd on Half", communicator => communicator.Allreduce(new Half[4].AsSpan(), ReduceOp.BitwiseAnd));
        yield return Case("Allreduce LogicalXor on BFloat16", communicator => communicator.Allreduce(new BFloat16[4].AsSpan(), ReduceOp.LogicalXor));
        yield return Case("Reduce MaxLoc on Half", communicator => communicator.Reduce(new Half[4].AsSpan(), ReduceOp.MaxLoc, root: 0));
        yield return Case("Allreduce MinLoc on ValueIndex<BFloat16>", communicator => communicator.Allreduce(new ValueIndex<BFloat16>[4].AsSpan(), ReduceOp.MinLoc));
    }

    [TestCase(ReduceOp.BitwiseOr)]
    [TestCase(ReduceOp.LogicalAnd)]
    [TestCase(ReduceOp.MinLoc)]
    public void An_operation_Half_lacks_is_refused_naming_the_operation_and_the_type(ReduceOp op)
    {
        using Communicator communicator = Communicator.CreateLocal(1)[0];

        Assert.That(
            () => communicator.Allreduce(new Half[4].AsSpan(), op),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains(op.ToString()).And.Message.Contains("Float16"));
    }

    [TestCaseSource(nameof(UnsupportedCalls))]
    public void An_unsupported_call_throws_NotSupportedException_synchronously_on_every_rank(Action<Communicator> badCall)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => badCall);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<NotSupportedException>());
    }

    [TestCaseSource(nameof(UnsupportedCalls))]
    public void An_unsupported_call_sends_nothing_so_the_next_call_succeeds(Action<Communicator> badCall)
    {
        using var job = new FaultJob(3, Timeout);
        job.Run(rank => badCall);
        int[][] results = new int[3][];

        RankOutcome[] outcomes = job.Run(rank => communicator =>
        {
            results[rank] = [rank + 1, 10 * (rank + 1)];
            communicator.Allreduce(results[rank].AsSpan(), ReduceOp.Sum);
        });

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.Null);
        Assert.That(results, Has.All.EqualTo(new[] { 6, 60 }));
    }

    private static TestCaseData Case(string name, Action<Communicator> call) => new TestCaseData(call).SetArgDisplayNames(name);

    [StructLayout(LayoutKind.Sequential)]
    private struct Pair
    {
        public int A;
        public int B;
    }
}
