using Collectives.Offload.Building;
using Collectives.Simulation;
using Collectives.Simulation.Offload;

namespace Collectives.CollSim;

/// <summary>
/// Runs a sweep point by point: one simulated cluster per node count (reused for all its points),
/// each point repeated and summarised. Every rank enters at the same virtual time; tc is when the
/// last rank returns. Software and offload points of one node count share the cluster, so they run
/// on the same machine model.
/// </summary>
internal sealed class StudyRunner(StudySettings settings)
{
    private readonly Dictionary<int, SimulatedOffload> _offloads = [];

    public IEnumerable<StudyPoint> Run()
    {
        foreach (int nodes in settings.Nodes)
        {
            using var cluster = new SimulatedCluster(nodes, settings.Model);
            _offloads.Clear();
            foreach (StudyCollective collective in settings.Collectives)
            {
                foreach (StudyType type in settings.Types)
                {
                    foreach (int bytes in settings.Bytes)
                    {
                        foreach (StudyPath path in settings.Paths)
                        {
                            foreach (int fanIn in path == StudyPath.Offload ? settings.FanIns : [0])
                            {
                                yield return Measure(cluster, collective, type, bytes, path, fanIn);
                            }
                        }
                    }
                }
            }
        }
    }

    private StudyPoint Measure(SimulatedCluster cluster, StudyCollective collective, StudyType type, int bytes, StudyPath path, int fanIn)
    {
        long[] times = type switch
        {
            StudyType.Double => Repeat<double>(cluster, collective, bytes, path, fanIn),
            StudyType.Float => Repeat<float>(cluster, collective, bytes, path, fanIn),
            StudyType.Int => Repeat<int>(cluster, collective, bytes, path, fanIn),
            StudyType.Long => Repeat<long>(cluster, collective, bytes, path, fanIn),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
        };
        return new StudyPoint(collective, type, cluster.Size, bytes, fanIn, path, times.Average(), times.Min(), times.Max(), times.Length);
    }

    private long[] Repeat<T>(SimulatedCluster cluster, StudyCollective collective, int bytes, StudyPath path, int fanIn)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        int count = bytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() != bytes)
        {
            throw new ArgumentException($"{bytes} bytes is not a whole number of {typeof(T).Name} elements.");
        }

        T[][] send = [.. Enumerable.Range(0, cluster.Size).Select(rank => Enumerable.Range(0, count).Select(i => T.CreateTruncating(rank + i + 1)).ToArray())];
        T[][] receive = [.. Enumerable.Range(0, cluster.Size).Select(_ => new T[count])];
        var times = new long[settings.Repetitions];
        for (int repetition = 0; repetition < times.Length; repetition++)
        {
            times[repetition] = path switch
            {
                StudyPath.Software => RunSoftware(cluster, collective, send, receive),
                _ => RunOffload(Offload(cluster, fanIn), collective, send, receive),
            };
        }

        return times;
    }

    private static long RunSoftware<T>(SimulatedCluster cluster, StudyCollective collective, T[][] send, T[][] receive)
        where T : unmanaged
    {
        SimulationRun run = collective == StudyCollective.Reduce
            ? cluster.Run(rank => cluster.Communicators[rank].ReduceAsync<T>(send[rank], receive[rank], ReduceOp.Sum, 0))
            : cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync<T>(send[rank], receive[rank], ReduceOp.Sum));
        return run.CompletionNs;
    }

    private static long RunOffload<T>(SimulatedOffload offload, StudyCollective collective, T[][] send, T[][] receive)
        where T : unmanaged
    {
        ReadOnlyMemory<T>[] inputs = [.. send.Select(buffer => (ReadOnlyMemory<T>)buffer)];
        Memory<T>[] outputs = [.. receive.Select(buffer => (Memory<T>)buffer)];
        SimulationRun run = collective == StudyCollective.Reduce
            ? offload.Reduce(inputs, outputs, ReduceOp.Sum, 0)
            : offload.Allreduce(inputs, outputs, ReduceOp.Sum);
        return run.CompletionNs;
    }

    private SimulatedOffload Offload(SimulatedCluster cluster, int fanIn)
    {
        if (!_offloads.TryGetValue(fanIn, out SimulatedOffload? offload))
        {
            offload = new SimulatedOffload(cluster, fanIn == 0 ? TreeShape.Binomial : TreeShape.KAry(fanIn), settings.Offload);
            _offloads.Add(fanIn, offload);
        }

        return offload;
    }
}
