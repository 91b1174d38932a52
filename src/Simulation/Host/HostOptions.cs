using Collectives.Simulation.Network;

namespace Collectives.Simulation.Host;

/// <summary>
/// The host side of the software path, LogGP-style: what the CPU spends per message and per byte,
/// and on the reduction arithmetic. The CPU does one thing at a time, so these costs queue. The
/// defaults are typical of MPI over InfiniBand on a current server (LogGP fits report send and
/// receive overheads of 0.1-0.5 µs); together with <see cref="NetworkOptions"/> they give a
/// one-switch 8-byte latency of about 1 µs, as osu_latency measures on HDR InfiniBand.
/// </summary>
public sealed record HostOptions
{
    /// <summary>CPU time to post one send (o_s), ns; default 200.</summary>
    public long SendOverheadNs { get; init; } = 200;

    /// <summary>CPU time to match and complete one receive (o_r), ns; default 200.</summary>
    public long ReceiveOverheadNs { get; init; } = 200;

    /// <summary>
    /// CPU time per payload byte on each side (the eager protocol's copy into and out of
    /// registered buffers, LogGP's G as the host pays it), ns; default 0.1 (a 10 GB/s memcpy).
    /// </summary>
    public double NsPerByte { get; init; } = 0.1;

    /// <summary>Fixed CPU cost of one element-wise combine call, ns; default 20.</summary>
    public long CombineOverheadNs { get; init; } = 20;

    /// <summary>CPU time per element combined, ns; default 0.5 (vectorised arithmetic at a few elements per ns).</summary>
    public double CombineNsPerElement { get; init; } = 0.5;

    /// <summary>OS noise; default none.</summary>
    public NoiseOptions Noise { get; init; } = NoiseOptions.None;

    /// <summary>CPU time to post a send of <paramref name="bytes"/> bytes.</summary>
    public long SendCost(int bytes) => SendOverheadNs + (long)Math.Round(bytes * NsPerByte);

    /// <summary>CPU time to complete a receive of <paramref name="bytes"/> bytes.</summary>
    public long ReceiveCost(int bytes) => ReceiveOverheadNs + (long)Math.Round(bytes * NsPerByte);

    /// <summary>CPU time to combine <paramref name="elements"/> elements.</summary>
    public long CombineCost(int elements) => CombineOverheadNs + (long)Math.Round(elements * CombineNsPerElement);

    /// <summary>Throws when a parameter is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public void Validate()
    {
        NetworkOptions.Require(SendOverheadNs >= 0, nameof(SendOverheadNs), SendOverheadNs, "not negative");
        NetworkOptions.Require(ReceiveOverheadNs >= 0, nameof(ReceiveOverheadNs), ReceiveOverheadNs, "not negative");
        NetworkOptions.Require(NsPerByte >= 0 && double.IsFinite(NsPerByte), nameof(NsPerByte), NsPerByte, "finite and not negative");
        NetworkOptions.Require(CombineOverheadNs >= 0, nameof(CombineOverheadNs), CombineOverheadNs, "not negative");
        NetworkOptions.Require(CombineNsPerElement >= 0 && double.IsFinite(CombineNsPerElement), nameof(CombineNsPerElement), CombineNsPerElement, "finite and not negative");
        NetworkOptions.Require(Noise.MeanIntervalNs >= 0 && Noise.DetourNs >= 0, nameof(Noise), Noise, "made of non-negative values");
    }
}
