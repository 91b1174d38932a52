namespace Collectives.Transport.Hybrid;

/// <summary>
/// The shared-memory windows of this host's ranks in a job across hosts, numbered by the ranks'
/// places on the host (<see cref="HostLayout.LocalIndex"/>). A feature of its own rather than
/// <see cref="ISharedMemoryWindows"/>: those are the whole communicator's windows, and a
/// communicator across hosts has none; these serve only the phases of node-aware algorithms that
/// run inside the host.
/// </summary>
/// <param name="segment">The host's shared-memory transport, whose windows these are.</param>
/// <param name="jobRanks">For each of the host's ranks, index = its place, the job's rank it is: failures name those.</param>
internal sealed class HostWindows(SharedMemory.SharedMemoryTransport segment, int[] jobRanks)
{
    /// <summary>The windows, indexed by place on the host; their failures name the job's ranks.</summary>
    public ISharedMemoryWindows Windows { get; } = new SharedMemory.JobRankedWindows(segment.GetFeature<ISharedMemoryWindows>()!, jobRanks);

    /// <summary>The host's transport, through which sub-communicators of this host's ranks map segments of their own.</summary>
    public SharedMemory.SharedMemoryTransport Segment => segment;
}
