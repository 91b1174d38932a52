using System.Diagnostics;
using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Tests.Support;

namespace Collectives.Tests.Execution;

public class PooledValueTaskMethodBuilderTests
{
    private static readonly AsyncLocal<string?> Local = new();

    [Test]
    public void A_method_that_never_waits_returns_a_completed_ValueTask_without_a_box()
    {
        var steps = new List<string>();

        ValueTask task = NeverWaitsAsync(steps);

        Assert.That(task.IsCompletedSuccessfully, Is.True);
        Assert.That(task, Is.EqualTo(default(ValueTask)), "a synchronous success needs no box");
        Assert.That(steps, Is.EqualTo(new[] { "start", "end" }));
    }

    [Test]
    public async Task A_method_resumes_when_the_awaited_operation_completes_on_another_thread()
    {
        var source = new ManualValueTaskSource();
        var steps = new List<string>();

        ValueTask task = WaitsOnceAsync(source, steps);
        Assert.That(task.IsCompleted, Is.False);
        Assert.That(steps, Is.EqualTo(new[] { "before" }));

        int resumedOn = -1;
        RunOnNewThread(() =>
        {
            source.Complete();
            resumedOn = Environment.CurrentManagedThreadId;
        });

        Assert.That(task.IsCompletedSuccessfully, Is.True, "the continuation runs inline on the completing thread");
        await task;
        Assert.That(steps, Is.EqualTo(new[] { "before", $"after on {resumedOn}" }));
    }

    [Test]
    public void An_exception_before_any_await_propagates_with_its_type_and_identity()
    {
        var failure = new InvalidDataException("sync");

        ValueTask task = ThrowsAsync(failure, source: null);

        Assert.That(task.IsFaulted, Is.True);
        Assert.That(async () => await task, Throws.Exception.SameAs(failure));
    }

    [Test]
    public void An_exception_after_an_await_propagates_with_its_type_and_identity()
    {
        var source = new ManualValueTaskSource();
        var failure = new InvalidDataException("async");

        ValueTask task = ThrowsAsync(failure, source);
        RunOnNewThread(source.Complete);

        Assert.That(task.IsFaulted, Is.True);
        Assert.That(async () => await task, Throws.Exception.SameAs(failure));
    }

    [Test]
    public void A_failed_await_propagates_the_awaited_exception()
    {
        var source = new ManualValueTaskSource();
        var failure = new TimeoutException("peer");

        ValueTask task = WaitsOnceAsync(source, []);
        RunOnNewThread(() => source.Fail(failure));

        Assert.That(async () => await task, Throws.Exception.SameAs(failure));
    }

    [Test]
    public void Cancellation_before_any_await_reports_a_canceled_task()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        ValueTask task = CancellableAsync(cancellation.Token);

        Assert.That(task.IsCanceled, Is.True);
        Assert.That(
            async () => await task,
            Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(cancellation.Token));
    }

    [Test]
    public void Cancellation_after_an_await_reports_a_canceled_task()
    {
        using var cancellation = new CancellationTokenSource();

        ValueTask task = CancellableAsync(cancellation.Token);
        Assert.That(task.IsCompleted, Is.False);
        cancellation.Cancel();

        Assert.That(SpinWait.SpinUntil(() => task.IsCompleted, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(task.IsCanceled, Is.True);
        Assert.That(
            async () => await task,
            Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(cancellation.Token));
    }

    [Test]
    public async Task AsyncLocal_values_set_inside_flow_into_continuations_but_not_to_the_caller_or_the_completing_thread()
    {
        var source = new ManualValueTaskSource();
        var seen = new List<string?>();
        Local.Value = "caller";

        ValueTask task = SetsLocalAsync(source, seen);
        Assert.That(Local.Value, Is.EqualTo("caller"), "the synchronous part's value leaked to the caller");

        string? onCompleter = null;
        RunOnNewThread(() =>
        {
            Local.Value = "completer";
            source.Complete();
            onCompleter = Local.Value;
        });
        await task;

        Assert.That(seen, Is.EqualTo(new[] { "caller", "inside" }), "the value at entry, then the value after the await");
        Assert.That(onCompleter, Is.EqualTo("completer"), "the continuation's value leaked to the thread that completed the await");
        Assert.That(Local.Value, Is.EqualTo("caller"));
    }

    [Test]
    public void AsyncLocal_values_set_by_a_method_that_completes_synchronously_do_not_leak()
    {
        Local.Value = "caller";

        ValueTask task = SetsLocalWithoutWaitingAsync();

        Assert.That(task.IsCompletedSuccessfully, Is.True);
        Assert.That(Local.Value, Is.EqualTo("caller"));
    }

    [Test]
    public void An_Activity_started_inside_does_not_become_the_callers_current_activity()
    {
        // Communicator.ExecuteAsync starts an Activity (an AsyncLocal underneath) when anyone listens.
        using var source = new ActivitySource(nameof(An_Activity_started_inside_does_not_become_the_callers_current_activity));
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        var manual = new ManualValueTaskSource();
        var seen = new List<Activity?>();
        Activity? before = Activity.Current;

        ValueTask task = StartsActivityAsync(source, manual, seen);

        Assert.That(Activity.Current, Is.SameAs(before));
        RunOnNewThread(manual.Complete);
        Assert.That(task.IsCompletedSuccessfully, Is.True);
        Assert.That(Activity.Current, Is.SameAs(before));
        Assert.That(seen, Has.Count.EqualTo(2));
        Assert.That(seen[0], Is.Not.Null);
        Assert.That(seen[1], Is.SameAs(seen[0]), "the activity flows into the continuation");
    }

    [Test]
    public void Reading_the_result_before_completion_throws_and_leaves_the_call_intact()
    {
        var source = new ManualValueTaskSource();
        var steps = new List<string>();
        ValueTask task = WaitsOnceAsync(source, steps);

        Assert.That(() => task.GetAwaiter().GetResult(), Throws.InvalidOperationException);

        RunOnNewThread(source.Complete);
        Assert.That(() => task.GetAwaiter().GetResult(), Throws.Nothing);
        Assert.That(steps, Has.Count.EqualTo(2));
    }

    [Test]
    public void Reading_a_result_twice_is_rejected_by_the_version_check()
    {
        var source = new ManualValueTaskSource();
        ValueTask task = WaitsOnceAsync(source, []);
        RunOnNewThread(source.Complete);

        task.GetAwaiter().GetResult();

        Assert.That(() => task.GetAwaiter().GetResult(), Throws.InvalidOperationException, "the box has gone back to the pool");
    }

    [Test]
    public void Steady_state_calls_allocate_nothing_on_the_calling_or_the_completing_threads()
    {
        // Several calls of one method in flight at once, each resumed by its own thread: the
        // pattern of ranks in one process, which the runtime's per-thread/per-core box cache misses.
        OptimizedBuild.RequireForAllocationTests();
        const int InFlight = 8;
        const int WarmUp = 500;
        const int Rounds = 200;
        const int Attempts = 5;
        CompleterThread[] completers = [.. Enumerable.Range(0, InFlight).Select(_ => new CompleterThread())];
        BlockingWaiter[] waiters = [.. Enumerable.Range(0, InFlight).Select(_ => new BlockingWaiter())];
        var tasks = new ValueTask[InFlight];
        var counter = new int[InFlight];
        int roundsRun = 0;
        try
        {
            for (int round = 0; round < WarmUp; round++)
            {
                RunRound();
            }

            // The runtime itself now and then allocates a few bytes on a thread that blocks (lazily
            // created wait objects, thread-pool bookkeeping), so one clean window of 200 rounds is
            // the proof; a per-call allocation of ours would show in every window.
            long fewestOnCaller = long.MaxValue;
            long fewestOnCompleters = long.MaxValue;
            for (int attempt = 0; attempt < Attempts && (fewestOnCaller > 0 || fewestOnCompleters > 0); attempt++)
            {
                long[] completionsBefore = [.. completers.Select(completer => completer.Completions)];
                long completersBefore = Enumerable.Range(0, InFlight).Sum(i => completers[i].AllocatedBytesAfter(completionsBefore[i]));
                long callerBefore = GC.GetAllocatedBytesForCurrentThread();
                for (int round = 0; round < Rounds; round++)
                {
                    RunRound();
                }

                long callerBytes = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
                long completersAfter = Enumerable.Range(0, InFlight).Sum(i => completers[i].AllocatedBytesAfter(completionsBefore[i] + (2 * Rounds)));
                fewestOnCaller = Math.Min(fewestOnCaller, callerBytes);
                fewestOnCompleters = Math.Min(fewestOnCompleters, completersAfter - completersBefore);
                TestContext.Out.WriteLine($"window {attempt}: caller {callerBytes} B, completers {completersAfter - completersBefore} B over {Rounds} x {InFlight} calls");
            }

            Assert.That(fewestOnCaller, Is.Zero, "bytes allocated by the calling thread in the best window");
            Assert.That(fewestOnCompleters, Is.Zero, "bytes allocated by the completing threads in the best window");
            Assert.That(counter, Is.All.EqualTo(2 * roundsRun), "every call ran both inner calls");
        }
        finally
        {
            foreach (CompleterThread completer in completers)
            {
                completer.Dispose();
            }

            foreach (BlockingWaiter waiter in waiters)
            {
                waiter.Dispose();
            }
        }

        void RunRound()
        {
            for (int i = 0; i < InFlight; i++)
            {
                tasks[i] = OuterAsync(completers[i], counter, i);
            }

            for (int i = 0; i < InFlight; i++)
            {
                waiters[i].Wait(tasks[i]);
            }

            roundsRun++;
        }
    }

    [Test]
    public async Task Many_concurrent_calls_complete_with_correct_results()
    {
        // More workers than the pool retains per type, so boxes are also dropped and recreated.
        int workers = 4 * PooledValueTaskBox.MaximumRetainedPerType;
        const int CallsPerWorker = 200;
        var results = new long[workers * CallsPerWorker];

        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (int call = 0; call < CallsPerWorker; call++)
            {
                int slot = (worker * CallsPerWorker) + call;
                await ComputeAsync(slot, results);
            }
        })));

        for (int slot = 0; slot < results.Length; slot++)
        {
            Assert.That(results[slot], Is.EqualTo(Expected(slot)), $"slot {slot}");
        }

        static long Expected(int slot) => ((long)slot * slot) + (3L * slot);
    }

    private static void RunOnNewThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask NeverWaitsAsync(List<string> steps)
    {
        steps.Add("start");
        await Task.CompletedTask.ConfigureAwait(false);
        steps.Add("end");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask WaitsOnceAsync(ManualValueTaskSource source, List<string> steps)
    {
        steps.Add("before");
        await source.WaitAsync().ConfigureAwait(false);
        steps.Add($"after on {Environment.CurrentManagedThreadId}");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask ThrowsAsync(Exception failure, ManualValueTaskSource? source)
    {
        if (source is not null)
        {
            await source.WaitAsync().ConfigureAwait(false);
        }

        throw failure;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask CancellableAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask SetsLocalAsync(ManualValueTaskSource source, List<string?> seen)
    {
        seen.Add(Local.Value);
        Local.Value = "inside";
        await source.WaitAsync().ConfigureAwait(false);
        seen.Add(Local.Value);
        Local.Value = "after";
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask SetsLocalWithoutWaitingAsync()
    {
        Local.Value = "inside";
        await Task.CompletedTask.ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask StartsActivityAsync(ActivitySource source, ManualValueTaskSource manual, List<Activity?> seen)
    {
        using Activity? activity = source.StartActivity("inside");
        seen.Add(activity);
        await manual.WaitAsync().ConfigureAwait(false);
        seen.Add(Activity.Current);
    }

    // The outer box is rented and returned on the calling thread; the first inner box is rented
    // there and returned on the completer; the second lives entirely on the completer.
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask OuterAsync(CompleterThread completer, int[] counter, int slot)
    {
        await InnerAsync(completer, counter, slot).ConfigureAwait(false);
        await InnerAsync(completer, counter, slot).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask InnerAsync(CompleterThread completer, int[] counter, int slot)
    {
        await completer.WaitAsync().ConfigureAwait(false);
        counter[slot]++;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask ComputeAsync(int slot, long[] results)
    {
        await Task.Yield();
        long square = await SquareAsync(slot).ConfigureAwait(false);
        await AddAsync(results, slot, square).ConfigureAwait(false);
        await AddAsync(results, slot, 3L * slot).ConfigureAwait(false);
    }

    private static async Task<long> SquareAsync(int value)
    {
        await Task.Yield();
        return (long)value * value;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask AddAsync(long[] results, int slot, long value)
    {
        if (slot % 2 == 0)
        {
            await Task.Yield();
        }

        results[slot] += value;
    }
}
