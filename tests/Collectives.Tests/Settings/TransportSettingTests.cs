using Collectives.Bootstrap;
using Collectives.Execution;
using Collectives.Tests.Bootstrap;
using Collectives.Transport.SharedMemory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collectives.Tests.Settings;

/// <summary>
/// The settings of the transports ConnectAsync builds (COLLECTIVES_BIND, COLLECTIVES_SHM_*) are
/// read where the communicator's are: in ResolvedOptions, from the environment it is given.
/// </summary>
public class TransportSettingTests
{
    [Test]
    public void The_bind_address_comes_from_the_given_environment()
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(null, Env.Of((LaunchVariables.Bind, "10.1.2.3")));

        Assert.That(resolved.Bind, Is.EqualTo("10.1.2.3"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void An_unset_or_empty_bind_variable_means_no_bind_setting(string? bind)
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(null, name => name == LaunchVariables.Bind ? bind : null);

        Assert.That(resolved.Bind, Is.Null);
    }

    [Test]
    public void The_shared_memory_settings_come_from_the_given_environment_with_the_resolved_timeout_and_logger_factory()
    {
        var options = new CommunicatorOptions { LoggerFactory = NullLoggerFactory.Instance };

        ResolvedOptions resolved = ResolvedOptions.Resolve(options, Env.Of(
            (SharedMemoryTransportOptions.RingVariable, "1m"),
            (SharedMemoryTransportOptions.SpinVariable, "5"),
            (CommunicatorOptions.TimeoutVariable, "42")));

        Assert.That((resolved.SharedMemory.RingCapacity, resolved.SharedMemory.SpinDuration), Is.EqualTo((1 << 20, TimeSpan.FromMicroseconds(5))));
        Assert.That(resolved.SharedMemory.WindowLength, Is.EqualTo(new SharedMemoryTransportOptions().WindowLength), "an unset variable keeps the default");
        Assert.That(resolved.SharedMemory.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(42)));
        Assert.That(resolved.SharedMemory.LoggerFactory, Is.SameAs(options.LoggerFactory));
    }

    [Test]
    public void A_shared_memory_variable_that_is_not_a_number_is_a_FormatException_naming_it()
        => Assert.That(() => ResolvedOptions.Resolve(null, Env.Of((SharedMemoryTransportOptions.YieldVariable, "soon"))),
            Throws.TypeOf<FormatException>().With.Message.StartsWith($"{SharedMemoryTransportOptions.YieldVariable}='soon' is not a number"));
}
