using Collectives;

/// <summary>
/// A training loop's collectives, round after round: an Allreduce of gradients (three sizes in
/// turn, so the message-size buckets of the metrics fill), a Reduce of the loss to rank 0, a
/// Broadcast of the next step from rank 0, and an Allreduce of everyone's wish to stop, so that
/// all ranks stop after the same round.
/// </summary>
internal static class CollectiveLoop
{
    /// <summary>8 B, 4 KiB and 256 KiB of floats.</summary>
    private static readonly int[] GradientLengths = [2, 1024, 64 * 1024];

    /// <summary>Runs rounds until a rank is asked to stop or <see cref="SampleSettings.Rounds"/> are done; returns how many ran.</summary>
    public static async Task<long> RunAsync(Communicator comm, SampleSettings settings, StopSignal stop)
    {
        float[][] gradients = [.. GradientLengths.Select(length => new float[length])];
        double[] loss = new double[1];
        long[] step = new long[1];
        int[] stopping = new int[1];
        float expected = comm.Size * (comm.Size + 1) / 2f;
        for (long round = 1; ; round++)
        {
            float[] gradient = gradients[round % gradients.Length];
            gradient.AsSpan().Fill(comm.Rank + 1);
            await comm.AllreduceAsync(gradient.AsMemory(), ReduceOp.Sum);
            if (gradient[0] != expected || gradient[^1] != expected)
            {
                throw new InvalidOperationException($"Round {round}: the Allreduce gave {gradient[0]}, not {expected}.");
            }

            loss[0] = 1.0 / (round + comm.Rank);
            await comm.ReduceAsync(loss.AsMemory(), ReduceOp.Sum, root: 0);
            step[0] = comm.Rank == 0 ? round + 1 : 0;
            await comm.BroadcastAsync(step.AsMemory(), root: 0);

            stopping[0] = stop.Requested || round == settings.Rounds ? 1 : 0;
            await comm.AllreduceAsync(stopping.AsMemory(), ReduceOp.Max);
            if (stopping[0] != 0)
            {
                return round;
            }

            await Task.Delay(settings.Interval);
        }
    }
}
