using System.Runtime.InteropServices;
using Collectives.Launcher;
using Collectives.Launcher.Signals;

// Ctrl-C and SIGTERM must not end collrun before its ranks: they become stop requests that the
// job forwards to every rank, and collrun exits once the ranks have.
using var interrupts = new Interrupts();
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward(UnixSignal.SigInt));
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward(UnixSignal.SigTerm));
return await CollrunCommand.RunAsync(args, Console.Out, Console.Error, interrupts).ConfigureAwait(false);

Action<PosixSignalContext> Forward(int signal) => context =>
{
    context.Cancel = true;
    interrupts.Raise(signal);
};
