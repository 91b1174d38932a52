namespace Collectives.Bootstrap;

/// <summary>
/// The variables another launcher sets for each process it starts, in the order bootstrap tries
/// them. Plain data, so a new launcher is one more row, not one more branch.
/// </summary>
/// <param name="Kind">Which launcher.</param>
/// <param name="DisplayName">How error messages name it.</param>
/// <param name="RankVariable">Its rank variable.</param>
/// <param name="SizeVariable">Its size variable.</param>
/// <param name="LocalRankVariable">Its local-rank variable (optional in the environment; 0 when absent).</param>
/// <param name="ReadJobId">The launcher's own job identifier, or null when it exports none.</param>
/// <param name="ReadFirstHost">
/// The host of rank 0 as the launcher describes the job (Slurm's node list, mpirun's host file),
/// where the rendezvous is hosted when no MASTER_ADDR says otherwise; null when it does not say.
/// </param>
internal sealed record ForeignLauncher(
    LauncherKind Kind,
    string DisplayName,
    string RankVariable,
    string SizeVariable,
    string LocalRankVariable,
    Func<Func<string, string?>, string?> ReadJobId,
    Func<Func<string, string?>, string?>? ReadFirstHost = null)
{
    /// <summary>Open MPI, MPICH Hydra, Slurm, torchrun: the order in which they are tried after collrun.</summary>
    public static readonly IReadOnlyList<ForeignLauncher> InPrecedenceOrder =
    [
        // PMIX_NAMESPACE names the job under Open MPI 5 (and 4 with PMIx); older releases give
        // the job id, or at least mpirun's contact URI, which every rank of one mpirun shares.
        new(LauncherKind.OpenMpi, "Open MPI mpirun", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
            variable => Prefixed("openmpi", variable("PMIX_NAMESPACE") ?? variable("OMPI_MCA_ess_base_jobid") ?? variable("OMPI_MCA_orte_hnp_uri")),
            OpenMpiFirstHost),

        // Hydra exports no job identifier of its own; PMIx and Slurm's PMI-2 plugin do.
        new(LauncherKind.MpichHydra, "MPICH Hydra mpiexec (PMI)", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID",
            variable => Prefixed("pmi", variable("PMIX_NAMESPACE") ?? variable("PMI_JOBID"))),

        // The step id tells apart several sruns inside one allocation.
        new(LauncherKind.Slurm, "Slurm srun", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID",
            variable => variable("SLURM_JOB_ID") is { } job
                ? variable("SLURM_STEP_ID") is { } step ? $"slurm-{job}.{step}" : $"slurm-{job}"
                : null,
            SlurmFirstHost),

        // torchrun's default rendezvous id is the literal "none": not an identifier.
        new(LauncherKind.Torchrun, "torchrun / Kubernetes training operator", "RANK", "WORLD_SIZE", "LOCAL_RANK",
            variable => variable("TORCHELASTIC_RUN_ID") is { } run && run != "none" ? $"torchrun-{run}" : null),
    ];

    /// <summary>Every variable <see cref="ReadJobId"/> may read, for documentation and tests.</summary>
    public static readonly IReadOnlyList<string> JobIdVariables =
        ["PMIX_NAMESPACE", "OMPI_MCA_ess_base_jobid", "OMPI_MCA_orte_hnp_uri", "PMI_JOBID", "SLURM_JOB_ID", "SLURM_STEP_ID", "TORCHELASTIC_RUN_ID"];

    /// <summary>The variables that hold Slurm's node list, the step's first (task 0 runs on its first node).</summary>
    public static readonly IReadOnlyList<string> SlurmNodeListVariables = ["SLURM_STEP_NODELIST", "SLURM_JOB_NODELIST", "SLURM_NODELIST"];

    private static string? SlurmFirstHost(Func<string, string?> variable)
    {
        foreach (string name in SlurmNodeListVariables)
        {
            if (variable(name) is { } list)
            {
                try
                {
                    return SlurmNodeList.First(list);
                }
                catch (FormatException exception)
                {
                    throw new BootstrapException($"Slurm srun: {name}='{list}' cannot be read: {exception.Message}", [name]);
                }
            }
        }

        return null;
    }

    /// <summary>Every rank on one host needs no address from anywhere; otherwise the host file mpirun was given names rank 0's host first.</summary>
    private static string? OpenMpiFirstHost(Func<string, string?> variable)
    {
        if (variable("OMPI_COMM_WORLD_LOCAL_SIZE") is { } local && local == variable("OMPI_COMM_WORLD_SIZE"))
        {
            return "127.0.0.1";
        }

        if (MpiHostFile.PathFrom(variable) is not { } path)
        {
            return null;
        }

        try
        {
            return MpiHostFile.FirstHost(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new BootstrapException($"Open MPI mpirun: the host file '{path}' cannot be read ({exception.Message}); set MASTER_ADDR and MASTER_PORT instead.", [.. MpiHostFile.Variables]);
        }
    }

    private static string? Prefixed(string prefix, string? id) => id is null ? null : $"{prefix}-{id}";
}
