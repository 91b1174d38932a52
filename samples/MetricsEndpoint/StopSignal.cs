using System.Runtime.InteropServices;

/// <summary>
/// Turns Ctrl-C (collrun forwards it) and SIGTERM (Kubernetes deleting the pod) into a request to
/// stop after the current round, instead of ending the process in the middle of a collective.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private volatile bool _requested;

    public StopSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Request);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Request);
    }

    /// <summary>Whether this process was asked to stop.</summary>
    public bool Requested => _requested;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private void Request(PosixSignalContext context)
    {
        context.Cancel = true;
        _requested = true;
    }
}
