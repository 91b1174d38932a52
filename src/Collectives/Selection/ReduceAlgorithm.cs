namespace Collectives;

/// <summary>Algorithms for Reduce.</summary>
public enum ReduceAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto = 0,

    /// <summary>Binomial tree towards the root, pipelined in segments. Best for small messages.</summary>
    BinomialTree = 1,

    /// <summary>Rabenseifner: recursive-halving reduce-scatter, then a binomial gather to the root.</summary>
    Rabenseifner = 2,
}
