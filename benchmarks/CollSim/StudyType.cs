namespace Collectives.CollSim;

/// <summary>The element types of the paper's study.</summary>
internal enum StudyType
{
    Double,
    Float,
    Int,
    Long,
}
