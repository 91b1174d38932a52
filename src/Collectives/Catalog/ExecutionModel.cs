namespace Collectives.Catalog;

/// <summary>How an algorithm moves data, which decides what a communicator needs to run it.</summary>
internal enum ExecutionModel : byte
{
    /// <summary>
    /// Point-to-point messages through <see cref="Execution.CollectiveContext"/>, on any transport.
    /// Asynchronous; the call's timer bounds every wait.
    /// </summary>
    Messages = 1,

    /// <summary>
    /// Loads and stores in the ranks' shared-memory windows, synchronously on the caller's thread
    /// (there is nothing to wait for but other ranks' writes). Needs every rank of the
    /// communicator on one segment.
    /// </summary>
    Windows = 2,

    /// <summary>The communicator's offload engine runs the whole call. Needs an engine that takes the call.</summary>
    Offload = 3,

    /// <summary>
    /// Point-to-point messages as <see cref="Messages"/>, organised by host: phases inside each host
    /// (over shared memory) and between hosts (over the network), each a message algorithm run in
    /// a group of ranks. Needs a communicator whose ranks span several hosts, some host running
    /// more than one of them.
    /// </summary>
    NodeAware = 4,
}
