using Collectives.Execution;

namespace Collectives.Algorithms;

internal static class RabenseifnerReduce
{
    public static ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root) => throw new NotSupportedException("PENDING");
}
