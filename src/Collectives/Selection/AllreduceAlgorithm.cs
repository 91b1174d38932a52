namespace Collectives;

/// <summary>Algorithms for Allreduce.</summary>
public enum AllreduceAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto = 0,

    /// <summary>Recursive doubling: log2(p) exchanges of the whole vector. Best for small messages.</summary>
    RecursiveDoubling = 1,

    /// <summary>Rabenseifner: recursive-halving reduce-scatter, then recursive-doubling allgather.</summary>
    Rabenseifner = 2,

    /// <summary>Ring: reduce-scatter then allgather around a ring, 2(p-1) steps of n/p bytes.</summary>
    Ring = 3,
}
