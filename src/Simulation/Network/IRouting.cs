namespace Collectives.Simulation.Network;

/// <summary>The links a packet crosses between two nodes; links are numbered 0..<see cref="LinkCount"/>-1, one per direction.</summary>
internal interface IRouting
{
    /// <summary>Number of nodes.</summary>
    int Nodes { get; }

    /// <summary>Number of directed links.</summary>
    int LinkCount { get; }

    /// <summary>Longest route, in links.</summary>
    int Diameter { get; }

    /// <summary>Writes the links from <paramref name="source"/> to <paramref name="destination"/> in order.</summary>
    /// <returns>Number of links written.</returns>
    int Route(int source, int destination, Span<int> links);
}
