using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>The shared-memory knobs read from the environment, and the settings refused.</summary>
public class SharedMemoryOptionsTests
{
    [Test]
    public void The_environment_sets_the_waiting_budgets_and_sizes()
    {
        var environment = new Dictionary<string, string>
        {
            [SharedMemoryTransportOptions.SpinVariable] = "5",
            [SharedMemoryTransportOptions.YieldVariable] = "250",
            [SharedMemoryTransportOptions.WindowVariable] = "64k",
            [SharedMemoryTransportOptions.RingVariable] = "1m",
        };

        SharedMemoryTransportOptions options = SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => environment.GetValueOrDefault(name));

        Assert.That((options.SpinDuration, options.YieldDuration, options.WindowLength, options.RingCapacity),
            Is.EqualTo((TimeSpan.FromMicroseconds(5), TimeSpan.FromMicroseconds(250), 64 * 1024, 1 << 20)));
    }

    [Test]
    public void Unset_variables_keep_the_given_settings()
    {
        var defaults = new SharedMemoryTransportOptions { SpinDuration = TimeSpan.FromMicroseconds(7) };

        SharedMemoryTransportOptions options = SharedMemoryTransportOptions.FromEnvironment(defaults, _ => null);

        Assert.That(options.SpinDuration, Is.EqualTo(TimeSpan.FromMicroseconds(7)));
    }

    [TestCase(SharedMemoryTransportOptions.SpinVariable, "-1")]
    [TestCase(SharedMemoryTransportOptions.WindowVariable, "lots")]
    public void A_malformed_variable_is_a_FormatException_naming_it(string variable, string value)
    {
        Assert.That(() => SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => name == variable ? value : null),
            Throws.TypeOf<FormatException>().With.Message.Contains(variable));
    }

    [Test]
    public void A_ring_that_is_not_a_power_of_two_is_refused_when_connecting()
    {
        var options = new SharedMemoryTransportOptions { RingCapacity = 5000 };

        Assert.That(async () => await SharedMemoryTransport.ConnectAsync(0, 1, "test", new InMemoryRendezvousStore(), options, CancellationToken.None),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("power of two"));
    }
}
