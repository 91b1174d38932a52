using System.Globalization;

namespace Collectives.Diagnostics;

/// <summary>
/// One of a communicator's recent calls as its flight recorder kept it: which call, how far this
/// rank got with it, and when. A timeout or mismatch carries this rank's recent calls
/// (<see cref="CollectiveTimeoutException.RecentCalls"/>), and collrun prints every rank's side by
/// side when a job fails, so one can see at once which rank is where.
/// </summary>
/// <param name="Call">The call, numbered on its communicator (<see cref="CollectiveSignature.Sequence"/>).</param>
/// <param name="State">How far this rank got with it.</param>
/// <param name="Peer">
/// The rank the call was waiting for: while <see cref="FlightRecordState.Waiting"/>, or when it
/// failed while waiting. -1 when it waited for no single rank (a shared-memory step waits for all)
/// or was not waiting.
/// </param>
/// <param name="StartedAt">When the call began on this rank.</param>
/// <param name="Duration">
/// How long it ran: a failed call until it failed, a call still running until the record was taken.
/// Null for a completed call: its end is not timed, because reading the clock at the end of every
/// call would cost more than the recorder may (the next call's start bounds it).
/// </param>
/// <param name="ErrorType">For a failed call, the failure's <c>error.type</c> (timeout, mismatch, peer_failed, protocol, cancelled, or the exception's type); otherwise null.</param>
public readonly record struct FlightRecord(
    CollectiveSignature Call, FlightRecordState State, int Peer, DateTimeOffset StartedAt, TimeSpan? Duration, string? ErrorType)
{
    /// <summary>The state in a few words, for example <c>waiting on rank 3</c> or <c>failed (timeout) waiting on rank 3</c>.</summary>
    public string Describe() => State switch
    {
        FlightRecordState.Running => "running",
        FlightRecordState.Waiting => Peer >= 0 ? $"waiting on rank {Peer}" : "waiting on all ranks",
        FlightRecordState.Completed => "completed",
        _ => $"failed ({ErrorType})" + (Peer >= 0 ? $" waiting on rank {Peer}" : string.Empty),
    };

    /// <inheritdoc />
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Call}: {Describe()}, started {StartedAt:HH:mm:ss.ffffff}")
            + (Duration is { } duration ? ", " + FormatDuration(duration) : string.Empty);

    /// <summary>A duration with a unit that suits it: µs, ms or s.</summary>
    internal static string FormatDuration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMicroseconds:0.#} µs"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###} s"),
    };
}
