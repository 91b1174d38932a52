namespace Collectives.CollSim;

/// <summary>Who does the collective: the host's software algorithms, or the offload NIC.</summary>
internal enum StudyPath
{
    Software,
    Offload,
}
