using Collectives.Execution;
using Collectives.Tests.Bootstrap;

namespace Collectives.Tests.Settings;

/// <summary>How long joining a job may take has its own knob, apart from how long a call may wait; unset, it follows the call timeout.</summary>
public class ConnectTimeoutSettingTests
{
    [Test]
    public void Unset_it_is_the_call_timeout()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, "7")));

        Assert.That(resolved.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void The_variable_sets_it_without_changing_the_call_timeout()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.TimeoutVariable, "7"), (CommunicatorOptions.ConnectTimeoutVariable, "300")));

        Assert.That((resolved.ConnectTimeout, resolved.Timeout), Is.EqualTo((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(7))));
    }

    [Test]
    public void The_option_wins_over_the_variable_and_reaches_the_shared_memory_transport()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(
            new CommunicatorOptions { ConnectTimeout = TimeSpan.FromSeconds(90) }, Env.Of((CommunicatorOptions.ConnectTimeoutVariable, "300")));

        Assert.That((resolved.ConnectTimeout, resolved.SharedMemory.ConnectTimeout), Is.EqualTo((TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(90))));
    }

    [Test]
    public void A_malformed_variable_is_refused_naming_it()
        => Assert.That(
            () => ResolvedOptions.Resolve(null, Env.Of((CommunicatorOptions.ConnectTimeoutVariable, "soon"))),
            Throws.TypeOf<FormatException>().With.Message.StartsWith("COLLECTIVES_CONNECT_TIMEOUT='soon' is not a number"));

    [Test]
    public void An_option_out_of_range_is_refused_naming_it()
        => Assert.That(
            () => ResolvedOptions.Resolve(new CommunicatorOptions { ConnectTimeout = TimeSpan.Zero }, Env.Of()),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("CommunicatorOptions.ConnectTimeout"));
}
