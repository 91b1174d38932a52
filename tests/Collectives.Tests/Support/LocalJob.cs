using System.Runtime.ExceptionServices;

namespace Collectives.Tests.Support;

/// <summary>
/// Runs one body per rank of a job whose ranks all live in this process (connected through memory
/// or loopback TCP, see <see cref="TestTransport"/>), concurrently, and reports every rank's
/// outcome. Each rank runs on its own task, so blocking and asynchronous calls both work.
/// </summary>
internal static class LocalJob
{
    /// <summary>Runs <paramref name="body"/> on every rank and rethrows the first failure.</summary>
    public static void Run(int size, CommunicatorOptions? options, Action<Communicator> body, TestTransport transport = TestTransport.InProcess)
    {
        Exception?[] failures = RunCollectingFailures(size, options, body, transport);
        foreach (Exception? failure in failures)
        {
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on every rank; returns each rank's exception, or null where it succeeded.</summary>
    public static Exception?[] RunCollectingFailures(int size, CommunicatorOptions? options, Action<Communicator> body, TestTransport transport = TestTransport.InProcess)
        => RunCollectingFailures(TestJobs.Create(size, options, transport), body);

    /// <summary>Runs <paramref name="body"/> on each of <paramref name="ranks"/> (disposing them afterwards); returns each rank's exception, or null where it succeeded.</summary>
    public static Exception?[] RunCollectingFailures(Communicator[] ranks, Action<Communicator> body)
    {
        int size = ranks.Length;
        var failures = new Exception?[size];
        try
        {
            Task[] tasks = ranks.Select((communicator, rank) => Task.Factory.StartNew(
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
                TaskScheduler.Default)).ToArray();
            if (!Task.WaitAll(tasks, TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"A {size}-rank job did not finish within 2 minutes: a collective hung.");
            }
        }
        finally
        {
            foreach (Communicator communicator in ranks)
            {
                communicator.Dispose();
            }
        }

        return failures;
    }

    /// <summary>Runs the asynchronous <paramref name="body"/> on every rank and rethrows the first failure.</summary>
    public static Task RunAsync(int size, CommunicatorOptions? options, Func<Communicator, Task> body, TestTransport transport = TestTransport.InProcess)
        => RunAsync(TestJobs.Create(size, options, transport), body);

    /// <summary>Runs the asynchronous <paramref name="body"/> on each of <paramref name="ranks"/> (disposing them afterwards) and rethrows the first failure.</summary>
    public static async Task RunAsync(Communicator[] ranks, Func<Communicator, Task> body)
    {
        int size = ranks.Length;
        try
        {
            Task all = Task.WhenAll(ranks.Select(communicator => Task.Run(() => body(communicator))));
            Task finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))).ConfigureAwait(false);
            if (finished != all)
            {
                throw new TimeoutException($"A {size}-rank job did not finish within 2 minutes: a collective hung.");
            }

            await all.ConfigureAwait(false);
        }
        finally
        {
            foreach (Communicator communicator in ranks)
            {
                await communicator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
