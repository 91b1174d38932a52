using Collectives.Bootstrap;

namespace Collectives.Tests.Bootstrap;

public class LaunchEnvironmentErrorTests
{
    private static readonly (string, string)[] Rendezvous = [("MASTER_ADDR", "m"), ("MASTER_PORT", "9000")];

    private static IEnumerable<TestCaseData> RankAndSizeVariables()
    {
        yield return new TestCaseData("COLLECTIVES_RANK", "COLLECTIVES_SIZE").SetArgDisplayNames("collrun");
        yield return new TestCaseData("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE").SetArgDisplayNames("openmpi");
        yield return new TestCaseData("PMI_RANK", "PMI_SIZE").SetArgDisplayNames("mpich");
        yield return new TestCaseData("SLURM_PROCID", "SLURM_NTASKS").SetArgDisplayNames("slurm");
        yield return new TestCaseData("RANK", "WORLD_SIZE").SetArgDisplayNames("torchrun");
    }

    [Test]
    public void No_launcher_names_every_variable_pair_it_looked_for()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("PATH", "/usr/bin"))));

        string[] all = ["COLLECTIVES_RANK", "COLLECTIVES_SIZE", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE", "SLURM_PROCID", "SLURM_NTASKS", "RANK", "WORLD_SIZE"];
        Assert.That(error!.Message, Does.StartWith("No launcher detected"));
        foreach (string variable in all)
        {
            Assert.That(error.Message, Does.Contain(variable));
        }

        Assert.That(error.Variables, Is.EquivalentTo(all));
    }

    [TestCaseSource(nameof(RankAndSizeVariables))]
    public void A_rank_without_a_size_names_both(string rankVariable, string sizeVariable)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([(rankVariable, "1"), .. Rendezvous])));

        Assert.That(error!.Message, Does.Contain($"{rankVariable} is set ('1') but {sizeVariable} is not"));
        Assert.That(error.Variables, Is.EquivalentTo(new[] { rankVariable, sizeVariable }));
    }

    [TestCaseSource(nameof(RankAndSizeVariables))]
    public void A_size_without_a_rank_names_both(string rankVariable, string sizeVariable)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([(sizeVariable, "4"), .. Rendezvous])));

        Assert.That(error!.Message, Does.Contain($"{sizeVariable} is set ('4') but {rankVariable} is not"));
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase("1.5")]
    [TestCase("99999999999")]
    public void A_rank_that_is_not_a_non_negative_integer_is_refused(string rank)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("SLURM_PROCID", rank), ("SLURM_NTASKS", "4"), .. Rendezvous])));

        Assert.That(error!.Message, Is.EqualTo($"Slurm srun: SLURM_PROCID='{rank}' is not a non-negative integer."));
    }

    [Test]
    public void A_non_numeric_size_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("RANK", "0"), ("WORLD_SIZE", "four"), .. Rendezvous])));

        Assert.That(error!.Message, Does.Contain("WORLD_SIZE='four' is not a non-negative integer"));
    }

    [Test]
    public void A_size_of_zero_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("PMI_RANK", "0"), ("PMI_SIZE", "0"), .. Rendezvous])));

        Assert.That(error!.Message, Does.Contain("PMI_SIZE=0 must be at least 1"));
    }

    [Test]
    public void A_rank_not_below_the_size_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("OMPI_COMM_WORLD_RANK", "4"), ("OMPI_COMM_WORLD_SIZE", "4"), .. Rendezvous])));

        Assert.That(error!.Message, Is.EqualTo("Open MPI mpirun: OMPI_COMM_WORLD_RANK=4 is not below OMPI_COMM_WORLD_SIZE=4 (ranks are 0 to 3)."));
    }

    [Test]
    public void A_bad_local_rank_is_refused()
    {
        BootstrapException? tooLarge = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("SLURM_LOCALID", "2"), .. Rendezvous])));
        BootstrapException? garbage = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of([("RANK", "0"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "x"), .. Rendezvous])));

        Assert.That(tooLarge!.Message, Does.Contain("SLURM_LOCALID=2 is not below SLURM_NTASKS=2"));
        Assert.That(garbage!.Message, Does.Contain("LOCAL_RANK='x' is not a non-negative integer"));
    }

    [Test]
    public void Collrun_rank_disagreeing_with_another_launchers_rank_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "1"), ("COLLECTIVES_SIZE", "4"), ("COLLECTIVES_RENDEZVOUS", "h:1"),
            ("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "4"))));

        Assert.That(error!.Message, Does.Contain("COLLECTIVES_RANK=1 disagrees with OMPI_COMM_WORLD_RANK=0 set by Open MPI mpirun"));
        Assert.That(error.Variables, Is.EquivalentTo(new[] { "COLLECTIVES_RANK", "OMPI_COMM_WORLD_RANK" }));
    }

    [Test]
    public void Collrun_size_disagreeing_with_another_launchers_size_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "0"), ("COLLECTIVES_SIZE", "4"), ("COLLECTIVES_RENDEZVOUS", "h:1"),
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "1"))));

        Assert.That(error!.Message, Does.Contain("COLLECTIVES_SIZE=4 disagrees with SLURM_NTASKS=1 set by Slurm srun"));
    }

    [Test]
    public void A_stray_generic_rank_variable_alone_does_not_contradict_collrun()
    {
        LaunchInfo info = LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "1"), ("COLLECTIVES_SIZE", "2"), ("COLLECTIVES_RENDEZVOUS", "h:1"), ("RANK", "7")));

        Assert.That(info.Rank, Is.EqualTo(1));
    }

    [Test]
    public void Collrun_variables_without_the_rendezvous_address_are_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("COLLECTIVES_RANK", "0"), ("COLLECTIVES_SIZE", "2"))));

        Assert.That(error!.Message, Does.Contain("COLLECTIVES_RENDEZVOUS").And.Contain("is not"));
        Assert.That(error.Variables, Does.Contain("COLLECTIVES_RENDEZVOUS"));
    }

    [TestCase("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "Open MPI mpirun")]
    [TestCase("PMI_RANK", "PMI_SIZE", "MPICH Hydra mpiexec (PMI)")]
    [TestCase("SLURM_PROCID", "SLURM_NTASKS", "Slurm srun")]
    [TestCase("RANK", "WORLD_SIZE", "torchrun / Kubernetes training operator")]
    public void Another_launcher_without_a_rendezvous_address_names_the_variables_to_set(string rankVariable, string sizeVariable, string launcher)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of((rankVariable, "0"), (sizeVariable, "2"))));

        Assert.That(error!.Message, Does.StartWith($"{launcher} gives rank and size ({rankVariable}, {sizeVariable}) but no rendezvous address"));
        Assert.That(error.Message, Does.Contain("COLLECTIVES_RENDEZVOUS").And.Contain("MASTER_ADDR").And.Contain("MASTER_PORT"));
        Assert.That(error.Variables, Is.EquivalentTo(new[] { "COLLECTIVES_RENDEZVOUS", "MASTER_ADDR", "MASTER_PORT" }));
    }

    [Test]
    public void Master_address_without_master_port_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("RANK", "0"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "m"))));

        Assert.That(error!.Message, Does.Contain("MASTER_ADDR is set but MASTER_PORT is not"));
    }

    [Test]
    public void Master_port_without_master_address_is_refused()
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("RANK", "0"), ("WORLD_SIZE", "2"), ("MASTER_PORT", "80"))));

        Assert.That(error!.Message, Does.Contain("MASTER_PORT is set but MASTER_ADDR is not"));
    }

    [TestCase("http")]
    [TestCase("0")]
    [TestCase("65536")]
    public void A_master_port_that_is_not_a_port_is_refused(string port)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("RANK", "0"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "m"), ("MASTER_PORT", port))));

        Assert.That(error!.Message, Does.Contain($"MASTER_PORT='{port}' is not a port number (1-65535)"));
    }

    [TestCase("node001", "has no :port")]
    [TestCase(":29500", "the host is empty")]
    [TestCase("node001:http", "'http' is not a port number")]
    [TestCase("fd00::1:29500", "must be written in brackets")]
    [TestCase("[fd00::1]29500", "must be followed by :port")]
    public void A_malformed_rendezvous_address_is_refused_with_the_reason(string address, string reason)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(("COLLECTIVES_RANK", "0"), ("COLLECTIVES_SIZE", "1"), ("COLLECTIVES_RENDEZVOUS", address))));

        Assert.That(error!.Message, Does.StartWith($"COLLECTIVES_RENDEZVOUS='{address}' is not host:port").And.Contain(reason));
    }

    [TestCase("not base64!")]
    [TestCase("c2hvcnQ=")]
    public void A_bad_secret_is_refused_without_showing_it(string secret)
    {
        BootstrapException? error = Assert.Throws<BootstrapException>(() => LaunchEnvironment.Detect(Env.Of(
            ("COLLECTIVES_RANK", "0"), ("COLLECTIVES_SIZE", "1"), ("COLLECTIVES_RENDEZVOUS", "h:1"), ("COLLECTIVES_SECRET", secret))));

        Assert.That(error!.Message, Does.StartWith("COLLECTIVES_SECRET"));
        Assert.That(error.Message, Does.Not.Contain(secret));
    }
}
