using Collectives.Selection;
using Collectives.Tests.Support;

namespace Collectives.Tests.Selection;

/// <summary>
/// End to end: the algorithm a call really runs, observed through the <c>algorithm</c> tag of
/// <c>collectives.operations</c>, follows <see cref="CommunicatorOptions.Algorithms"/> where the
/// built-in table would choose otherwise, and a per-call forced algorithm beats both.
/// </summary>
public class AlgorithmChoiceTests
{
    private const string Precondition =
        "Precondition: the built-in table must choose another algorithm for this call than the override does; "
        + "if DefaultSelection changed, pick a size where it still differs.";

    [Test]
    public void An_Algorithms_override_changes_the_Allreduce_algorithm_for_the_sizes_it_covers()
    {
        const int count = 4096; // 16 KiB of floats: the built-in table picks Rabenseifner.
        Assert.That(new AlgorithmSelector([]).SelectValue(CollectiveKind.Allreduce, count * sizeof(float), 2), Is.EqualTo((byte)AllreduceAlgorithm.Rabenseifner), Precondition);
        using var recorder = new MeasurementRecorder();
        float[][] results = new float[2][];

        LocalJob.Run(2, new CommunicatorOptions { Algorithms = "allreduce:16k-inf:recursive_doubling" }, communicator =>
        {
            float[] buffer = Enumerable.Repeat((float)(communicator.Rank + 1), count).ToArray();
            communicator.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            results[communicator.Rank] = buffer;
        });

        Assert.That(AlgorithmsRun(recorder), Is.EqualTo(new[] { "recursive_doubling", "recursive_doubling" }));
        Assert.That(results, Has.All.All.EqualTo(3f));
    }

    [Test]
    public void An_Algorithms_override_changes_the_Reduce_algorithm_for_the_sizes_it_covers()
    {
        const int count = 16 * 1024; // 64 KiB of ints: the built-in table picks Rabenseifner.
        Assert.That(new AlgorithmSelector([]).SelectValue(CollectiveKind.Reduce, count * sizeof(int), 3), Is.EqualTo((byte)ReduceAlgorithm.Rabenseifner), Precondition);
        using var recorder = new MeasurementRecorder();
        int[] atRoot = [];

        LocalJob.Run(3, new CommunicatorOptions { Algorithms = "reduce:*:binomial" }, communicator =>
        {
            int[] buffer = Enumerable.Repeat(communicator.Rank + 1, count).ToArray();
            communicator.Reduce(buffer.AsSpan(), ReduceOp.Sum, root: 0);
            if (communicator.Rank == 0)
            {
                atRoot = buffer;
            }
        });

        Assert.That(AlgorithmsRun(recorder), Is.EqualTo(new[] { "binomial", "binomial", "binomial" }));
        Assert.That(atRoot, Has.Length.EqualTo(count).And.All.EqualTo(6));
    }

    [Test]
    public void An_Algorithms_override_changes_the_Broadcast_algorithm_for_the_rank_counts_it_covers()
    {
        const int count = 32 * 1024; // 128 KiB of ints on 3 ranks: the built-in table picks scatter-allgather.
        Assert.That(new AlgorithmSelector([]).SelectValue(CollectiveKind.Broadcast, count * sizeof(int), 3), Is.EqualTo((byte)BroadcastAlgorithm.ScatterAllgather), Precondition);
        using var recorder = new MeasurementRecorder();
        int[][] results = new int[3][];

        LocalJob.Run(3, new CommunicatorOptions { Algorithms = "broadcast:*:p=3:binomial" }, communicator =>
        {
            int[] buffer = communicator.Rank == 1 ? Enumerable.Range(0, count).ToArray() : new int[count];
            communicator.Broadcast(buffer.AsSpan(), root: 1);
            results[communicator.Rank] = buffer;
        });

        Assert.That(AlgorithmsRun(recorder), Is.EqualTo(new[] { "binomial", "binomial", "binomial" }));
        Assert.That(results, Has.All.EqualTo(Enumerable.Range(0, count)));
    }

    [Test]
    public void An_algorithm_forced_in_the_call_beats_the_Algorithms_option()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, new CommunicatorOptions { Algorithms = "allreduce:*:ring" }, communicator =>
            communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling));

        Assert.That(AlgorithmsRun(recorder), Is.EqualTo(new[] { "recursive_doubling", "recursive_doubling" }));
    }

    private static string?[] AlgorithmsRun(MeasurementRecorder recorder)
        => recorder.Of("collectives.operations").Select(measurement => measurement.Tag("algorithm")).ToArray();
}
