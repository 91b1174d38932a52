using System.Diagnostics;
using System.Runtime.CompilerServices;
using Collectives.Execution.Pooling;
using Collectives.Tests.Support;

namespace Collectives.Tests.Execution;

/// <summary>
/// The race between a method completing on one thread and its result being read by polling on
/// another: the reader recycles the box, the next call rents it and registers its continuation,
/// and the completing thread, still finishing the first call, must not run that continuation.
/// </summary>
/// <remarks>
/// The window is a few instructions on the completing thread, so the test widens the odds: several
/// reader/completer pairs on more threads than cores (the scheduler preempts completers anywhere,
/// also inside the window), every other call read by polling and the next one by a continuation.
/// Without the fix this failed within the first second on a 2-core machine.
/// </remarks>
public class PooledValueTaskBoxRaceTests
{
    private static readonly TimeSpan StressTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    [Test]
    public void A_continuation_registered_on_a_recycled_box_runs_only_when_its_own_call_completes()
    {
        int pairs = 2 * Environment.ProcessorCount;
        var workers = new List<ReaderCompleterPair>();
        for (int pair = 0; pair < pairs; pair++)
        {
            workers.Add(new ReaderCompleterPair());
        }

        var threads = workers.SelectMany(worker => worker.Start()).ToList();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Multiple(() =>
        {
            Assert.That(workers.Select(worker => worker.Failure), Is.All.Null, "no reader or completer failed");
            Assert.That(workers.Sum(worker => worker.EarlyResumptions), Is.Zero, "continuations that ran before their call completed");
            Assert.That(workers.Sum(worker => worker.Calls), Is.GreaterThan(1000), "the stress ran enough calls to mean something");
        });
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask WaitForGateAsync(ManualValueTaskSource gate) => await gate.WaitAsync().ConfigureAwait(false);

    /// <summary>
    /// One reader thread making calls and one completer thread completing them. Even calls are read
    /// by polling (the early read); odd calls by a continuation (the victim of a late signal).
    /// </summary>
    private sealed class ReaderCompleterPair
    {
        // Two gates, alternating: the completer may still be inside one gate's completion when the
        // reader arms the next call.
        private readonly ManualValueTaskSource[] _gates = [new(), new()];
        private readonly Action _onResumed;
        private ValueTask _victim;
        private int _armed;
        private int _resumed;
        private volatile bool _stopping;

        public ReaderCompleterPair() => _onResumed = OnResumed;

        public long Calls { get; private set; }

        public int EarlyResumptions;

        public Exception? Failure { get; private set; }

        public IEnumerable<Thread> Start()
        {
            var reader = new Thread(() => Guard(Read)) { IsBackground = true, Name = "reader" };
            var completer = new Thread(() => Guard(Complete)) { IsBackground = true, Name = "completer" };
            reader.Start();
            completer.Start();
            return [reader, completer];
        }

        private void Read()
        {
            var stopwatch = Stopwatch.StartNew();
            for (long call = 0; stopwatch.Elapsed < StressTime && Volatile.Read(ref EarlyResumptions) == 0; call++)
            {
                ValueTask task = WaitForGateAsync(_gates[call & 1]);
                if ((call & 1) == 0)
                {
                    Volatile.Write(ref _armed, 1);
                    SpinUntil(() => task.IsCompleted);
                    task.GetAwaiter().GetResult();
                }
                else
                {
                    _victim = task;
                    Volatile.Write(ref _resumed, 0);
                    task.GetAwaiter().UnsafeOnCompleted(_onResumed);
                    Volatile.Write(ref _armed, 1);
                    SpinUntil(() => Volatile.Read(ref _resumed) != 0);
                }

                Calls = call + 1;
            }

            _stopping = true;
        }

        private void OnResumed()
        {
            if (_victim.IsCompleted)
            {
                _victim.GetAwaiter().GetResult();
            }
            else
            {
                // Resumed by the previous call's late signal. The call itself completes later (its
                // gate is armed); its box is left to the GC rather than read.
                Interlocked.Increment(ref EarlyResumptions);
            }

            Volatile.Write(ref _resumed, 1);
        }

        private void Complete()
        {
            for (long call = 0; ; call++)
            {
                SpinUntil(() => Volatile.Read(ref _armed) != 0 || _stopping);
                if (Interlocked.Exchange(ref _armed, 0) == 0)
                {
                    return;
                }

                _gates[call & 1].Complete();
            }
        }

        private static void SpinUntil(Func<bool> condition)
        {
            var stopwatch = Stopwatch.StartNew();
            var spin = default(SpinWait);
            while (!condition())
            {
                if (stopwatch.Elapsed > StallLimit)
                {
                    throw new TimeoutException("A call neither completed nor resumed; the box lost its completion.");
                }

                spin.SpinOnce();
            }
        }

        private void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (Exception exception)
            {
                Failure = exception;
                _stopping = true;
            }
        }
    }
}
