using System.Runtime.ExceptionServices;
using BenchmarkDotNet.Attributes;

namespace Collectives.Benchmarks;

/// <summary>
/// One 1 KiB float Sum Allreduce across 4 in-process ranks, in steady state, to show the time and
/// the allocation per operation. Rank 0 runs on the benchmark thread; ranks 1-3 are threads that
/// each run one Allreduce per benchmark invocation. The memory diagnoser counts every thread's
/// allocations (GC.GetTotalAllocatedBytes), so "Allocated" is for all four ranks together.
/// </summary>
[MemoryDiagnoser]
public class AllreduceBenchmarks
{
    private const int Ranks = 4;
    private const int Count = 1024 / sizeof(float);

    private readonly SemaphoreSlim[] _go = new SemaphoreSlim[Ranks];
    private readonly Thread[] _workers = new Thread[Ranks];
    private readonly ExceptionDispatchInfo?[] _failures = new ExceptionDispatchInfo?[Ranks];
    private Communicator[] _communicators = [];
    private float[][] _buffers = [];
    private volatile bool _stopping;

    /// <summary>Creates the ranks and starts ranks 1-3 waiting for work.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _communicators = Communicator.CreateLocal(Ranks);

        // Zeros stay zeros, so millions of in-place sums never drift into infinities.
        _buffers = [.. Enumerable.Range(0, Ranks).Select(_ => new float[Count])];
        for (int rank = 1; rank < Ranks; rank++)
        {
            int worker = rank;
            _go[worker] = new SemaphoreSlim(0);
            _workers[worker] = new Thread(() => RunWorker(worker)) { IsBackground = true, Name = $"rank {worker}" };
            _workers[worker].Start();
        }
    }

    /// <summary>One Allreduce on every rank.</summary>
    [Benchmark]
    public void Allreduce_1KiB_float_Sum_4_ranks()
    {
        for (int rank = 1; rank < Ranks; rank++)
        {
            _go[rank].Release();
        }

        _communicators[0].Allreduce(_buffers[0].AsSpan(), ReduceOp.Sum);
    }

    /// <summary>Stops the worker ranks and reports any failure they had.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        for (int rank = 1; rank < Ranks; rank++)
        {
            _go[rank].Release();
            _workers[rank].Join();
            _go[rank].Dispose();
        }

        foreach (Communicator communicator in _communicators)
        {
            communicator.Dispose();
        }

        foreach (ExceptionDispatchInfo? failure in _failures)
        {
            failure?.Throw();
        }
    }

    private void RunWorker(int rank)
    {
        try
        {
            while (true)
            {
                _go[rank].Wait();
                if (_stopping)
                {
                    return;
                }

                _communicators[rank].Allreduce(_buffers[rank].AsSpan(), ReduceOp.Sum);
            }
        }
        catch (Exception exception)
        {
            // Rank 0 fails too (the collective is aborted on every rank); keep this one for Cleanup.
            _failures[rank] = ExceptionDispatchInfo.Capture(exception);
        }
    }
}
