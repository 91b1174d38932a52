using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Nic;

/// <summary>
/// One virtual port of a NIC: its trigger counter, the descriptors posted on it in post order, its
/// lane of the receive queue (one entry per slot), and the intermediate-result register. A port
/// serves one call (sequence number) at a time: the counter, lane and register start afresh when
/// the first pending descriptor belongs to a new call.
/// </summary>
internal sealed class VirtualPort
{
    private readonly Descriptor[] _lane;
    private readonly bool[] _filled;

    public VirtualPort(ushort number, int depth)
    {
        Number = number;
        _lane = new Descriptor[depth];
        _filled = new bool[depth];
    }

    public ushort Number { get; }

    /// <summary>The call the port serves: that of the last descriptor posted on it.</summary>
    public uint Sequence { get; private set; }

    /// <summary>CP_Counter: packets that arrived on this port for the current call.</summary>
    public int Counter { get; set; }

    /// <summary>Posted descriptors not yet fired, in post order.</summary>
    public Queue<Descriptor> Pending { get; } = new();

    /// <summary>Rcnt: packets queued in the lane.</summary>
    public int LaneCount { get; private set; }

    /// <summary>The branch the queued packets name (valid while <see cref="LaneCount"/> > 0).</summary>
    public byte LaneBranch { get; private set; }

    /// <summary>Whether <see cref="Result"/> holds the port's result for the current call.</summary>
    public bool HasResult { get; private set; }

    /// <summary>The intermediate-result register once the port's inputs are combined.</summary>
    public Descriptor Result;

    /// <summary>Starts serving the call of the first pending descriptor.</summary>
    public void BeginCall(uint sequence)
    {
        Sequence = sequence;
        Counter = 0;
        HasResult = false;
        Result = default;
        LaneBranch = 0;
        LaneCount = 0;
        Array.Clear(_filled);
    }

    public bool IsFilled(int slot) => _filled[slot];

    public ref readonly Descriptor Queued(int slot) => ref _lane[slot];

    public void Enqueue(in Descriptor packet)
    {
        _lane[packet.Slot] = packet;
        _filled[packet.Slot] = true;
        LaneBranch = packet.Branch;
        LaneCount++;
    }

    /// <summary>Empties the lane; returns how many packets it held.</summary>
    public int ClearLane()
    {
        int count = LaneCount;
        Array.Clear(_filled);
        LaneCount = 0;
        LaneBranch = 0;
        return count;
    }

    public void SetResult(in Descriptor result)
    {
        Result = result;
        HasResult = true;
    }
}
