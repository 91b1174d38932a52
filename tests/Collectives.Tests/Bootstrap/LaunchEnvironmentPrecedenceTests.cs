using Collectives.Bootstrap;

namespace Collectives.Tests.Bootstrap;

public class LaunchEnvironmentPrecedenceTests
{
    private static readonly (string, string)[] Rendezvous = [("MASTER_ADDR", "m"), ("MASTER_PORT", "9000")];

    [Test]
    public void Collrun_wins_over_another_launcher_that_agrees()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "1"), ("COLLECTIVES_SIZE", "2"), ("COLLECTIVES_RENDEZVOUS", "127.0.0.1:5000"),
            ("OMPI_COMM_WORLD_RANK", "1"), ("OMPI_COMM_WORLD_SIZE", "2")));

        Assert.That(info.Launcher, Is.EqualTo(LauncherKind.Collrun));
        Assert.That(info.HostsRendezvous, Is.False);
    }

    [Test]
    public void Open_mpi_wins_over_slurm_and_torchrun()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of([
            ("OMPI_COMM_WORLD_RANK", "3"), ("OMPI_COMM_WORLD_SIZE", "4"),
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "1"), ("RANK", "0"), ("WORLD_SIZE", "1"), .. Rendezvous]));

        Assert.That((info.Launcher, info.Rank, info.Size), Is.EqualTo((LauncherKind.OpenMpi, 3, 4)));
    }

    [Test]
    public void Mpich_wins_over_slurm()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of([("PMI_RANK", "1"), ("PMI_SIZE", "2"), ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "1"), .. Rendezvous]));

        Assert.That((info.Launcher, info.Rank), Is.EqualTo((LauncherKind.MpichHydra, 1)));
    }

    [Test]
    public void Slurm_wins_over_torchrun()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of([("SLURM_PROCID", "2"), ("SLURM_NTASKS", "3"), ("RANK", "0"), ("WORLD_SIZE", "1"), .. Rendezvous]));

        Assert.That((info.Launcher, info.Rank), Is.EqualTo((LauncherKind.Slurm, 2)));
    }

    [Test]
    public void An_incomplete_earlier_launcher_is_an_error_not_a_fall_through()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([
            ("OMPI_COMM_WORLD_RANK", "1"), ("SLURM_PROCID", "1"), ("SLURM_NTASKS", "2"), .. Rendezvous])));

        Assert.That(error!.Message, Does.Contain("OMPI_COMM_WORLD_RANK").And.Contain("OMPI_COMM_WORLD_SIZE is not"));
    }

    [Test]
    public void The_variables_collrun_strips_are_exactly_the_other_launchers_rank_size_and_local_rank()
    {
        Assert.That(LaunchVariables.OtherLaunchersRankVariables, Is.EquivalentTo(new[]
        {
            "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID",
            "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "RANK", "WORLD_SIZE", "LOCAL_RANK",
        }));
    }
}
