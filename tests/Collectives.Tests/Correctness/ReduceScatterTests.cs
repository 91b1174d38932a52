using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// ReduceScatter beyond the correctness matrix (which forces every algorithm): the selection
/// table's choice, and the fixed combine order that makes each block's bits independent of timing.
/// </summary>
public class ReduceScatterTests
{
    [TestCase(1, 3)]
    [TestCase(5, 3)]
    [TestCase(8, 3)]
    [TestCase(6, 20_000)]
    public void Left_to_the_selection_table_each_rank_receives_its_block_of_the_sum(int ranks, int block)
    {
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => ReductionInputs.For<int>(ReduceOp.Sum, rank, ranks, block * ranks))];
        int[][] received = new int[ranks][];

        LocalJob.Run(ranks, null, communicator =>
        {
            received[communicator.Rank] = new int[block];
            communicator.ReduceScatter<int>(inputs[communicator.Rank], received[communicator.Rank], ReduceOp.Sum);
        });

        int[] sum = Reference.Reduce(ReduceOp.Sum, inputs);
        Assert.That(received, Is.EqualTo(Enumerable.Range(0, ranks).Select(rank => sum[(rank * block)..((rank + 1) * block)])));
    }

    [TestCase(ReduceScatterAlgorithm.Ring)]
    [TestCase(ReduceScatterAlgorithm.RecursiveHalving)]
    public void A_receive_buffer_that_is_exactly_this_ranks_block_of_the_send_buffer_works_as_the_in_place_form(ReduceScatterAlgorithm algorithm)
    {
        const int ranks = 5;
        const int block = 11;
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => ReductionInputs.For<int>(ReduceOp.Sum, rank, ranks, block * ranks))];
        int[][] buffers = [.. inputs.Select(input => (int[])input.Clone())];

        LocalJob.Run(ranks, null, communicator =>
        {
            int[] buffer = buffers[communicator.Rank];
            communicator.ReduceScatter<int>(buffer, buffer.AsSpan(communicator.Rank * block, block), ReduceOp.Sum, algorithm);
        });

        int[] sum = Reference.Reduce(ReduceOp.Sum, inputs);
        Assert.That(
            buffers,
            Is.EqualTo(Enumerable.Range(0, ranks).Select(rank => inputs[rank][..(rank * block)].Concat(sum[(rank * block)..((rank + 1) * block)]).Concat(inputs[rank][((rank + 1) * block)..]))));
    }

    [TestCase(ReduceScatterAlgorithm.Ring)]
    [TestCase(ReduceScatterAlgorithm.RecursiveHalving)]
    public void A_float_sum_repeated_gives_every_rank_the_same_bits_each_time(ReduceScatterAlgorithm algorithm)
    {
        // Floating-point addition is not associative: only a combine order fixed by the algorithm,
        // not by which message arrives first, repeats the bits. Seven ranks: the fold runs too.
        const int ranks = 7;
        const int block = 257;
        float[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => Enumerable.Range(0, block * ranks).Select(i => MathF.Sin((rank * 7919) + i) * 1e4f).ToArray())];
        float[][][] runs = new float[5][][];

        for (int run = 0; run < runs.Length; run++)
        {
            float[][] received = runs[run] = new float[ranks][];
            LocalJob.Run(ranks, null, communicator =>
            {
                received[communicator.Rank] = new float[block];
                communicator.ReduceScatter<float>(inputs[communicator.Rank], received[communicator.Rank], ReduceOp.Sum, algorithm);
            });
        }

        int[][][] bits = [.. runs.Select(run => run.Select(block => block.Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray())];
        Assert.That(bits.Skip(1), Has.All.EqualTo(bits[0]));
    }
}
