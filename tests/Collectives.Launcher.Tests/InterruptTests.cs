using System.Diagnostics;
using Collectives.Launcher.Signals;
using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class InterruptTests
{
    [TestCase(UnixSignal.SigInt, "SIGINT", 130)]
    [TestCase(UnixSignal.SigTerm, "SIGTERM", 143)]
    public async Task A_real_signal_to_collrun_is_forwarded_to_every_rank_and_collrun_waits_for_them(int signal, string name, int expectedExit)
    {
        string collrun = Path.Combine(AppContext.BaseDirectory, "collrun.dll");

        // collrun starts with SIGINT at its default disposition, as from a terminal. A test run
        // started in the background by a non-interactive shell inherits SIGINT ignored (so that
        // Ctrl-C does not reach it), and an ignored SIGINT stays ignored across exec: collrun would
        // then, rightly, never see it. env resets it for collrun alone.
        var startInfo = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        foreach (string argument in (string[])["--default-signal=INT", dotnet, collrun, "-n", "3", "--", CollrunRun.TestProgram, "trap", "sleep", "60"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo)!;
        var standardOutput = new CapturedOutput();
        var standardError = new CapturedOutput();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { standardOutput.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { standardError.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            bool ready = await standardOutput.WaitUntilAsync(text => text.Split('\n').Count(line => line.EndsWith("] ready", StringComparison.Ordinal)) == 3, CollrunRun.Limit);
            Assert.That(ready, Is.True, "the ranks never got ready:\n" + standardOutput.Text + standardError.Text);

            Assert.That(UnixSignal.Send(process.Id, signal), Is.True);
            using var timeout = new CancellationTokenSource(CollrunRun.Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // WaitForExitAsync also waits for the end of the redirected output, which a process
                // that inherited collrun's pipes could hold open: say which it was.
                Assert.Fail($"collrun did not finish within {CollrunRun.Limit.TotalSeconds} s of {name} (its process has {(process.HasExited ? "exited, but its output is still open" : "not exited")}).\nstdout:\n{standardOutput.Text}\nstderr:\n{standardError.Text}");
            }

            process.WaitForExit();

            Assert.That(process.ExitCode, Is.EqualTo(expectedExit), standardError.Text);
            for (int rank = 0; rank < 3; rank++)
            {
                Assert.That(CollrunRun.RankLines(standardOutput, rank), Is.EqualTo(new[] { "ready", $"got {name}" }));
            }

            Assert.That(standardError.Text, Does.Contain($"collrun: received {name}; forwarding it to ranks 0, 1, 2"));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Test]
    public async Task Ranks_that_ignore_an_interrupt_are_killed_after_the_grace_period()
    {
        using CollrunRun run = CollrunRun.Start("-n", "2", "--grace-period", "0.5", "--", CollrunRun.TestProgram, "ignore-signals", "sleep", "60");
        Assert.That(await run.StandardOutput.WaitUntilAsync(text => text.Split('\n').Count(line => line.EndsWith("] ready", StringComparison.Ordinal)) == 2, CollrunRun.Limit), Is.True);

        run.Interrupts.Raise(UnixSignal.SigInt);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(137));
        Assert.That(run.StandardError.Text, Does.Contain("ranks 0, 1 still running 0.5 s after being asked to stop; killing."));
    }

    [Test]
    public async Task A_second_interrupt_kills_at_once()
    {
        using CollrunRun run = CollrunRun.Start("-n", "2", "--grace-period", "30", "--", CollrunRun.TestProgram, "ignore-signals", "sleep", "60");
        Assert.That(await run.StandardOutput.WaitUntilAsync(text => text.Split('\n').Count(line => line.EndsWith("] ready", StringComparison.Ordinal)) == 2, CollrunRun.Limit), Is.True);
        var clock = Stopwatch.StartNew();

        run.Interrupts.Raise(UnixSignal.SigInt);
        await Task.Delay(200);
        run.Interrupts.Raise(UnixSignal.SigInt);

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(137));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the second interrupt waited for the 30 s grace period");
        Assert.That(run.StandardError.Text, Does.Contain("received SIGINT again; killing ranks 0, 1."));
    }
}
