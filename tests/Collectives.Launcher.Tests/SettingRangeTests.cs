using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

/// <summary>A rank whose environment holds a numeric setting out of range gets a typed exception from ConnectAsync, naming the variable and its range, not a crash inside the library.</summary>
public class SettingRangeTests
{
    [TestCase("COLLECTIVES_TIMEOUT", "1e300", "it accepts from 0.001 to 2147483.647 seconds")]
    [TestCase("COLLECTIVES_TIMEOUT", "NaN", "it accepts from 0.001 to 2147483.647 seconds")]
    [TestCase("COLLECTIVES_SHM_SPIN_US", "1e20", "it accepts from 0 to 10000000 microseconds")]
    [TestCase("COLLECTIVES_SHM_SPIN_US", "NaN", "it accepts from 0 to 10000000 microseconds")]
    [TestCase("COLLECTIVES_SHM_RING", "1e300", "it accepts a whole number from 4096 to 67108864 bytes")]
    public async Task ConnectAsync_throws_ArgumentOutOfRangeException_naming_the_variable_and_its_range(string variable, string value, string range)
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(1, ["--transport", "shm"], "setenv", variable, value, "try-connect");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 0), Has.Exactly(1).StartsWith($"connect failed: ArgumentOutOfRangeException: {variable}='{value}' is out of range; {range}"));
    }

    [Test]
    public async Task ConnectAsync_throws_FormatException_for_a_setting_that_is_not_a_number()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(1, ["--transport", "shm"], "setenv", "COLLECTIVES_SHM_YIELD_US", "soon", "try-connect");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 0), Is.EqualTo(new[] { "connect failed: FormatException: COLLECTIVES_SHM_YIELD_US='soon' is not a number; it accepts from 0 to 10000000 microseconds." }));
    }
}
