namespace Collectives.Simulation.Network;

/// <summary>How the simulated nodes are wired.</summary>
public enum NetworkTopology
{
    /// <summary>A k-ary n-tree fat tree (Petrini and Vanneschi), as in the offload paper's simulations.</summary>
    FatTree,

    /// <summary>Every node on one switch: two links and one switch between any pair. For checking the model.</summary>
    Crossbar,
}
