using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Collectives.Launcher.Output;
using Collectives.Launcher.Programs;
using Collectives.Launcher.Signals;

namespace Collectives.Launcher.Jobs;

/// <summary>
/// One rank's process: started with its environment, its standard output and error copied line
/// by line with a <c>[rank]</c> prefix, its standard input empty (ranks must not compete for the
/// terminal), and ways to ask it to stop or to kill it.
/// </summary>
internal sealed class RankProcess : IDisposable
{
    // A rank's children may keep its output pipes open after it exits; do not wait on them longer.
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Task _standardOutput;
    private readonly Task _standardError;

    private RankProcess(int rank, Process process, PrefixedOutput output)
    {
        Rank = rank;
        _process = process;
        _standardOutput = PumpAsync(process.StandardOutput, fromStandardError: false, output);
        _standardError = PumpAsync(process.StandardError, fromStandardError: true, output);
        Exited = WaitForExitAsync();
    }

    /// <summary>The rank.</summary>
    public int Rank { get; }

    /// <summary>Completes with the exit code once the process exited and its output was copied.</summary>
    public Task<int> Exited { get; }

    /// <summary>
    /// Starts the rank, pinned to processor <paramref name="core"/> when given; a program that
    /// cannot be started is a <see cref="CollrunException"/>.
    /// </summary>
    public static RankProcess Start(int rank, ProgramCommand command, IReadOnlyDictionary<string, string?> environment, PrefixedOutput output, int? core = null)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new CollrunException($"could not start '{command.FileName}'.", ExitCodes.CannotStart);
        }
        catch (Win32Exception exception)
        {
            throw new CollrunException($"cannot start '{command.FileName}': {exception.Message}.", ExitCodes.CannotStart);
        }

        process.StandardInput.Close();
        if (core is { } processor)
        {
            Pin(process, processor);
        }

        return new RankProcess(rank, process, output);
    }

    /// <summary>
    /// Pins the new process's main thread right after it started, before its runtime creates
    /// other threads (they inherit the mask). Best effort: a rank that already exited, or a
    /// system that refuses, runs unpinned.
    /// </summary>
    private static void Pin(Process process, int processor)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            process.ProcessorAffinity = (nint)(1L << processor);
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // Unpinned is slower, never wrong.
        }
    }

    /// <summary>Asks the rank to stop with a Unix signal (on Windows, which has none to send, kills it).</summary>
    public void Signal(int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill();
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                UnixSignal.Send(_process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the rank and any processes it started.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception)
        {
            // Already gone, or exiting.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private async Task PumpAsync(StreamReader reader, bool fromStandardError, PrefixedOutput output)
    {
        // Own thread-pool task per stream; ReadLineAsync splits on \n, \r\n and \r, and a last
        // line without a newline still comes out at the end.
        await Task.Yield();
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                output.RankLine(Rank, fromStandardError, line);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The pipe broke: nothing more to copy.
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        Task drained = Task.WhenAll(_standardOutput, _standardError);
        await Task.WhenAny(drained, Task.Delay(OutputDrainLimit)).ConfigureAwait(false);
        return _process.ExitCode;
    }
}
