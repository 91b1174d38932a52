using Collectives.Transport.SharedMemory;

namespace Collectives.SubCommunicators;

/// <summary>
/// Where one rank of a new communicator maps a shared-memory segment of its own (see <see cref="ChildSegment.PlanFor"/>).
/// </summary>
/// <param name="Through">The job's or this host's transport, through which the segment is mapped.</param>
/// <param name="Sharers">The new communicator's ranks that share it, ascending: all of them, or those on this host.</param>
/// <param name="SpansHosts">
/// Whether the communicator spans hosts: its segment then holds this host's ranks alone and serves
/// the phases of node-aware algorithms inside the host, not the communicator's window algorithms.
/// </param>
internal sealed record ChildSegmentPlan(SharedMemoryTransport Through, int[] Sharers, bool SpansHosts);
