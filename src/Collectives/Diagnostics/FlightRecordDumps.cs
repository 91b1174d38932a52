using System.Runtime.InteropServices;
using Collectives.Execution;
using Microsoft.Extensions.Logging;

namespace Collectives.Diagnostics;

/// <summary>
/// Writes a communicator's flight record to its file (<see cref="FlightRecordFile"/>) when a call
/// fails, and every live communicator's when the process gets SIGTERM or SIGINT: collrun stops the
/// other ranks of a failed job with SIGTERM and forwards a Ctrl-C as SIGINT, and the rank that
/// never reached the failing call (stuck in its own code, say) is the one whose record matters most. Only where a directory was named
/// (<see cref="Bootstrap.LaunchVariables.FlightRecords"/>), so a program outside collrun gets no
/// signal handler from us.
/// </summary>
internal sealed class FlightRecordDumps
{
    private static readonly Lock s_gate = new();
    private static readonly HashSet<FlightRecordDumps> s_live = [];
    private static PosixSignalRegistration[]? s_signals;

    private readonly FlightRecorder _recorder;
    private readonly WaitClock _waits;
    private readonly int _rank;
    private readonly int _size;
    private readonly string _path;
    private readonly ILogger _logger;

    private FlightRecordDumps(FlightRecorder recorder, WaitClock waits, int rank, int size, string path, ILogger logger)
    {
        _recorder = recorder;
        _waits = waits;
        _rank = rank;
        _size = size;
        _path = path;
        _logger = logger;
    }

    /// <summary>Starts dumping a communicator's record into <paramref name="directory"/>; null when there is none or nothing is recorded.</summary>
    public static FlightRecordDumps? Start(string? directory, FlightRecorder recorder, WaitClock waits, int rank, int size, ILogger logger)
    {
        if (directory is null || recorder.Capacity == 0)
        {
            return null;
        }

        var dumps = new FlightRecordDumps(recorder, waits, rank, size, Path.Combine(directory, FlightRecordFile.NameFor(rank)), logger);
        lock (s_gate)
        {
            s_live.Add(dumps);
            s_signals ??= [.. RegisterSignals()];
        }

        return dumps;
    }

    /// <summary>Stops: the communicator is gone, and a later SIGTERM has nothing of it to say.</summary>
    public void Stop()
    {
        lock (s_gate)
        {
            s_live.Remove(this);
        }
    }

    /// <summary>Writes these records to the communicator's file; a failure to write is logged, never thrown over the failure being reported.</summary>
    public void Write(IReadOnlyList<FlightRecord> records)
    {
        try
        {
            FlightRecordFile.Write(_path, _rank, _size, records);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(exception, "Rank {Rank} could not write its flight record to {Path}", _rank, _path);
        }
    }

    private static IEnumerable<PosixSignalRegistration> RegisterSignals()
    {
        foreach (PosixSignal signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT])
        {
            PosixSignalRegistration? registration;
            try
            {
                // The handler does not cancel the signal: the process still ends as asked, after it.
                registration = PosixSignalRegistration.Create(signal, _ => WriteAll());
            }
            catch (PlatformNotSupportedException)
            {
                registration = null;
            }

            if (registration is not null)
            {
                yield return registration;
            }
        }
    }

    private static void WriteAll()
    {
        FlightRecordDumps[] live;
        lock (s_gate)
        {
            live = [.. s_live];
        }

        foreach (FlightRecordDumps dumps in live)
        {
            dumps.Write(dumps._recorder.Snapshot(dumps._waits.CurrentWait));
        }
    }
}
