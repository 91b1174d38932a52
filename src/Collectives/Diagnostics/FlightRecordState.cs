namespace Collectives.Diagnostics;

/// <summary>Where a call stood when its <see cref="FlightRecord"/> was taken.</summary>
public enum FlightRecordState
{
    /// <summary>The call is running on this rank and is not waiting for a peer.</summary>
    Running,

    /// <summary>The call is waiting for a peer (<see cref="FlightRecord.Peer"/>), or for every rank in a shared-memory step.</summary>
    Waiting,

    /// <summary>The call completed on this rank.</summary>
    Completed,

    /// <summary>The call failed on this rank (<see cref="FlightRecord.ErrorType"/> says how).</summary>
    Failed,
}
