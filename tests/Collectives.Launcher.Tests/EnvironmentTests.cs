using System.Text.RegularExpressions;
using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class EnvironmentTests
{
    private static readonly string[] Variables =
    [
        "COLLECTIVES_RANK", "COLLECTIVES_SIZE", "COLLECTIVES_LOCAL_RANK", "COLLECTIVES_RENDEZVOUS", "COLLECTIVES_JOB_ID",
        "COLLECTIVES_SECRET", "COLLECTIVES_TRANSPORT", "COLLECTIVES_TIMEOUT", "COLLECTIVES_BIND",
    ];

    [Test]
    public async Task Each_rank_gets_its_rank_and_the_jobs_shared_variables()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(3, ["--transport", "tcp", "--timeout", "7.5", "--job-id", "env-test"], ["env", .. Variables]);

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        var shared = new HashSet<string>();
        for (int rank = 0; rank < 3; rank++)
        {
            Dictionary<string, string> seen = CollrunRun.RankLines(run.StandardOutput, rank).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
            Assert.That(seen.Keys, Is.EquivalentTo(Variables), $"rank {rank} lacks a variable: {string.Join(", ", CollrunRun.RankLines(run.StandardOutput, rank))}");
            Assert.That(seen["COLLECTIVES_RANK"], Is.EqualTo(rank.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(seen["COLLECTIVES_LOCAL_RANK"], Is.EqualTo(seen["COLLECTIVES_RANK"]));
            Assert.That(seen["COLLECTIVES_SIZE"], Is.EqualTo("3"));
            Assert.That(seen["COLLECTIVES_JOB_ID"], Is.EqualTo("env-test"));
            Assert.That(seen["COLLECTIVES_TRANSPORT"], Is.EqualTo("tcp"));
            Assert.That(seen["COLLECTIVES_TIMEOUT"], Is.EqualTo("7.5"));
            Assert.That(seen["COLLECTIVES_RENDEZVOUS"], Does.Match(@"^127\.0\.0\.1:\d+$"));
            Assert.That(seen["COLLECTIVES_BIND"], Is.EqualTo("127.0.0.1"), "ranks listen where collrun was told to (loopback by default)");
            Assert.That(Convert.FromBase64String(seen["COLLECTIVES_SECRET"]), Has.Length.GreaterThanOrEqualTo(16));
            shared.Add(seen["COLLECTIVES_RENDEZVOUS"] + " " + seen["COLLECTIVES_SECRET"]);
        }

        Assert.That(shared, Has.Count.EqualTo(1), "ranks got different rendezvous addresses or secrets");
    }

    [Test]
    public async Task Each_job_gets_a_fresh_job_id_and_secret()
    {
        using CollrunRun first = await CollrunRun.RunTestProgramAsync(1, [], "env", "COLLECTIVES_JOB_ID", "COLLECTIVES_SECRET");
        using CollrunRun second = await CollrunRun.RunTestProgramAsync(1, [], "env", "COLLECTIVES_JOB_ID", "COLLECTIVES_SECRET");

        string[] a = CollrunRun.RankLines(first.StandardOutput, 0);
        string[] b = CollrunRun.RankLines(second.StandardOutput, 0);
        Assert.That(a, Has.Length.EqualTo(2));
        Assert.That(a[0], Is.Not.EqualTo(b[0]));
        Assert.That(a[1], Is.Not.EqualTo(b[1]));
    }

    [Test]
    public async Task Bootstrap_in_each_rank_understands_what_collrun_passed()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, ["--job-id", "boot"], "launch");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.That(CollrunRun.RankLines(run.StandardOutput, rank).Single(), Does.Match(
                $@"^Collrun rank {rank} of 2 \(local rank {rank}\), rendezvous 127\.0\.0\.1:\d+, job boot, secret given$"));
        }
    }

    [Test]
    public async Task Ranks_meet_on_the_rendezvous_server_collrun_hosts()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(4, [], "rendezvous");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        for (int rank = 0; rank < 4; rank++)
        {
            Assert.That(CollrunRun.RankLines(run.StandardOutput, rank), Is.EqualTo(new[] { "rendezvous: hello from 0; hello from 1; hello from 2; hello from 3" }));
        }
    }

    [Test]
    public async Task An_outer_launchers_rank_variables_do_not_reach_the_ranks()
    {
        string[] outer = ["SLURM_PROCID", "SLURM_NTASKS", "OMPI_COMM_WORLD_RANK", "RANK", "WORLD_SIZE"];
        foreach (string name in outer)
        {
            Environment.SetEnvironmentVariable(name, "0");
        }

        try
        {
            using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, [], ["env", .. outer, "launch"]);

            Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
            string[] rank1 = CollrunRun.RankLines(run.StandardOutput, 1);
            Assert.That(rank1[..outer.Length], Is.EqualTo(outer.Select(name => $"{name} unset")));
            Assert.That(rank1[^1], Does.StartWith("Collrun rank 1 of 2"));
        }
        finally
        {
            foreach (string name in outer)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Test]
    public async Task A_secret_file_sets_the_jobs_secret()
    {
        string secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        string path = Path.Combine(Path.GetTempPath(), $"collrun-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, secret + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, ["--secret-file", path], "env", "COLLECTIVES_SECRET", "rendezvous");

            Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
            Assert.That(CollrunRun.RankLines(run.StandardOutput, 1)[0], Is.EqualTo($"COLLECTIVES_SECRET={secret}"));
            Assert.That(run.StandardError.Text, Does.Not.Contain("readable by other users"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task A_secret_file_that_is_not_base64_is_a_usage_error()
    {
        string path = Path.Combine(Path.GetTempPath(), $"collrun-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, "this is not base64!");
        try
        {
            using CollrunRun run = await CollrunRun.RunTestProgramAsync(1, ["--secret-file", path], "say", "never");

            Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
            Assert.That(run.StandardError.Text, Does.Contain($"--secret-file '{path}' must hold the secret in base64"));
            Assert.That(run.StandardOutput.Text, Is.Empty);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task The_rendezvous_server_logs_strangers_on_collruns_standard_error()
    {
        using CollrunRun run = CollrunRun.Start("-n", "1", "--", CollrunRun.TestProgram, "env", "COLLECTIVES_RENDEZVOUS", "sleep", "30");
        Assert.That(await run.StandardOutput.WaitUntilAsync(text => text.Contains("COLLECTIVES_RENDEZVOUS=", StringComparison.Ordinal), CollrunRun.Limit), Is.True);
        Match address = Regex.Match(run.StandardOutput.Text, @"COLLECTIVES_RENDEZVOUS=127\.0\.0\.1:(\d+)");
        int port = int.Parse(address.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (var stranger = new System.Net.Sockets.TcpClient())
        {
            await stranger.ConnectAsync(System.Net.IPAddress.Loopback, port);
            await stranger.GetStream().WriteAsync(new byte[100]);
            Assert.That(await run.StandardError.WaitUntilAsync(text => text.Contains("refused a connection", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True);
        }

        run.Interrupts.Raise(Signals.UnixSignal.SigTerm);
        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(143));
        Assert.That(run.StandardError.Text, Does.Contain("magic"));
    }
}
