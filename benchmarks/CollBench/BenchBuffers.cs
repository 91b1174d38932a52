namespace Collectives.CollBench;

/// <summary>
/// Send and receive buffers sized for the largest point, allocated once so no timed call pays
/// for allocation; separate buffers (as OSU uses) keep in-place Sum from growing the data to infinity.
/// </summary>
internal sealed class BenchBuffers
{
    public BenchBuffers(long maxBytes)
    {
        int count = (int)(maxBytes / sizeof(float));
        Send = new float[count];
        Receive = new float[count];
        Array.Fill(Send, 1.0f);
    }

    public float[] Send { get; }

    public float[] Receive { get; }
}
