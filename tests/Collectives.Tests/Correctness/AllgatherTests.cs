using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// Allgather beyond the correctness matrix (which forces every algorithm): the selection table's
/// choice, and a send buffer that overlaps the receive buffer outside this rank's block.
/// </summary>
public class AllgatherTests
{
    [TestCase(1)]
    [TestCase(5)]
    [TestCase(8)]
    public void Left_to_the_selection_table_every_rank_receives_every_block_in_rank_order(int ranks)
    {
        int[][] received = new int[ranks][];

        LocalJob.Run(ranks, null, communicator =>
        {
            received[communicator.Rank] = new int[3 * ranks];
            communicator.Allgather<int>(BlockOf(communicator.Rank), received[communicator.Rank]);
        });

        int[] expected = [.. Enumerable.Range(0, ranks).SelectMany(BlockOf)];
        Assert.That(received, Has.All.EqualTo(expected));
    }

    [Test]
    public void A_send_buffer_overlapping_the_receive_buffer_outside_its_block_is_read_before_anything_is_written()
    {
        // Every rank's send buffer is the first block of its receive buffer; only rank 0's is its own block.
        const int ranks = 4;
        int[][] buffers = new int[ranks][];

        LocalJob.Run(ranks, null, communicator =>
        {
            int[] buffer = buffers[communicator.Rank] = new int[3 * ranks];
            BlockOf(communicator.Rank).CopyTo(buffer, 0);
            communicator.Allgather<int>(buffer.AsSpan(0, 3), buffer, AllgatherAlgorithm.Ring);
        });

        int[] expected = [.. Enumerable.Range(0, ranks).SelectMany(BlockOf)];
        Assert.That(buffers, Has.All.EqualTo(expected));
    }

    [Test]
    public async Task The_async_in_place_form_gathers_around_the_block_this_rank_already_holds()
    {
        const int ranks = 3;
        int[][] buffers = new int[ranks][];

        await LocalJob.RunAsync(ranks, null, async communicator =>
        {
            int[] buffer = buffers[communicator.Rank] = new int[3 * ranks];
            BlockOf(communicator.Rank).CopyTo(buffer, 3 * communicator.Rank);
            await communicator.AllgatherAsync(buffer.AsMemory());
        });

        int[] expected = [.. Enumerable.Range(0, ranks).SelectMany(BlockOf)];
        Assert.That(buffers, Has.All.EqualTo(expected));
    }

    /// <summary>Rank r's block: three values no other rank's block has.</summary>
    private static int[] BlockOf(int rank) => [100 * rank, (100 * rank) + 1, (100 * rank) + 2];
}
