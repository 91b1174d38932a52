namespace Collectives.ProcessWorker.Faults;

/// <summary>
/// Calls with bad arguments one rank makes in the middle of a job, by name. Each must throw at the
/// call, before anything is sent, so the job's next collective still gives the reference result.
/// </summary>
internal static class BadCalls
{
    public const string ShortReceiveBuffer = "short-receive-buffer";
    public const string MismatchedLengths = "mismatched-lengths";
    public const string RootOutOfRange = "root-out-of-range";
    public const string UnsupportedOp = "unsupported-op";
    public const string UseAfterDispose = "use-after-dispose";
    public const string ConcurrentCalls = "concurrent-calls";

    /// <summary>Makes the bad call <paramref name="name"/> on <paramref name="comm"/>; returns the type of what it threw.</summary>
    public static string Make(string name, Communicator comm)
    {
        Action call = name switch
        {
            // At the root, Reduce needs a receive buffer as long as the send buffer.
            ShortReceiveBuffer => () => comm.Reduce<int>(new int[8], new int[4], ReduceOp.Sum, root: comm.Rank),
            MismatchedLengths => () => comm.Allreduce<int>(new int[8], new int[9], ReduceOp.Sum),
            RootOutOfRange => () => comm.Broadcast(new int[4].AsSpan(), root: comm.Size),
            UnsupportedOp => () => comm.Allreduce(new float[4].AsSpan(), ReduceOp.BitwiseAnd),
            UseAfterDispose => () => comm.Allreduce(new int[4].AsSpan(), ReduceOp.Sum),
            ConcurrentCalls => () => comm.Barrier(),
            _ => throw new ArgumentException($"Unknown bad call '{name}'."),
        };
        try
        {
            call();
            return "nothing";
        }
        catch (Exception exception)
        {
            return exception.GetType().Name;
        }
    }
}
