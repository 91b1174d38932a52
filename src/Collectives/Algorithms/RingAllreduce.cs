using Collectives.Execution;

namespace Collectives.Algorithms;

internal static class RingAllreduce
{
    public static ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer) => throw new NotSupportedException("PENDING");
}
