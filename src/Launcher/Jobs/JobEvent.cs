namespace Collectives.Launcher.Jobs;

/// <summary>Something the job supervisor reacts to; all of them go through one queue, so its state needs no locks.</summary>
internal abstract record JobEvent
{
    /// <summary>A rank's process ended.</summary>
    public sealed record RankExited(int Rank, int ExitCode) : JobEvent;

    /// <summary>collrun received a stop request (a Unix signal number).</summary>
    public sealed record Interrupted(int Signal) : JobEvent;

    /// <summary>Ranks asked to stop have had their grace period.</summary>
    public sealed record GraceExpired : JobEvent;
}
