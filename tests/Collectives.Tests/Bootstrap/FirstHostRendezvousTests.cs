using Collectives.Bootstrap;

namespace Collectives.Tests.Bootstrap;

/// <summary>
/// Without MASTER_ADDR, Slurm's node list and mpirun's host file name rank 0's host, where the
/// rendezvous is hosted, on MASTER_PORT or a port every rank derives from the job id.
/// </summary>
public class FirstHostRendezvousTests
{
    [Test]
    public void Under_Slurm_the_first_node_of_the_steps_list_hosts_the_rendezvous()
    {
        LaunchInfo launch = LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "3"), ("SLURM_NTASKS", "8"), ("SLURM_JOB_ID", "4242"), ("SLURM_STEP_ID", "0"),
            ("SLURM_JOB_NODELIST", "cn[01-08]"), ("SLURM_STEP_NODELIST", "cn[03-04]"), ("MASTER_PORT", "4000")));

        Assert.That((launch.RendezvousHost, launch.RendezvousPort), Is.EqualTo(("cn03", 4000)));
    }

    [Test]
    public void Without_MASTER_PORT_every_rank_derives_the_same_port_from_the_job_id()
    {
        (string, string)[] job = [("SLURM_NTASKS", "2"), ("SLURM_JOB_ID", "4242"), ("SLURM_STEP_ID", "0"), ("SLURM_JOB_NODELIST", "cn[01-02]")];

        LaunchInfo first = LaunchEnvironment.Detect(Env.Of([.. job, ("SLURM_PROCID", "0")]));
        LaunchInfo second = LaunchEnvironment.Detect(Env.Of([.. job, ("SLURM_PROCID", "1")]));

        Assert.That(first.RendezvousPort, Is.EqualTo(second.RendezvousPort).And.InRange(20000, 39999));
        Assert.That(first.RendezvousHost, Is.EqualTo("cn01"));
    }

    [Test]
    public void MASTER_ADDR_wins_over_the_node_list()
    {
        LaunchInfo launch = LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("SLURM_JOB_NODELIST", "cn[01-02]"), ("MASTER_ADDR", "head"), ("MASTER_PORT", "4000")));

        Assert.That(launch.RendezvousHost, Is.EqualTo("head"));
    }

    [Test]
    public void A_malformed_node_list_is_refused_naming_its_variable()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("SLURM_JOB_NODELIST", "cn[01-02"))));

        Assert.That(error!.Variables, Is.EqualTo(new[] { "SLURM_JOB_NODELIST" }));
        Assert.That(error.Message, Does.StartWith("Slurm srun: SLURM_JOB_NODELIST='cn[01-02' cannot be read"));
    }

    [Test]
    public void Under_mpirun_the_first_host_of_its_host_file_hosts_the_rendezvous()
    {
        string hostFile = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(hostFile, ["# written by mpi-operator", "", "job-worker-0.job.default.svc slots=4", "job-worker-1.job.default.svc slots=4"]);

            LaunchInfo launch = LaunchEnvironment.Detect(Env.Of(
                ("OMPI_COMM_WORLD_RANK", "5"), ("OMPI_COMM_WORLD_SIZE", "8"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4"),
                ("OMPI_MCA_orte_default_hostfile", hostFile), ("MASTER_PORT", "4000")));

            Assert.That((launch.RendezvousHost, launch.RendezvousPort), Is.EqualTo(("job-worker-0.job.default.svc", 4000)));
        }
        finally
        {
            File.Delete(hostFile);
        }
    }

    [Test]
    public void Under_mpirun_with_every_rank_on_one_host_the_rendezvous_is_on_loopback()
    {
        LaunchInfo launch = LaunchEnvironment.Detect(Env.Of(
            ("OMPI_COMM_WORLD_RANK", "1"), ("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4"), ("MASTER_PORT", "4000")));

        Assert.That(launch.RendezvousHost, Is.EqualTo("127.0.0.1"));
    }

    [TestCase("host-a slots=2", "host-a")]
    [TestCase("host-b:4", "host-b")]
    [TestCase("  host-c\tmax_slots=8 # comment", "host-c")]
    public void A_host_file_line_names_its_host_first(string line, string host)
    {
        string hostFile = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(hostFile, [line, "other slots=1"]);

            Assert.That(MpiHostFile.FirstHost(hostFile), Is.EqualTo(host));
        }
        finally
        {
            File.Delete(hostFile);
        }
    }
}
