namespace Collectives.CollBench;

/// <summary>Runs every (algorithm, size) point of a run in order, the same order on every rank.</summary>
internal static class Sweep
{
    /// <summary>The sizes a collective is measured at: barrier moves no data, so it has one point at 0 bytes.</summary>
    public static IReadOnlyList<long> SizesOf(BenchSettings settings)
        => settings.Collective == "barrier" ? [0L] : settings.Sizes;

    public static int PointCount(BenchSettings settings) => settings.Algorithms.Count * SizesOf(settings).Count;

    /// <summary>Measures every point, calling <paramref name="onPoint"/> after each one.</summary>
    public static List<PointResult> Run(Communicator comm, BenchSettings settings, Action<PointResult> onPoint)
    {
        IReadOnlyList<long> sizes = SizesOf(settings);
        var buffers = new BenchBuffers(sizes.Max(), BenchAlgorithms.ReceiveBlocks(settings.Collective, comm.Size), BenchAlgorithms.SendBlocks(settings.Collective, comm.Size));
        List<PointResult> results = [];

        // Sizes outer, algorithms inner: the algorithms of one size are measured close together
        // in time, so a burst of noise on this shared VM skews one size rather than one algorithm.
        foreach (long bytes in sizes)
        {
            foreach (BenchAlgorithm algorithm in settings.Algorithms)
            {
                PointResult result = PointRunner.Run(comm, settings, algorithm, bytes, buffers);
                results.Add(result);
                onPoint(result);
            }
        }

        return results;
    }
}
