namespace Collectives.CollBench;

/// <summary>One algorithm of one collective, as a call collbench can time.</summary>
/// <param name="Name">The name used on the command line and in reports (the COLLECTIVES_ALGORITHMS spelling, or auto).</param>
/// <param name="Call">Makes one call on <c>count</c> floats of the buffers.</param>
internal sealed record BenchAlgorithm(string Name, Action<Communicator, BenchBuffers, int> Call);
