using Collectives.Selection;

namespace Collectives.Tests.Support;

/// <summary>What a selector picks, as the value of the collective's algorithm enum, for the tests that compare against those enums.</summary>
internal static class SelectorValues
{
    /// <summary>A communicator whose ranks share one shared-memory segment, without an offload engine.</summary>
    public static AlgorithmAvailability OneSegment { get; } = new(windows: true, offload: null, "shm");

    public static byte SelectValue(this AlgorithmSelector selector, CollectiveKind kind, long bytes, int ranks, bool sharedMemory = false)
        => selector.Select(kind, bytes, ranks, sharedMemory ? OneSegment : AlgorithmAvailability.MessagesOnly).Value;
}
