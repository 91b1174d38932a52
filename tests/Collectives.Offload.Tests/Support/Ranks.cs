using System.Runtime.ExceptionServices;

namespace Collectives.Offload.Tests.Support;

/// <summary>Runs one body per in-process rank, each on its own long-running task, and rethrows the first failure.</summary>
internal static class Ranks
{
    public static void Run(Communicator[] communicators, Action<Communicator> body)
    {
        var failures = new Exception?[communicators.Length];
        Task[] tasks = [.. communicators.Select((communicator, rank) => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    body(communicator);
                }
                catch (Exception exception)
                {
                    failures[rank] = exception;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
        if (!Task.WaitAll(tasks, TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException($"A {communicators.Length}-rank job did not finish within a minute: a collective hung.");
        }

        foreach (Exception? failure in failures)
        {
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>Creates <paramref name="size"/> in-process ranks, runs <paramref name="body"/> on each, and disposes them.</summary>
    public static void RunJob(int size, CommunicatorOptions? options, Action<Communicator> body)
    {
        Communicator[] communicators = Communicator.CreateLocal(size, options);
        try
        {
            Run(communicators, body);
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                communicator.Dispose();
            }
        }
    }
}
