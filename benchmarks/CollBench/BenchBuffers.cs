namespace Collectives.CollBench;

/// <summary>
/// Send and receive buffers sized for the largest point, allocated once so no timed call pays
/// for allocation; separate buffers (as OSU uses) keep in-place Sum from growing the data to infinity.
/// </summary>
internal sealed class BenchBuffers
{
    /// <param name="maxBytes">The largest message size.</param>
    /// <param name="receiveBlocks">Messages the receive buffer holds: the rank count for allgather, else 1.</param>
    /// <param name="sendBlocks">Messages the send buffer holds: the rank count for reduce_scatter, else 1.</param>
    public BenchBuffers(long maxBytes, int receiveBlocks = 1, int sendBlocks = 1)
    {
        int count = (int)(maxBytes / sizeof(float));
        Send = new float[(long)count * sendBlocks];
        Receive = new float[(long)count * receiveBlocks];
        Array.Fill(Send, 1.0f);
    }

    public float[] Send { get; }

    public float[] Receive { get; }
}
