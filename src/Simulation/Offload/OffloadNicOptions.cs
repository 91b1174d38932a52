using Collectives.Simulation.Network;

namespace Collectives.Simulation.Offload;

/// <summary>
/// Timing of the offload NIC (the paper's trigger logic and ALU) and of the host's side of an
/// offloaded call. The paper gives no latencies for its FPGA prototype; the defaults assume NIC
/// logic clocked at a few hundred MHz (a handful of cycles per step) and say so.
/// </summary>
public sealed record OffloadNicOptions
{
    /// <summary>
    /// NIC time to take one descriptor from the host or one packet from the receive queue (parse,
    /// counter update, trigger check), ns; default 40 (about 10 cycles at 250 MHz).
    /// </summary>
    public long ProcessingNs { get; init; } = 40;

    /// <summary>ALU time per element combined (one 64-bit operation per cycle at 200 MHz), ns; default 5.</summary>
    public double AluNsPerElement { get; init; } = 5;

    /// <summary>Request-send module time to form one outgoing packet from a fired descriptor, ns; default 20.</summary>
    public long EmitNs { get; init; } = 20;

    /// <summary>
    /// Host CPU time to submit one descriptor to the NIC (a 128-byte programmed-I/O write and a
    /// doorbell), ns; default 100.
    /// </summary>
    public long PostNs { get; init; } = 100;

    /// <summary>Host CPU time to see a completion and copy the result out, ns; default 100.</summary>
    public long CompletionNs { get; init; } = 100;

    /// <summary>Throws when a parameter is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public void Validate()
    {
        NetworkOptions.Require(ProcessingNs >= 0, nameof(ProcessingNs), ProcessingNs, "not negative");
        NetworkOptions.Require(AluNsPerElement >= 0 && double.IsFinite(AluNsPerElement), nameof(AluNsPerElement), AluNsPerElement, "finite and not negative");
        NetworkOptions.Require(EmitNs >= 0, nameof(EmitNs), EmitNs, "not negative");
        NetworkOptions.Require(PostNs >= 0, nameof(PostNs), PostNs, "not negative");
        NetworkOptions.Require(CompletionNs >= 0, nameof(CompletionNs), CompletionNs, "not negative");
    }
}
