namespace Collectives.Tests.Correctness;

/// <summary>Which form of the public API a test calls.</summary>
public enum ApiStyle
{
    /// <summary>The blocking methods on spans (<c>Allreduce</c>, <c>Reduce</c>, <c>Broadcast</c>).</summary>
    Blocking,

    /// <summary>The asynchronous methods on memory (<c>AllreduceAsync</c>, <c>ReduceAsync</c>, <c>BroadcastAsync</c>).</summary>
    Async,
}
