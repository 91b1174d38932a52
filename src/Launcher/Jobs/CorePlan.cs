namespace Collectives.Launcher.Jobs;

/// <summary>
/// Which processor each rank is pinned to (<c>--bind-to</c>). A pinned rank is not migrated
/// between processors, so its caches stay warm and two polling ranks never share one processor
/// while another idles; mpirun binds ranks to cores by default for this reason. But a pinned rank
/// cannot move away from a processor that other programs keep busy. Measured on this shared
/// 2-core VM (2 ranks over TCP, Allreduce): with the benchmark's scheduling group favoured over
/// the other jobs, pinning helped (8 B 25.6 -> 15.7 us, 4 MiB 2660 -> 2386 us, median of 3); competing
/// with them on equal terms it hurt badly (256 KiB 196-252 us unpinned, 343-7034 us pinned). Hence
/// off by default. <see cref="CoreBinding.Auto"/> leaves oversubscribed ranks free, as mpirun does.
/// </summary>
internal static class CorePlan
{
    /// <summary>
    /// The processor for each of <paramref name="ranks"/> ranks, or null when ranks are not pinned.
    /// </summary>
    /// <param name="binding">What the user asked for.</param>
    /// <param name="ranks">Number of ranks.</param>
    /// <param name="available">Processors collrun itself may run on, ascending.</param>
    public static int[]? For(CoreBinding binding, int ranks, IReadOnlyList<int> available)
    {
        bool pin = binding switch
        {
            CoreBinding.Core => available.Count > 0,
            CoreBinding.Auto => available.Count >= ranks && available.Count > 1,
            _ => false,
        };
        return pin ? [.. Enumerable.Range(0, ranks).Select(rank => available[rank % available.Count])] : null;
    }

    /// <summary>The processors this process may run on (at most the first 64), ascending; empty where that cannot be read.</summary>
    public static IReadOnlyList<int> AvailableProcessors()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return [];
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long mask = self.ProcessorAffinity;
        return [.. Enumerable.Range(0, 64).Where(processor => (mask & (1L << processor)) != 0)];
    }
}
