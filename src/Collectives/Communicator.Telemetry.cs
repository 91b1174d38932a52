using System.Diagnostics;
using Collectives.Catalog;
using Collectives.Diagnostics;
using Collectives.Execution;
using Collectives.SubCommunicators;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>The next call's signature: what every rank must agree on, numbered in call order.</summary>
    private CollectiveSignature NextSignature(in CollectiveCall call)
        => new(++_sequence, call.Kind, call.Op, call.DataType?.Code ?? 0, call.SignatureCount, call.Root, call.Algorithm.Value) { CommunicatorId = _id };

    /// <summary>
    /// A tracing span for the call, or null (and no tag work) when nobody listens. Tagged with the
    /// signature, <c>collectives.sequence</c> (the call's number on this communicator, the same on
    /// every rank), the rank, the size, the message-size bucket, and <c>collectives.job_id</c> when
    /// the communicator knows its job: the launch's job id under <see cref="ConnectAsync(Bootstrap.LaunchInfo, CommunicatorOptions?, CancellationToken)"/>,
    /// one id per group under <see cref="CreateLocal"/>, none under <see cref="Create"/>. A
    /// sub-communicator's spans add <c>collectives.communicator</c>, its identity in hex (rank and size are its own).
    /// </summary>
    private Activity? StartActivity(in CollectiveCall call, CollectiveSignature signature)
    {
        if (!CollectivesTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? activity = CollectivesTelemetry.ActivitySource.StartActivity(AlgorithmCatalog.NameOf(call.Kind));
        if (activity is null)
        {
            return null;
        }

        // The same call has the same job id and sequence number on every rank: a trace backend
        // groups the ranks' spans of one call by these two.
        activity.SetTag("collectives.signature", signature.ToString());
        activity.SetTag("collectives.sequence", (long)signature.Sequence);
        activity.SetTag("collectives.rank", Rank);
        activity.SetTag("collectives.size", Size);
        if (_jobId is not null)
        {
            activity.SetTag("collectives.job_id", _jobId);
        }

        if (_id != CommunicatorIdentity.World)
        {
            activity.SetTag("collectives.communicator", _id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }

        activity.SetTag("collectives.message_size", CollectivesTelemetry.MessageSizeBucket(call.Bytes));
        return activity;
    }

    /// <summary>Marks the span of a failed call: Error status, <c>error.type</c>, and the exception as an event.</summary>
    private static void MarkFailed(Activity? activity, Exception failure, string errorType)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(CollectivesTelemetry.ErrorTypeTag, errorType);
        activity.SetStatus(ActivityStatusCode.Error, failure.Message);
        activity.AddException(failure);
    }

    /// <summary>
    /// Counts the call in the metrics, naming the engine or algorithm that ran it; a completed call
    /// whose waits were measured also records them, in the metrics and on its span.
    /// </summary>
    private void Record(in CollectiveCall call, long startTimestamp, string? errorType, Activity? activity)
    {
        // An offload engine waits on its own; its calls have no waits of this rank to record.
        if (errorType is null && _waits.Enabled && call.Algorithm.Model != ExecutionModel.Offload)
        {
            activity?.SetTag("collectives.wait.duration", _waits.TotalSeconds);
            if (_waits.LongestPeer >= 0)
            {
                activity?.SetTag("collectives.wait.peer", _waits.LongestPeer);
            }

            CollectivesTelemetry.RecordWait(call.Kind, _waits.TotalSeconds, _waits.LongestPeer >= 0 ? _rankNames[_waits.LongestPeer] : null);
        }

        bool offloaded = call.Algorithm.Model == ExecutionModel.Offload;
        string algorithm = offloaded ? _offload!.Name : call.Algorithm.Name;
        string? offload = offloaded ? _offload!.Name : _offload is null ? null : CollectivesTelemetry.OffloadFallback;
        CollectivesTelemetry.Record(call.Kind, algorithm, _transport.Name, offload, call.Bytes, startTimestamp, errorType);
    }
}
