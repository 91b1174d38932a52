namespace Collectives.CollSim;

/// <summary>One measured point: the completion time tc over the repetitions, ns.</summary>
internal sealed record StudyPoint(
    StudyCollective Collective,
    StudyType Type,
    int Nodes,
    int Bytes,
    int FanIn,
    StudyPath Path,
    double MeanNs,
    long MinNs,
    long MaxNs,
    int Repetitions);
