using Collectives.Simulation.Host;
using Collectives.Simulation.Network;

namespace Collectives.Simulation;

/// <summary>Everything a <see cref="SimulatedCluster"/> models, with documented defaults.</summary>
public sealed record SimulationOptions
{
    /// <summary>The interconnect.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>The hosts' costs on the software path, and their OS noise.</summary>
    public HostOptions Host { get; init; } = new();

    /// <summary>Seed of every random choice (only the noise is random); the same seed gives the same run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Settings of the simulated ranks' communicators. Null (the default) means no call verification
    /// (the paper measures the bare collective) and a timeout of a day: timeouts are real time, and a
    /// simulated rank that waits forever is reported as <see cref="Engine.SimulationStalledException"/> instead.
    /// </summary>
    public CommunicatorOptions? Communicator { get; init; }
}
