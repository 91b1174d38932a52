namespace Collectives.CollBench;

/// <summary>One measured (algorithm, size) point, aggregated over ranks.</summary>
/// <param name="Collective">allreduce, reduce, broadcast or barrier.</param>
/// <param name="Config">Transport and algorithm, e.g. tcp/ring (with +noverify when calls are not verified).</param>
/// <param name="Algorithm">The algorithm name alone.</param>
/// <param name="Bytes">Message size; 0 for barrier.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Iterations">Timed iterations every rank ran.</param>
/// <param name="AvgUs">Mean over ranks of each rank's average call time.</param>
/// <param name="MinUs">Smallest rank average.</param>
/// <param name="MaxUs">Largest rank average (the figure Open MPI's anchor reports as latency).</param>
internal sealed record PointResult(
    string Collective,
    string Config,
    string Algorithm,
    long Bytes,
    int Ranks,
    int Iterations,
    double AvgUs,
    double MinUs,
    double MaxUs)
{
    /// <summary>Algorithm bandwidth: bytes over the average time (bytes per µs / 1000 = GB/s).</summary>
    public double Gbps => AvgUs > 0 ? Bytes / AvgUs / 1000.0 : 0;
}
