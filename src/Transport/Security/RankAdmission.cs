namespace Collectives.Transport.Security;

/// <summary>Whether an acceptor takes a connection from a rank that has proven it belongs to the job.</summary>
internal enum RankAdmission
{
    /// <summary>The rank is expected here and not connected yet: the connection is accepted.</summary>
    Admitted,

    /// <summary>The rank already has its connection here: this one is refused as a duplicate.</summary>
    AlreadyConnected,

    /// <summary>The rank never connects here (it is not higher than the acceptor, or not in the job).</summary>
    NotExpected,
}
