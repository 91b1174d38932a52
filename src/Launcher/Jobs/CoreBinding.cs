namespace Collectives.Launcher.Jobs;

/// <summary>Whether collrun pins each rank to a processor (<c>--bind-to</c>).</summary>
internal enum CoreBinding
{
    /// <summary>Pin ranks to distinct processors when there are at least as many as ranks, else leave them free (mpirun's default).</summary>
    Auto,

    /// <summary>Pin rank r to the r-th available processor, wrapping around when ranks outnumber them.</summary>
    Core,

    /// <summary>Never pin.</summary>
    None,
}
