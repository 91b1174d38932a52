namespace Collectives.Reduction;

/// <summary>
/// An optional transport capability (see <c>ITransport.GetFeature</c>) that is told of every
/// element-wise combine the algorithms perform on this rank. A simulated transport uses it to
/// charge the reduction arithmetic to its model of the host; real transports do not offer it, and
/// then the algorithms pay nothing for the hook.
/// </summary>
/// <remarks>
/// The interface lives here, not in the transport layer, because transports know nothing of
/// reductions: a transport that offers it depends on this library, not the other way round.
/// </remarks>
internal interface ICombineObserver
{
    /// <summary>Called after <paramref name="elements"/> elements were combined with <paramref name="kernel"/>.</summary>
    /// <param name="kernel">The operation and element type of the combine.</param>
    /// <param name="elements">Number of elements produced, at least 0.</param>
    void OnCombined(ReductionKernel kernel, int elements);
}
