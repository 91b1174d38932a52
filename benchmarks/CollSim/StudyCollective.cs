namespace Collectives.CollSim;

/// <summary>The collectives of the paper's study (Sum, root 0 for Reduce).</summary>
internal enum StudyCollective
{
    Reduce,
    Allreduce,
}
