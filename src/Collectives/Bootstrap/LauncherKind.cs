namespace Collectives.Bootstrap;

/// <summary>Which launcher started this process, as told by the variables it set.</summary>
public enum LauncherKind
{
    /// <summary>Our own <c>collrun</c> (<c>COLLECTIVES_*</c>); it hosts the rendezvous server itself.</summary>
    Collrun,

    /// <summary>Open MPI's <c>mpirun</c>/<c>mpiexec</c> (<c>OMPI_COMM_WORLD_*</c>).</summary>
    OpenMpi,

    /// <summary>MPICH's Hydra <c>mpiexec</c>, or another PMI launcher (<c>PMI_RANK</c>, <c>PMI_SIZE</c>).</summary>
    MpichHydra,

    /// <summary>Slurm's <c>srun</c> (<c>SLURM_PROCID</c>, <c>SLURM_NTASKS</c>).</summary>
    Slurm,

    /// <summary>torchrun, or a Kubernetes training operator such as Kubeflow's PyTorchJob (<c>RANK</c>, <c>WORLD_SIZE</c>).</summary>
    Torchrun,
}
