using BenchmarkDotNet.Configs;

namespace Collectives.Benchmarks;

/// <summary>Adds the <see cref="ThroughputColumn"/> to the default columns.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ThroughputConfig() => AddColumn(new ThroughputColumn());
}
