using Collectives.Simulation;
using Collectives.Simulation.Offload;

namespace Collectives.CollSim;

/// <summary>What one collsim run sweeps, and where it writes.</summary>
internal sealed record StudySettings(
    IReadOnlyList<StudyCollective> Collectives,
    IReadOnlyList<StudyType> Types,
    IReadOnlyList<int> Nodes,
    IReadOnlyList<int> Bytes,
    IReadOnlyList<int> FanIns,
    IReadOnlyList<StudyPath> Paths,
    int Repetitions,
    SimulationOptions Model,
    OffloadNicOptions Offload,
    string? CsvPath,
    string? SvgPath)
{
    /// <summary>Number of points in the sweep; fan-in only multiplies the offload path.</summary>
    public int PointCount
        => Collectives.Count * Types.Count * Nodes.Count * Bytes.Count
            * Paths.Sum(path => path == StudyPath.Offload ? FanIns.Count : 1);
}
