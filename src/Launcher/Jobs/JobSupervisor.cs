using System.Globalization;
using System.Threading.Channels;
using Collectives.Launcher.Output;
using Collectives.Launcher.Signals;

namespace Collectives.Launcher.Jobs;

/// <summary>
/// Watches the running ranks until all have ended. The first rank to fail (a non-zero exit
/// code, a crash) is reported and the others are asked to stop (SIGTERM), then killed after the
/// grace period. A stop request to collrun (Ctrl-C, SIGTERM) is forwarded to every rank the same
/// way; a second one kills them at once. The result is the first non-zero exit code seen, else
/// 128 + the signal if collrun was interrupted, else 0.
/// </summary>
internal sealed class JobSupervisor
{
    // By the job's rank: across nodes a collrun's ranks do not start at 0.
    private readonly Dictionary<int, RankProcess> _ranks;
    private readonly PrefixedOutput _output;
    private readonly TimeSpan _gracePeriod;
    private readonly Channel<JobEvent> _events = Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SortedSet<int> _running;
    private int? _firstFailure;
    private int? _interruptSignal;
    private bool _stopping;

    public JobSupervisor(IReadOnlyList<RankProcess> ranks, PrefixedOutput output, TimeSpan gracePeriod)
    {
        _ranks = ranks.ToDictionary(rank => rank.Rank);
        _output = output;
        _gracePeriod = gracePeriod;
        _running = [.. ranks.Select(rank => rank.Rank)];
        foreach (RankProcess rank in ranks)
        {
            _ = rank.Exited.ContinueWith(
                // Waiting for a process does not fail; if it ever did, the rank still counts as ended (failed).
                exited => _events.Writer.TryWrite(new JobEvent.RankExited(rank.Rank, exited.IsCompletedSuccessfully ? exited.Result : ExitCodes.Failure)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Queues a stop request; safe from any thread (signal handlers call it).</summary>
    public void Interrupt(int signal) => _events.Writer.TryWrite(new JobEvent.Interrupted(signal));

    /// <summary>Stops every rank because collrun cannot go on (a later rank could not start).</summary>
    public void Abort() => AskToStop(UnixSignal.SigTerm);

    /// <summary>Runs until every rank has ended; returns collrun's exit code.</summary>
    public async Task<int> SuperviseAsync()
    {
        try
        {
            while (_running.Count > 0)
            {
                switch (await _events.Reader.ReadAsync().ConfigureAwait(false))
                {
                    case JobEvent.RankExited exited:
                        OnRankExited(exited.Rank, exited.ExitCode);
                        break;
                    case JobEvent.Interrupted interrupted:
                        OnInterrupted(interrupted.Signal);
                        break;
                    case JobEvent.GraceExpired:
                        OnGraceExpired();
                        break;
                }
            }
        }
        finally
        {
            // Whatever went wrong in here, no rank outlives collrun.
            foreach (int rank in _running)
            {
                _ranks[rank].Kill();
            }
        }

        return _firstFailure ?? (_interruptSignal is { } signal ? ExitCodes.ForSignal(signal) : 0);
    }

    private void OnRankExited(int rank, int exitCode)
    {
        _running.Remove(rank);
        if (exitCode == 0)
        {
            return;
        }

        bool first = _firstFailure is null;
        _firstFailure ??= exitCode;

        // Ranks that end because collrun stopped them are not news; the first failure is.
        if (first && !_stopping)
        {
            string others = _running.Count switch
            {
                0 => ".",
                1 => "; stopping the other rank.",
                int count => $"; stopping the other {count} ranks.",
            };
            _output.Message($"rank {rank} {ExitDescription.Of(exitCode)}{others}");
            AskToStop(UnixSignal.SigTerm);
        }
    }

    private void OnInterrupted(int signal)
    {
        string name = UnixSignal.Name(signal) ?? signal.ToString(CultureInfo.InvariantCulture);
        if (_interruptSignal is null)
        {
            _interruptSignal = signal;
            _output.Message($"received {name}; forwarding it to {Describe(_running)} (killed if still running after {_gracePeriod.TotalSeconds:0.###} s; {name} again kills at once).");
            AskToStop(signal);
        }
        else
        {
            _output.Message($"received {name} again; killing {Describe(_running)}.");
            KillRunning();
        }
    }

    private void OnGraceExpired()
    {
        if (_running.Count > 0)
        {
            _output.Message($"{Describe(_running)} still running {_gracePeriod.TotalSeconds:0.###} s after being asked to stop; killing.");
            KillRunning();
        }
    }

    private void AskToStop(int signal)
    {
        _stopping = true;
        if (_running.Count == 0)
        {
            return;
        }

        foreach (int rank in _running)
        {
            _ranks[rank].Signal(signal);
        }

        _ = Task.Delay(_gracePeriod).ContinueWith(
            _ => _events.Writer.TryWrite(new JobEvent.GraceExpired()),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void KillRunning()
    {
        foreach (int rank in _running)
        {
            _ranks[rank].Kill();
        }
    }

    private static string Describe(IReadOnlyCollection<int> ranks) => ranks.Count switch
    {
        0 => "no running rank",
        1 => $"rank {ranks.First()}",
        _ => $"ranks {string.Join(", ", ranks)}",
    };
}
