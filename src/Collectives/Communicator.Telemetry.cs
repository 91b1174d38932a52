using System.Diagnostics;
using Collectives.Catalog;
using Collectives.Diagnostics;
using Collectives.Execution;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>The next call's signature: what every rank must agree on, numbered in call order.</summary>
    private CollectiveSignature NextSignature(in CollectiveCall call)
        => new(++_sequence, call.Kind, call.Op, call.DataType?.Code ?? 0, call.Count, call.Root, call.Algorithm.Value);

    /// <summary>A tracing span for the call, or null (and no tag work) when nobody listens.</summary>
    private Activity? StartActivity(in CollectiveCall call, CollectiveSignature signature)
    {
        if (!CollectivesTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? activity = CollectivesTelemetry.ActivitySource.StartActivity(AlgorithmCatalog.NameOf(call.Kind));
        activity?.SetTag("collectives.signature", signature.ToString());
        activity?.SetTag("collectives.rank", Rank);
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

    /// <summary>Counts the call in the metrics, naming the engine or algorithm that ran it.</summary>
    private void Record(in CollectiveCall call, long startTimestamp, string? errorType)
    {
        bool offloaded = call.Algorithm.Model == ExecutionModel.Offload;
        string algorithm = offloaded ? _offload!.Name : call.Algorithm.Name;
        string? offload = offloaded ? _offload!.Name : _offload is null ? null : CollectivesTelemetry.OffloadFallback;
        CollectivesTelemetry.Record(call.Kind, algorithm, _transport.Name, offload, call.Bytes, startTimestamp, errorType);
    }
}
