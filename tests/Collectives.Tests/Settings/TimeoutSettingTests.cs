using Collectives.Bootstrap;
using Collectives.Execution;
using Collectives.Tests.Bootstrap;
using Collectives.Tests.Support;

namespace Collectives.Tests.Settings;

/// <summary>The collective timeout, from COLLECTIVES_TIMEOUT or CommunicatorOptions: in range it is used, out of range it is a typed error naming the knob and its range.</summary>
public class TimeoutSettingTests
{
    private const string Range = "it accepts from 0.001 to 2147483.647 seconds";

    [TestCase("30", 30.0)]
    [TestCase("0.5", 0.5)]
    [TestCase("2147483.647", 2147483.647)]
    public void A_timeout_in_range_from_the_environment_is_used(string seconds, double expected)
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, seconds)));

        Assert.That(resolved.Timeout, Is.EqualTo(TimeSpan.FromSeconds(expected)));
    }

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("-1")]
    [TestCase("0")]
    [TestCase("1e300")]
    [TestCase("3000000")]
    public void A_timeout_out_of_range_in_the_environment_is_an_ArgumentOutOfRangeException_naming_the_variable_and_the_range(string seconds)
    {
        ArgumentOutOfRangeException? error = Assert.Throws<ArgumentOutOfRangeException>(
            () => ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, seconds))));

        Assert.That(error!.ParamName, Is.EqualTo("COLLECTIVES_TIMEOUT"));
        Assert.That(error.Message, Does.StartWith($"COLLECTIVES_TIMEOUT='{seconds}' is out of range; {Range}."));
    }

    [TestCase("soon")]
    [TestCase("30s")]
    public void A_timeout_in_the_environment_that_is_not_a_number_is_a_FormatException_naming_the_variable_and_the_range(string seconds)
    {
        Assert.That(() => ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, seconds))),
            Throws.TypeOf<FormatException>().With.Message.EqualTo($"COLLECTIVES_TIMEOUT='{seconds}' is not a number; {Range}."));
    }

    [Test]
    public void A_blank_variable_means_the_default()
        => Assert.That(ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, " "))).Timeout, Is.EqualTo(CommunicatorOptions.DefaultTimeout));

    [TestCase(TestTransport.InProcess)]
    [TestCase(TestTransport.Tcp)]
    [TestCase(TestTransport.SharedMemory)]
    public void The_largest_timeout_in_range_is_usable_for_connecting_and_calling(TestTransport transport)
    {
        var options = new CommunicatorOptions { Timeout = CommunicatorOptions.TimeoutSetting.ToDuration(CommunicatorOptions.TimeoutSetting.Maximum) };

        LocalJob.Run(2, options, comm =>
        {
            int[] data = [comm.Rank + 1];
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
            Assert.That(data, Is.EqualTo(new[] { 3 }));
        }, transport);
    }

    private static readonly TimeSpan[] OutOfRangeTimeouts = [TimeSpan.MaxValue, TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.FromSeconds(-1), TimeSpan.FromDays(30)];

    [TestCaseSource(nameof(OutOfRangeTimeouts))]
    public void CreateLocal_with_a_timeout_out_of_range_throws_ArgumentOutOfRangeException_naming_the_option(TimeSpan timeout)
    {
        Assert.That(() => Communicator.CreateLocal(2, new CommunicatorOptions { Timeout = timeout }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("CommunicatorOptions.Timeout")
                .And.Message.Contains(Range));
    }

    [TestCaseSource(nameof(OutOfRangeTimeouts))]
    public void ConnectAsync_with_a_timeout_out_of_range_throws_ArgumentOutOfRangeException_before_connecting(TimeSpan timeout)
    {
        var launch = new LaunchInfo(LauncherKind.Collrun, 0, 2, 0, "127.0.0.1", 1, HostsRendezvous: false, "timeout-test", Secret: null, Transport: null);

        Assert.That(async () => await Communicator.ConnectAsync(launch, new CommunicatorOptions { Timeout = timeout }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("CommunicatorOptions.Timeout"));
    }
}
