using System.Net;
using Collectives.Bootstrap;

namespace Collectives.Tests.Bootstrap;

public class LaunchEnvironmentDetectionTests
{
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";

    [Test]
    public void Collrun_variables_give_rank_size_rendezvous_and_credentials_and_no_rank_hosts()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "2"), ("COLLECTIVES_SIZE", "4"), ("COLLECTIVES_LOCAL_RANK", "2"),
            ("COLLECTIVES_RENDEZVOUS", "127.0.0.1:40123"), ("COLLECTIVES_JOB_ID", "job-7"),
            ("COLLECTIVES_SECRET", Secret), ("COLLECTIVES_TRANSPORT", "tcp")));

        Assert.That(info, Is.EqualTo(new LaunchInfo(LauncherKind.Collrun, 2, 4, 2, "127.0.0.1", 40123, false, "job-7", Secret, "tcp")));
        Assert.That(info.RendezvousEndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 40123)));
        Assert.That(info.CreateCredentials().SecretToBase64(), Is.EqualTo(Secret));
        Assert.That(info.CreateCredentials().JobId, Is.EqualTo("job-7"));
        Assert.That(info.IsSecretDerived, Is.False);
    }

    [Test]
    public void Collrun_rank_zero_does_not_host_either()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "0"), ("COLLECTIVES_SIZE", "1"), ("COLLECTIVES_RENDEZVOUS", "localhost:5000")));

        Assert.That(info.HostsRendezvous, Is.False);
        Assert.That(info.LocalRank, Is.Zero);
        Assert.That(info.Transport, Is.Null);
    }

    [Test]
    public void Open_mpi_variables_with_master_address_make_rank_zero_host()
    {
        var common = new[]
        {
            ("OMPI_COMM_WORLD_SIZE", "8"), ("MASTER_ADDR", "node001"), ("MASTER_PORT", "29500"),
            ("PMIX_NAMESPACE", "prterun-node001-4242@1"),
        };

        LaunchInfo rank0 = LaunchEnvironment.Detect(Env.Of([.. common, ("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_LOCAL_RANK", "0")]));
        LaunchInfo rank5 = LaunchEnvironment.Detect(Env.Of([.. common, ("OMPI_COMM_WORLD_RANK", "5"), ("OMPI_COMM_WORLD_LOCAL_RANK", "1")]));

        Assert.That(rank0, Is.EqualTo(new LaunchInfo(LauncherKind.OpenMpi, 0, 8, 0, "node001", 29500, true, "openmpi-prterun-node001-4242@1", null, null)));
        Assert.That(rank5, Is.EqualTo(new LaunchInfo(LauncherKind.OpenMpi, 5, 8, 1, "node001", 29500, false, "openmpi-prterun-node001-4242@1", null, null)));
        Assert.That(rank0.RendezvousEndPoint, Is.EqualTo(new DnsEndPoint("node001", 29500)));
    }

    [Test]
    public void Older_open_mpi_is_identified_by_its_hnp_uri()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("OMPI_COMM_WORLD_RANK", "1"), ("OMPI_COMM_WORLD_SIZE", "2"), ("OMPI_MCA_orte_hnp_uri", "3105751040.0;tcp://10.0.0.5:41234"),
            ("COLLECTIVES_RENDEZVOUS", "10.0.0.5:29500")));

        Assert.That(info.JobId, Is.EqualTo("openmpi-3105751040.0;tcp://10.0.0.5:41234"));
        Assert.That(info.RendezvousHost, Is.EqualTo("10.0.0.5"));
    }

    [Test]
    public void Mpich_hydra_reads_pmi_variables_and_its_local_rank_id()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("PMI_RANK", "3"), ("PMI_SIZE", "4"), ("MPI_LOCALRANKID", "1"), ("MASTER_ADDR", "10.1.2.3"), ("MASTER_PORT", "6000")));

        Assert.That(info, Is.EqualTo(new LaunchInfo(LauncherKind.MpichHydra, 3, 4, 1, "10.1.2.3", 6000, false, "mpichhydra-10.1.2.3:6000-n4", null, null)));
    }

    [Test]
    public void Mpich_hydra_without_a_local_rank_id_means_local_rank_zero()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(("PMI_RANK", "3"), ("PMI_SIZE", "4"), ("COLLECTIVES_RENDEZVOUS", "h:1")));

        Assert.That(info.LocalRank, Is.Zero);
    }

    [Test]
    public void Slurm_variables_give_rank_local_rank_and_a_job_id_with_the_step()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "6"), ("SLURM_NTASKS", "16"), ("SLURM_LOCALID", "2"), ("SLURM_JOB_ID", "81234"), ("SLURM_STEP_ID", "3"),
            ("MASTER_ADDR", "cn042"), ("MASTER_PORT", "29400")));

        Assert.That(info, Is.EqualTo(new LaunchInfo(LauncherKind.Slurm, 6, 16, 2, "cn042", 29400, false, "slurm-81234.3", null, null)));
    }

    [Test]
    public void Torchrun_variables_give_rank_world_size_local_rank_and_master_address()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("RANK", "0"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "0"), ("MASTER_ADDR", "train-master-0.train"), ("MASTER_PORT", "23456"),
            ("TORCHELASTIC_RUN_ID", "run-99")));

        Assert.That(info, Is.EqualTo(new LaunchInfo(LauncherKind.Torchrun, 0, 2, 0, "train-master-0.train", 23456, true, "torchrun-run-99", null, null)));
    }

    [Test]
    public void Torchruns_default_run_id_none_is_not_taken_for_a_job_id()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("RANK", "1"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "m"), ("MASTER_PORT", "1234"), ("TORCHELASTIC_RUN_ID", "none")));

        Assert.That(info.JobId, Is.EqualTo("torchrun-m:1234-n2"));
    }

    [Test]
    public void Collectives_rendezvous_overrides_master_address_under_other_launchers()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("MASTER_ADDR", "ignored"), ("MASTER_PORT", "1"),
            ("COLLECTIVES_RENDEZVOUS", "[fd00::5]:7000")));

        Assert.That(info.RendezvousHost, Is.EqualTo("fd00::5"));
        Assert.That(info.RendezvousPort, Is.EqualTo(7000));
        Assert.That(info.RendezvousEndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse("fd00::5"), 7000)));
        Assert.That(info.HostsRendezvous, Is.True);
    }

    [Test]
    public void Collectives_job_id_overrides_the_launchers_own()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("SLURM_JOB_ID", "5"), ("COLLECTIVES_RENDEZVOUS", "h:1"), ("COLLECTIVES_JOB_ID", "mine")));

        Assert.That(info.JobId, Is.EqualTo("mine"));
    }

    [Test]
    public void Blank_and_padded_values_are_read_as_unset_and_trimmed()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", " "), ("COLLECTIVES_SIZE", ""), ("RANK", " 1\n"), ("WORLD_SIZE", "2 "), ("MASTER_ADDR", " m "), ("MASTER_PORT", "80")));

        Assert.That(info.Launcher, Is.EqualTo(LauncherKind.Torchrun));
        Assert.That((info.Rank, info.Size, info.RendezvousHost), Is.EqualTo((1, 2, "m")));
    }

    [TestCase("127.0.0.1", "127.0.0.1")]
    [TestCase("127.0.1.1", "127.0.1.1")]
    [TestCase("::1", "::1")]
    public void A_loopback_rendezvous_is_hosted_on_loopback(string host, string expectedBind)
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(("RANK", "0"), ("WORLD_SIZE", "1"), ("MASTER_ADDR", host), ("MASTER_PORT", "4000")));

        Assert.That(info.RendezvousBindEndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse(expectedBind), 4000)));
    }

    [TestCase("job-0.job-svc")]
    [TestCase("localhost")]
    [TestCase("10.1.2.3")]
    public void A_named_or_non_loopback_rendezvous_host_is_hosted_on_every_interface(string host)
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(("RANK", "0"), ("WORLD_SIZE", "1"), ("MASTER_ADDR", host), ("MASTER_PORT", "4000")));

        Assert.That(info.RendezvousBindEndPoint.Address, Is.AnyOf(IPAddress.Any, IPAddress.IPv6Any));
        Assert.That(info.RendezvousBindEndPoint.Port, Is.EqualTo(4000));
    }
}
