using Collectives.Transport;

namespace Collectives.Offload;

/// <summary>Creates the offload engine of one rank over its transport (see <see cref="CommunicatorOptions.Offload"/>).</summary>
public interface IOffloadEngineFactory
{
    /// <summary>
    /// Creates the engine of the rank <paramref name="transport"/> belongs to. The engine may send
    /// and receive on the transport only while one of its calls runs, and must receive nothing
    /// beyond the messages its own call's peers send it for that call.
    /// </summary>
    /// <param name="transport">The rank's connected transport, shared with the software algorithms.</param>
    /// <returns>The engine; the communicator disposes it.</returns>
    IOffloadEngine Create(ITransport transport);
}
