namespace Collectives.Transport.Hybrid;

/// <summary>
/// The shared-memory windows of this host's ranks in a job across hosts, numbered by the ranks'
/// places on the host (<see cref="HostLayout.LocalIndex"/>). A feature of its own rather than
/// <see cref="ISharedMemoryWindows"/>: those are the whole communicator's windows, and a
/// communicator across hosts has none; these serve only the phases of node-aware algorithms that
/// run inside the host.
/// </summary>
/// <param name="windows">The host segment's windows.</param>
internal sealed class HostWindows(ISharedMemoryWindows windows)
{
    /// <summary>The windows, indexed by place on the host.</summary>
    public ISharedMemoryWindows Windows => windows;
}
