namespace Collectives.Simulation.Engine;

/// <summary>
/// The simulated job ran out of events while some ranks had not finished: they wait for messages
/// nobody will send. In real time that would be a hang (or a timeout); in virtual time it is
/// detected exactly.
/// </summary>
public sealed class SimulationStalledException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which ranks were left waiting, and when.</param>
    public SimulationStalledException(string message)
        : base(message)
    {
    }
}
