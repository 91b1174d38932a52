using Collectives.Bootstrap;
using Collectives.Transport.Security;

namespace Collectives.Tests.Bootstrap;

public class LaunchCredentialsTests
{
    private static LaunchInfo Slurm(int rank, string? jobId = "100", string? secret = null)
    {
        var variables = new List<(string, string)>
        {
            ("SLURM_PROCID", rank.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("SLURM_NTASKS", "4"), ("MASTER_ADDR", "n1"), ("MASTER_PORT", "29500"),
        };
        if (jobId is not null)
        {
            variables.Add(("SLURM_JOB_ID", jobId));
        }

        if (secret is not null)
        {
            variables.Add(("COLLECTIVES_SECRET", secret));
        }

        return LaunchEnvironment.Detect(Env.Of(variables));
    }

    [Test]
    public void Without_a_secret_every_rank_derives_the_same_one_from_the_job_id()
    {
        JobCredentials rank0 = Slurm(0).CreateCredentials();
        JobCredentials rank3 = Slurm(3).CreateCredentials();

        Assert.That(Slurm(0).IsSecretDerived, Is.True);
        Assert.That(rank3.SecretToBase64(), Is.EqualTo(rank0.SecretToBase64()));
        Assert.That(rank3.JobId, Is.EqualTo("slurm-100"));
    }

    [Test]
    public void Different_jobs_derive_different_secrets()
    {
        Assert.That(Slurm(0, jobId: "101").CreateCredentials().SecretToBase64(), Is.Not.EqualTo(Slurm(0, jobId: "100").CreateCredentials().SecretToBase64()));
    }

    [Test]
    public void The_fallback_job_id_is_the_same_on_every_rank_and_names_the_rendezvous()
    {
        Assert.That(Slurm(1, jobId: null).JobId, Is.EqualTo(Slurm(2, jobId: null).JobId).And.EqualTo("slurm-n1:29500-n4"));
    }

    [Test]
    public void A_given_secret_is_used_as_is()
    {
        string secret = JobCredentials.Generate("x").SecretToBase64();

        LaunchInfo info = Slurm(0, secret: secret);

        Assert.That(info.IsSecretDerived, Is.False);
        Assert.That(info.CreateCredentials().SecretToBase64(), Is.EqualTo(secret));
    }

    [Test]
    public void Describing_a_launch_never_shows_the_secret()
    {
        string secret = JobCredentials.Generate("x").SecretToBase64();

        string text = Slurm(0, secret: secret).ToString();

        Assert.That(text, Does.Not.Contain(secret));
        Assert.That(text, Does.Contain("rank 0 of 4").And.Contain("slurm-100").And.Contain("secret given"));
    }
}
