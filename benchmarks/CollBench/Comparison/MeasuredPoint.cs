namespace Collectives.CollBench.Comparison;

/// <summary>
/// One CSV row of collbench or of Open MPI's peer program (they share the column layout
/// <c>library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps</c>).
/// </summary>
/// <param name="Library">collectives or openmpi.</param>
/// <param name="Collective">allreduce, reduce, broadcast, allgather, reduce_scatter, gather, scatter, alltoall or barrier.</param>
/// <param name="Bytes">Message size; 0 for barrier.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="MaxUs">The slowest rank's average call time: the latency both programs report.</param>
internal sealed record MeasuredPoint(string Library, string Collective, long Bytes, int Ranks, double MaxUs);
