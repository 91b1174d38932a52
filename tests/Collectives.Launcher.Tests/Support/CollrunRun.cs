using System.Diagnostics;
using System.Reflection;
using Collectives.Launcher.Signals;

namespace Collectives.Launcher.Tests.Support;

/// <summary>Runs collrun in this process (its ranks are real child processes) and keeps what it printed.</summary>
internal sealed class CollrunRun : IDisposable
{
    /// <summary>No test run of collrun may take longer than this; a hang fails instead of blocking the suite.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private CollrunRun(string[] args)
    {
        Completion = Task.Run(() => CollrunCommand.RunAsync(args, StandardOutput, StandardError, Interrupts));
    }

    /// <summary>The TestProgram .dll (built with the tests, in its own output folder).</summary>
    public static string TestProgram { get; } = typeof(CollrunRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "TestProgramPath").Value!;

    public CapturedOutput StandardOutput { get; } = new();

    public CapturedOutput StandardError { get; } = new();

    public Interrupts Interrupts { get; } = new();

    public Task<int> Completion { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts <c>collrun args</c>.</summary>
    public static CollrunRun Start(params string[] args) => new(args);

    /// <summary>Runs <c>collrun -n ranks [options] -- dotnet TestProgram.dll script</c> to the end.</summary>
    public static Task<CollrunRun> RunTestProgramAsync(int ranks, string[] options, params string[] script)
        => RunAsync(["-n", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options, "--", TestProgram, .. script]);

    /// <summary>Runs <c>collrun args</c> to the end.</summary>
    public static async Task<CollrunRun> RunAsync(params string[] args)
    {
        var run = Start(args);
        await run.ExitCodeAsync();
        return run;
    }

    /// <summary>collrun's exit code; fails the test if collrun runs past <see cref="Limit"/>.</summary>
    public async Task<int> ExitCodeAsync()
    {
        if (await Task.WhenAny(Completion, Task.Delay(Limit)) != Completion)
        {
            Interrupts.Raise(UnixSignal.SigInt);
            Interrupts.Raise(UnixSignal.SigInt);
            Assert.Fail($"collrun did not finish within {Limit.TotalSeconds} s.\nstdout:\n{StandardOutput.Text}\nstderr:\n{StandardError.Text}");
        }

        return await Completion;
    }

    /// <summary>Lines a rank wrote to one stream, without the prefix.</summary>
    public static string[] RankLines(CapturedOutput stream, int rank)
        => [.. stream.Lines.Where(line => line.StartsWith($"[{rank}] ", StringComparison.Ordinal)).Select(line => line[($"[{rank}] ".Length)..])];

    public void Dispose() => Interrupts.Dispose();
}
